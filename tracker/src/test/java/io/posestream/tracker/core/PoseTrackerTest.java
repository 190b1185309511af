package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoseTrackerTest {
    private static final long FRAME_MS = 40;

    private final PoseTracker tracker = new PoseTracker(TrackerConfig.DEFAULTS);

    @Test
    void aPersonPassingBehindAnotherKeepsTheId() {
        // A stands in front at x = 600; B walks behind at 150 px/s and is hidden (no detection) for 0.8 s.
        long idA = 0;
        long idB = 0;
        int hiddenFrames = 0;
        for (int f = 0; f < 80; f++) {
            double xB = 300 + 6 * f;
            boolean hidden = Math.abs(xB - 600) < 60;
            List<Pose> detections = new ArrayList<>();
            detections.add(Poses.person(600, 650, 350, 0.9));
            if (!hidden) {
                detections.add(Poses.person(xB, 560, 300, 0.9));
            } else {
                hiddenFrames++;
            }
            List<TrackedPose> out = tracker.update(f * FRAME_MS, detections);
            if (f == 10) {
                idA = idOf(out, 0);
                idB = idOf(out, 1);
                assertThat(idA).isNotEqualTo(idB);
            }
            if (f > 10) {
                assertThat(idOf(out, 0)).isEqualTo(idA);
                if (!hidden) {
                    assertThat(idOf(out, 1)).as("B at frame %d", f).isEqualTo(idB);
                } else {
                    long hiddenId = idB;
                    assertThat(out).anySatisfy(t -> {
                        assertThat(t.trackId()).isEqualTo(hiddenId);
                        assertThat(t.phase()).isEqualTo(TrackPhase.LOST);
                    });
                }
            }
        }
        assertThat(hiddenFrames).isGreaterThanOrEqualTo(19);
    }

    @Test
    void aPersonLeavingAndReturningWithinTheWindowKeepsTheId() {
        long id = walkOutAndBack(1000);
        assertThat(id).isEqualTo(1);
    }

    @Test
    void aPersonReturningAfterTheWindowGetsANewId() {
        long id = walkOutAndBack(TrackerConfig.DEFAULTS.maxLostMs() + 500);
        assertThat(id).isEqualTo(2);
    }

    /** Walks right to the edge, is gone for {@code awayMs}, comes back at the edge; returns the id it comes back with. */
    private long walkOutAndBack(long awayMs) {
        return walkOutAndBack(awayMs, -1, new ArrayList<>());
    }

    /**
     * The same, dressed in torso colour {@code returnTorso} (0 when leaving; -1: no colours at all) when coming back;
     * the events while away are added to {@code away}.
     */
    private long walkOutAndBack(long awayMs, int returnTorso, List<TrackedPose> away) {
        long t = 0;
        for (int f = 0; f < 20; f++, t += FRAME_MS) {
            Pose person = Poses.person(1100 + 6 * f, 650);
            tracker.update(t, List.of(returnTorso < 0 ? person : Poses.dressed(person, 0, 14)));
        }
        long last = t;
        for (; t < last + awayMs; t += FRAME_MS) {
            away.addAll(tracker.update(t, List.of()));
        }
        long id = 0;
        for (int f = 0; f < 5; f++, t += FRAME_MS) {
            Pose person = Poses.person(1214 - 6 * f, 650);
            id = idOf(tracker.update(t, List.of(returnTorso < 0 ? person : Poses.dressed(person, returnTorso, 14))), 0);
        }
        return id;
    }

    @Test
    void aPersonReturningAfterTheLostWindowInTheSameColoursKeepsTheId() {
        List<TrackedPose> away = new ArrayList<>();
        long id = walkOutAndBack(TrackerConfig.DEFAULTS.maxLostMs() + 1500, 0, away);

        assertThat(id).isEqualTo(1);
        // Dormant past the lost window: out of the events, and never reported removed.
        assertThat(away).allSatisfy(t -> assertThat(t.phase()).isEqualTo(TrackPhase.LOST));
        assertThat(away).hasSizeLessThan((int) ((TrackerConfig.DEFAULTS.maxLostMs() + 1500) / FRAME_MS));
    }

    @Test
    void aPersonInOtherColoursReturningAfterTheLostWindowGetsANewId() {
        long id = walkOutAndBack(TrackerConfig.DEFAULTS.maxLostMs() + 1500, 6, new ArrayList<>());
        assertThat(id).isEqualTo(2);
    }

    @Test
    void aDormantTrackEndsRemovedOnceAfterItsWindow() {
        List<TrackedPose> away = new ArrayList<>();
        TrackerConfig c = TrackerConfig.DEFAULTS;
        long id = walkOutAndBack(c.maxLostMs() + c.reidWindowMs() + 500, 0, away);

        assertThat(id).isEqualTo(2);
        assertThat(away)
                .filteredOn(t -> t.phase() == TrackPhase.REMOVED)
                .singleElement()
                .satisfies(t -> assertThat(t.trackId()).isEqualTo(1));
    }

    @Test
    void aLostTrackPastTheWindowIsReportedRemovedOnceAtItsLastSeenPose() {
        long t = 0;
        Pose last = null;
        for (int f = 0; f < 10; f++, t += FRAME_MS) {
            last = Poses.person(400 + 6 * f, 650);
            tracker.update(t, List.of(last));
        }
        long lastSeen = t - FRAME_MS;
        List<Long> removedAt = new ArrayList<>();
        List<TrackedPose> removed = new ArrayList<>();
        for (; t < lastSeen + 4000; t += FRAME_MS) {
            for (TrackedPose p : tracker.update(t, List.of())) {
                if (p.phase() == TrackPhase.REMOVED) {
                    removedAt.add(t);
                    removed.add(p);
                } else {
                    assertThat(p.phase()).isEqualTo(TrackPhase.LOST);
                    assertThat(removed).as("reported after its removal").isEmpty();
                }
            }
        }
        long maxLost = TrackerConfig.DEFAULTS.maxLostMs();
        // The first frame more than maxLostMs after the last match, and only that one.
        long expected = lastSeen + (maxLost / FRAME_MS + 1) * FRAME_MS;
        assertThat(removedAt).containsExactly(expected);
        Pose lastMatched = last;
        assertThat(removed).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo(1);
            assertThat(p.pose()).isEqualTo(lastMatched);
            assertThat(p.matched()).isFalse();
        });
        assertThat(tracker.tracks()).isEmpty();
    }

    @Test
    void aTentativeTrackThatKeepsMissingIsReportedRemovedOnce() {
        tracker.update(0, List.of(Poses.person(400, 650)));
        // Unmatched within its window it waits, unreported (it is no one yet).
        assertThat(tracker.update(FRAME_MS, List.of())).isEmpty();
        assertThat(tracker.tracks()).singleElement().extracting(Track::phase).isEqualTo(TrackPhase.TENTATIVE);
        long after = TrackerConfig.DEFAULTS.tentativeMaxLostMs() + FRAME_MS;
        List<TrackedPose> missed = tracker.update(after, List.of());
        assertThat(missed).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo(1);
            assertThat(p.phase()).isEqualTo(TrackPhase.REMOVED);
        });
        assertThat(tracker.update(after + FRAME_MS, List.of())).isEmpty();
    }

    @Test
    void aTrackPastTheWindowIsNotMatchedAfterAGapWithoutFrames() {
        long t = 0;
        for (int f = 0; f < 10; f++, t += FRAME_MS) {
            tracker.update(t, List.of(Poses.person(400, 650)));
        }
        tracker.update(t, List.of()); // lost
        // No frames for longer than the window, then the same person at the same place: a new track.
        List<TrackedPose> out =
                tracker.update(t + TrackerConfig.DEFAULTS.maxLostMs() + 500, List.of(Poses.person(400, 650)));
        assertThat(out)
                .extracting(TrackedPose::trackId, TrackedPose::phase)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, TrackPhase.REMOVED),
                        org.assertj.core.groups.Tuple.tuple(2L, TrackPhase.TENTATIVE));
    }

    @Test
    void idsIncreaseAndAreNeverReused() {
        List<Long> born = new ArrayList<>();
        long t = 0;
        for (int round = 0; round < 4; round++) {
            for (int f = 0; f < 5; f++, t += FRAME_MS) {
                for (TrackedPose p : tracker.update(t, List.of(Poses.person(200 + 300 * round, 600)))) {
                    if (!born.contains(p.trackId())) {
                        born.add(p.trackId());
                    }
                }
            }
            t += TrackerConfig.DEFAULTS.maxLostMs() + 500; // past the lost window: the next person is new
        }
        assertThat(born).containsExactly(1L, 2L, 3L, 4L);
        assertThat(tracker.nextId()).isEqualTo(5);
    }

    @Test
    void lowScoreDetectionsKeepConfirmedTracksButStartNone() {
        for (int f = 0; f < 5; f++) {
            tracker.update(f * FRAME_MS, List.of(Poses.person(500 + 5 * f, 600, 300, 0.9)));
        }
        // Half hidden: score 0.3 is a third of the camera's reference score (0.9 so far), below the first pass
        // (0.4 of it) but above the low pass (0.3 of it).
        List<TrackedPose> out = tracker.update(
                5 * FRAME_MS, List.of(Poses.person(525, 600, 300, 0.3), Poses.person(1000, 400, 200, 0.3)));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).trackId()).isEqualTo(1);
        assertThat(out.get(0).phase()).isEqualTo(TrackPhase.CONFIRMED);
        assertThat(out.get(0).detection()).isZero();
    }

    @Test
    void aSmallLowScoreDetectionNextToAPersonIsNotTakenForThem() {
        // A person standing still, 90 px tall, posed twice a second; a 30-px bag held at their middle scores a third of
        // them (the low pass) the one time the detector misses the person: the bag is not the person.
        long t = 0;
        for (int f = 0; f < 6; f++, t += 500) {
            tracker.update(t, List.of(Poses.person(400, 500, 90, 0.45)));
        }
        List<TrackedPose> out = tracker.update(t, List.of(Poses.person(401, 469, 30, 0.15)));
        assertThat(out).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo(1);
            assertThat(p.phase()).isEqualTo(TrackPhase.LOST);
        });
        // With the size rule off (any ratio), the same bag is taken in the low pass.
        PoseTracker anySize = new PoseTracker(
                TrackerConfig.DEFAULTS.toBuilder().lowMaxHeightRatio(100).build());
        t = 0;
        for (int f = 0; f < 6; f++, t += 500) {
            anySize.update(t, List.of(Poses.person(400, 500, 90, 0.45)));
        }
        assertThat(anySize.update(t, List.of(Poses.person(401, 469, 30, 0.15))))
                .singleElement()
                .satisfies(p -> assertThat(p.detection()).isZero());
    }

    @Test
    void aConfirmedTrackIsReportedAtItsPredictionForOneMissedFrameOnly() {
        // Walking right at 100 px/s, posed every 500 ms, missed twice in a row after confirmation.
        long t = 0;
        for (int f = 0; f < 4; f++, t += 500) {
            List<TrackedPose> out = tracker.update(t, List.of(Poses.person(300 + 0.1 * t, 500, 100, 0.4)));
            assertThat(tracker.reported(out.get(0))).isEqualTo(f >= 1);
        }
        TrackedPose first = tracker.update(t, List.of()).get(0);
        assertThat(first.phase()).isEqualTo(TrackPhase.LOST);
        assertThat(first.matched()).isFalse();
        assertThat(tracker.reported(first)).isTrue();
        // Reported where the person walked to, not where last seen.
        assertThat(first.pose().box().centreX()).isCloseTo(300 + 0.1 * t, within(8.0));
        t += 500;
        TrackedPose second = tracker.update(t, List.of()).get(0);
        assertThat(second.phase()).isEqualTo(TrackPhase.LOST);
        assertThat(tracker.reported(second)).isFalse();
        // 0 reports matched tracks only.
        PoseTracker matchedOnly = new PoseTracker(
                TrackerConfig.DEFAULTS.toBuilder().reportLostFrames(0).build());
        for (long u = 0; u < 2000; u += 500) {
            matchedOnly.update(u, List.of(Poses.person(300 + 0.1 * u, 500, 100, 0.4)));
        }
        assertThat(matchedOnly.reported(matchedOnly.update(2000, List.of()).get(0)))
                .isFalse();
    }

    @Test
    void aLostTrackIsWhereItsLastPublishedPoseIsExpected() {
        // Walking right at 100 px/s; in the last matched frame the left wrist jumps 10% of the height (smoothed, so
        // published short of the jump). Missed next: the whole published skeleton moves by one displacement.
        long t = 0;
        TrackedPose last = null;
        Pose raw = null;
        for (int f = 0; f < 4; f++, t += 500) {
            raw = Poses.person(300 + 0.1 * t, 500, 100, 0.4);
            if (f == 3) {
                double[] x = new double[17];
                double[] y = new double[17];
                double[] s = new double[17];
                for (int k = 0; k < 17; k++) {
                    x[k] = raw.x(k) + (k == 9 ? 10 : 0);
                    y[k] = raw.y(k);
                    s[k] = raw.score(k);
                }
                raw = new Pose(x, y, s, raw.box(), raw.personScore());
            }
            last = tracker.update(t, List.of(raw)).get(0);
        }
        TrackedPose lost = tracker.update(t, List.of()).get(0);
        assertThat(lost.phase()).isEqualTo(TrackPhase.LOST);
        double moved = lost.pose().x(0) - last.smoothed().x(0);
        assertThat(moved).isCloseTo(50, within(10.0));
        assertThat(last.smoothed().x(9)).isLessThan(raw.x(9) - 1);
        assertThat(lost.pose().x(9) - last.smoothed().x(9)).isCloseTo(moved, within(1e-9));
        assertThat(lost.smoothed()).isSameAs(lost.pose());
    }

    @Test
    void twoPeopleCrossingKeepTheirIds() {
        // Opposite directions at nearly the same depth; motion tells them apart where they overlap.
        for (int f = 0; f < 60; f++) {
            List<TrackedPose> out = tracker.update(
                    f * FRAME_MS,
                    List.of(Poses.person(300 + 10 * f, 600, 300, 0.9), Poses.person(900 - 10 * f, 610, 300, 0.9)));
            if (f >= 2) {
                assertThat(idOf(out, 0))
                        .as("left-to-right walker at frame %d", f)
                        .isEqualTo(1);
                assertThat(idOf(out, 1))
                        .as("right-to-left walker at frame %d", f)
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void scoreThresholdsFollowTheScaleOfTheScores() {
        // The same scene scored as confident models score it (0.9, a half-hidden person 0.3) and as the default
        // models score small people (0.36, 0.12): the same tracks, states and matches.
        PoseTracker confident = new PoseTracker(TrackerConfig.DEFAULTS);
        PoseTracker modest = new PoseTracker(TrackerConfig.DEFAULTS);
        for (int f = 0; f < 40; f++) {
            double scale = 0.4;
            boolean halfHidden = f % 5 == 4;
            double a = halfHidden ? 0.3 : 0.9;
            List<TrackedPose> x = confident.update(
                    f * 500L,
                    List.of(Poses.person(100 + 30 * f, 500, 120, a), Poses.person(700 - 20 * f, 400, 90, 0.8)));
            List<TrackedPose> y = modest.update(
                    f * 500L,
                    List.of(
                            Poses.person(100 + 30 * f, 500, 120, a * scale),
                            Poses.person(700 - 20 * f, 400, 90, 0.8 * scale)));
            assertThat(y)
                    .extracting(TrackedPose::trackId, TrackedPose::phase, TrackedPose::detection)
                    .containsExactlyElementsOf(x.stream()
                            .map(t -> org.assertj.core.groups.Tuple.tuple(t.trackId(), t.phase(), t.detection()))
                            .toList());
        }
        assertThat(modest.referenceScore()).isCloseTo(0.4 * confident.referenceScore(), within(0.02));
        assertThat(modest.nextId()).isEqualTo(3);
    }

    @Test
    void aCameraThatHasSeenOnlyClutterStartsNoTrackOnIt() {
        // An empty street: a bag scoring 0.1 every frame, then a person walks in.
        for (int f = 0; f < 20; f++) {
            List<Pose> seen = new java.util.ArrayList<>(List.of(Poses.person(300, 250, 28, 0.1)));
            if (f >= 10) {
                seen.add(Poses.person(100 + 30 * f, 500, 90, 0.4));
            }
            List<TrackedPose> out = tracker.update(f * 500L, seen);
            assertThat(out).noneMatch(t -> t.detection() == 0);
        }
        assertThat(tracker.referenceScore()).isGreaterThanOrEqualTo(TrackerConfig.DEFAULTS.minReferenceScore());
        assertThat(tracker.tracks())
                .singleElement()
                .satisfies(t -> assertThat(t.phase()).isEqualTo(TrackPhase.CONFIRMED));
    }

    @Test
    void clutterScoringFarBelowThePeopleStartsNoTrack() {
        // Two people scoring 0.3-0.45 (the default models on small people) and a pole scoring 0.09 every frame.
        for (int f = 0; f < 20; f++) {
            List<TrackedPose> out = tracker.update(
                    f * 500L,
                    List.of(
                            Poses.person(100 + 30 * f, 500, 90, 0.45),
                            Poses.person(600 - 20 * f, 420, 70, 0.3),
                            Poses.person(300, 250, 28, 0.09)));
            assertThat(out).noneMatch(t -> t.detection() == 2);
        }
        assertThat(tracker.tracks()).hasSize(2).allMatch(t -> t.phase() == TrackPhase.CONFIRMED);
    }

    @Test
    void peopleWalkingSideBySideAtTwoFramesASecondKeepTheirIds() {
        // Two walkers half a body width apart at the same pace, posed every 400-700 ms.
        java.util.Random random = new java.util.Random(4);
        long t = 0;
        for (int f = 0; f < 40; f++) {
            double x = 100 + 0.06 * t;
            List<TrackedPose> out =
                    tracker.update(t, List.of(Poses.person(x, 500, 100, 0.4), Poses.person(x + 30, 515, 105, 0.4)));
            if (f >= 1) {
                assertThat(idOf(out, 0)).isEqualTo(1);
                assertThat(idOf(out, 1)).isEqualTo(2);
            }
            t += 400 + random.nextInt(300);
        }
    }

    @Test
    void onACameraPosedEveryThreeSecondsAMissDoesNotEndTheTrack() {
        // A person standing still, posed every 3 s, missed by the detector once: the same id after the miss.
        long t = 0;
        for (int f = 0; f < 4; f++, t += 3000) {
            tracker.update(t, List.of(Poses.person(300, 500, 100, 0.4)));
        }
        tracker.update(t, List.of());
        t += 3000;
        List<TrackedPose> back = tracker.update(t, List.of(Poses.person(302, 500, 100, 0.4)));
        assertThat(back).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo(1);
            assertThat(p.phase()).isEqualTo(TrackPhase.CONFIRMED);
        });
        assertThat(tracker.posedIntervalMs()).isCloseTo(3000, within(1.0));
    }

    @Test
    void onACameraPosedOnceASecondAWalkerMissedTwiceKeepsTheId() {
        // A person walking a body height a second, posed every second (four cameras on one small worker), missed by
        // the detector twice in a row: 3 s after last seen they are 3 heights on. A prediction that stopped moving
        // after maxPredictionMs (1.5 s) would look 1.5 heights behind them.
        long t = 0;
        for (int f = 0; f < 4; f++, t += 1000) {
            tracker.update(t, List.of(Poses.person(100 + 0.1 * t, 500, 100, 0.4)));
        }
        long lastSeen = t - 1000;
        tracker.update(t, List.of());
        t += 1000;
        tracker.update(t, List.of());
        t += 1000;
        assertThat(t - lastSeen).isGreaterThanOrEqualTo(2 * tracker.config().maxPredictionMs());
        List<TrackedPose> back = tracker.update(t, List.of(Poses.person(100 + 0.1 * t, 500, 100, 0.4)));
        assertThat(back).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo(1);
            assertThat(p.phase()).isEqualTo(TrackPhase.CONFIRMED);
        });
    }

    @Test
    void onACameraPosedOnceASecondAMissedPersonsTrackDoesNotTakeAPasserByDressedAlike() {
        // A person standing, posed every second, then missed; a second later someone in the same clothes stands 2.2
        // body heights away. After a second the prediction's uncertainty is at its bound, so twice the motion gate
        // reaches past them, but nobody walks 2.2 heights off their expected place in a second: a new person.
        long t = 0;
        for (int f = 0; f < 4; f++, t += 1000) {
            tracker.update(t, List.of(Poses.dressed(Poses.person(300, 500, 100, 0.4), 0, 14)));
        }
        tracker.update(t, List.of());
        t += 1000;
        List<TrackedPose> out = tracker.update(t, List.of(Poses.dressed(Poses.person(520, 500, 100, 0.4), 0, 14)));

        assertThat(idOf(out, 0)).isEqualTo(2);
        assertThat(out)
                .filteredOn(p -> p.trackId() == 1)
                .singleElement()
                .satisfies(p -> assertThat(p.phase()).isEqualTo(TrackPhase.LOST));
    }

    private static long idOf(List<TrackedPose> out, int detection) {
        return out.stream()
                .filter(t -> t.detection() == detection)
                .findFirst()
                .orElseThrow(() -> new AssertionError("detection " + detection + " not tracked: " + out))
                .trackId();
    }
}
