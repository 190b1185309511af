/**
 * The dashboard command. Layer 3 (entry points), module app.
 */
package io.posestream.app.dashboard;
