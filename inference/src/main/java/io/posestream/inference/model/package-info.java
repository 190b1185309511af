/**
 * Runs the detector and pose SavedModels on prepared inputs: batching to each graph's limit, tensors in and out.
 * Layer 1 (stages), module inference; above image and postprocess.
 */
package io.posestream.inference.model;
