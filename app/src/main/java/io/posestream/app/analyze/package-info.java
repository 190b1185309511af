/** The analyze command: activity analytics on tracked poses from a rules file. Layer 3 (entry points), module app. */
package io.posestream.app.analyze;
