/**
 * The top-down pipeline on a batch of encoded images, Kafka-free: decode, detect, crop, pose the crops of all
 * images together, decode, rescore, OKS-NMS. Layer 1 (stages), module inference; above model.
 */
package io.posestream.inference.pipeline;
