/**
 * Images in and model inputs out: decoding the frame's JPEG, and the resized and affine-cropped float inputs of the
 * networks (OpenCV). Layer 1 (stages), module inference; above geometry.
 */
package io.posestream.inference.image;
