/**
 * The tracker command and its offline companions: replay, synthetic scenes, evaluation. Layer 3 (entry points),
 * module app.
 */
package io.posestream.app.track;
