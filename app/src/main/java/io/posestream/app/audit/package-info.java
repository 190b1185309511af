/** The {@code audit} command: every frame answered exactly once, checked from outside. Layer 3 (entry points), module app. */
package io.posestream.app.audit;
