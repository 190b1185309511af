/**
 * Pose and detector models as TensorFlow SavedModels: where they live (ModelsDir), their contract, HRNet built in
 * TensorFlow Java, and imports of official checkpoints and of the pretrained TFJS models. Layer 1 (stages), module
 * models.
 */
package io.posestream.models;
