/**
 * The inference worker: a transactional consume-transform-produce loop from the frame topic to the pose topic.
 * BatchAnswers decides what each record is answered with; InferenceWorker does the Kafka I/O. Layer 1 (stages),
 * module inference; the top package of the module.
 */
package io.posestream.inference.worker;
