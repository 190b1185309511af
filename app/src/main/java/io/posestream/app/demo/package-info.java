/**
 * The demo command: the embedded default end to end with a status line. Layer 3 (entry points), module app.
 */
package io.posestream.app.demo;
