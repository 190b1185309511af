/**
 * The contract between the stages: topic names and settings (Topics), dead-letter records (DeadLetters) and the
 * COCO-17 keypoint definition (CocoKeypoints). The Avro classes of the same contract are generated into
 * io.posestream.avro. Layer 0 (foundation), module schemas.
 */
package io.posestream.schemas;
