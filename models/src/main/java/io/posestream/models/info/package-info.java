/**
 * What a model is: parameters, multiply-accumulates, signature and metadata, for `posestream model info` and the
 * benchmarks. Layer 1 (stages), module models.
 */
package io.posestream.models.info;
