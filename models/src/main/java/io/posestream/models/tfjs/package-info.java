/**
 * TFJS graph models to TensorFlow GraphDefs: the JSON topology, the weights manifest and its quantisations, and the
 * rewrites of TFJS-only fused ops. Layer 1 (stages), module models.
 */
package io.posestream.models.tfjs;
