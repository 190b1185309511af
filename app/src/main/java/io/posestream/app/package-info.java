/**
 * The posestream command: the entry point and the registration of every subcommand. Nothing depends on this module.
 * Layer 3 (entry points), module app.
 */
package io.posestream.app;
