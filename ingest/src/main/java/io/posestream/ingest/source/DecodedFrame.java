package io.posestream.ingest.source;

import org.bytedeco.javacv.Frame;

/**
 * A decoded BGR frame as the source returned it. The image buffer belongs to the source and is overwritten by its
 * next grab.
 *
 * @param image        BGR24 image, already scaled to the camera's max width
 * @param ptsMicros    presentation timestamp in the source's time base, microseconds (-1 when unknown)
 * @param wallMillis   wall-clock time when decoding finished
 * @param decodeNanos  time spent in the grab (read + decode + colour conversion and scaling)
 * @param damaged      the decoder reported errors in this frame (concealed, corrupt or missing references)
 */
public record DecodedFrame(Frame image, long ptsMicros, long wallMillis, long decodeNanos, boolean damaged) {}
