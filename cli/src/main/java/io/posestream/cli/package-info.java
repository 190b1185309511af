/**
 * What every posestream command shares: settings from flags, environment and a config file (ServiceSettings), the
 * Kafka, cluster, endpoint, model and partition option groups, flags generated from a service's ConfigDef
 * (SettingFlags), and running in the foreground until Ctrl-C. Layer 2 (assembly), module cli.
 */
package io.posestream.cli;
