package io.posestream.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;

/** The contract as a non-Java client sees it: the plain .avsc files, shared types first. */
final class AvscFiles {
    private static final Path DIR = Path.of("src/main/avro");
    private static final List<String> COMMON = List.of(
            "Box",
            "Keypoint",
            "FrameStatus",
            "ImageEncoding",
            "TrackState",
            "Person",
            "StageTimings",
            "Velocity",
            "TrackedPerson");

    private AvscFiles() {}

    /** The fully resolved schema of a top-level record (Frame, PoseFrame, PoseEvent). */
    static Schema load(String name) {
        try {
            Schema.Parser parser = new Schema.Parser();
            for (String common : COMMON) {
                parser.parse(Files.readString(DIR.resolve("common").resolve(common + ".avsc")));
            }
            return parser.parse(Files.readString(DIR.resolve(name + ".avsc")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
