/**
 * Tracking-driven crops: which frames of a camera get the person detector, and where the crops of the others come
 * from (each person's previous keypoints, moved by their motion). Pure decisions on hand-made inputs, with the
 * per-camera state the inference worker keeps in memory. Layer 1 (stages), module inference; above model (it speaks
 * in its detections), below pipeline.
 */
package io.posestream.inference.crops;
