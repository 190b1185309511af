/**
 * How a service declares its settings: one Kafka ConfigDef per service through ServiceConfig, misspelt keys of the
 * service's own prefix refused, and the Markdown settings tables of docs/ generated from the declarations. Depends
 * on kafka-clients only. Layer 0 (foundation), module config.
 */
package io.posestream.config;
