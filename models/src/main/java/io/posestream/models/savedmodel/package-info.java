/**
 * The SavedModel contract: metadata asset, signature checks on load and export, session settings. The inference
 * worker loads models only through LoadedModel. Layer 1 (stages), module models.
 */
package io.posestream.models.savedmodel;
