/**
 * Examples for subscribers: a minimal consumer of pose events and activity events written the way a user of
 * posestream's topics would write it. Outside the pipeline's layers: it uses only the schemas module (generated Avro
 * classes, topic names and the serde), as any subscriber would.
 */
package io.posestream.examples;
