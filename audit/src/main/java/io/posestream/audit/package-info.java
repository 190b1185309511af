/**
 * The audit of a running pipeline from outside: the frame, pose and pose-event topics read over a time window or
 * offsets and compared by (camera, seq), so an operator (or the fault suite) sees every frame answered exactly once,
 * or what was missing or duplicated. AuditLedger decides on records handed to it; TopicAudit reads the topics.
 * Layer 1 (stages, beside the dashboard as a reader of the pipeline's topics), module audit.
 */
package io.posestream.audit;
