/**
 * The ingest command and the sample camera command. Layer 3 (entry points), module app.
 */
package io.posestream.app.ingest;
