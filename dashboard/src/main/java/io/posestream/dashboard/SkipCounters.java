package io.posestream.dashboard;

/**
 * Totals over all cameras since the dashboard started: what arrived, what was joined, and what was skipped.
 *
 * @param frames             frames received and accepted
 * @param events             pose events received and accepted
 * @param joined             frames shown with their pose event
 * @param framesWithoutEvent frames that found no event
 * @param eventsWithoutFrame events that found no frame
 * @param malformedFrames    records on the frames topic that could not be read or were invalid
 * @param malformedEvents    records on the events topic that could not be read or were invalid
 * @param activities         activity events received and accepted (with a rules file only)
 * @param zoneCounts         zone counts received and accepted (with a rules file only)
 * @param malformedAnalytics records on the activity or zone-count topics that could not be read or were invalid
 * @param lastSkipReason     the latest reason a record was skipped ("" if none), for the page
 */
public record SkipCounters(
        long frames,
        long events,
        long joined,
        long framesWithoutEvent,
        long eventsWithoutFrame,
        long malformedFrames,
        long malformedEvents,
        long activities,
        long zoneCounts,
        long malformedAnalytics,
        String lastSkipReason) {}
