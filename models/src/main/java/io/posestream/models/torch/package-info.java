/**
 * Reads PyTorch checkpoints (zip and legacy formats) without Python: the pickle subset, storages and tensors. Layer
 * 1 (stages), module models.
 */
package io.posestream.models.torch;
