/**
 * The live page: reads frames and pose events, joins them per camera, and pushes the latest frame with its
 * skeletons and figures to browsers over server-sent events. Layer 1 (stages), module dashboard.
 */
package io.posestream.dashboard;
