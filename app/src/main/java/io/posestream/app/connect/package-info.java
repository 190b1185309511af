/**
 * {@code posestream connect}: a Kafka Connect worker in distributed mode with the posestream plugin directory loaded,
 * its settings, the connectors it creates at start, and the bridge of Connect's metrics (the cameras' included) to the
 * service endpoint. App layer: wires Kafka's connect-runtime to posestream's options; no module depends on it.
 */
package io.posestream.app.connect;
