/**
 * Model commands: prepare the pretrained models, export HRNet, describe a model. Layer 3 (entry points), module
 * app.
 */
package io.posestream.app.model;
