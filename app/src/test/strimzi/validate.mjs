// Reads a JSON array of Kubernetes objects on stdin; prints one JSON line per Strimzi object of kafka.strimzi.io/v1:
// {"kind", "name", "errors"} with errors null when the object is valid against Strimzi's CRD schema.
import { KafkaConnect } from "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaConnect";
import { KafkaConnector } from "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaConnector";

const models = { KafkaConnect, KafkaConnector };
let input = "";
for await (const chunk of process.stdin) input += chunk;
for (const object of JSON.parse(input)) {
  if (object.apiVersion !== "kafka.strimzi.io/v1") continue;
  const Model = models[object.kind];
  let errors = Model ? null : "no schema for kind " + object.kind;
  if (Model) {
    try {
      new Model(object).validate();
    } catch (e) {
      errors = e.message;
    }
  }
  console.log(JSON.stringify({ kind: object.kind, name: object.metadata?.name, errors }));
}
