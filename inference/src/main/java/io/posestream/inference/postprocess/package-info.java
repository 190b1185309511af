/**
 * What comes after the networks, as HRNet's core/inference.py does it: heatmap decoding with the quarter-pixel
 * shift, flip augmentation, rescoring, box NMS and OKS-NMS. Pure Java, tested on hand-made arrays. Layer 1
 * (stages), module inference; above geometry.
 */
package io.posestream.inference.postprocess;
