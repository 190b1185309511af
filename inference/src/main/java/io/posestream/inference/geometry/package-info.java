/**
 * Box to centre/scale and affine transforms as HRNet's utils/transforms.py has them. Pure Java, no TensorFlow, no
 * images. Layer 1 (stages), module inference; the lowest package of the module.
 */
package io.posestream.inference.geometry;
