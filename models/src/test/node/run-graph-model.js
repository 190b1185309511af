// Runs an original TFJS graph model (model.json + weight shards) with pure-JS TensorFlow.js on one input and
// writes one output tensor, so the Java importer's SavedModel can be compared with the model as its authors ran it.
// Usage: node run-graph-model.js MODEL_JSON INPUT_RAW INPUT_DTYPE D0,D1,... OUTPUT_NODE OUTPUT_RAW
// Raw files are little-endian, no header (int32 or float32 in; float32 out). Prints the output shape as JSON.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

async function main() {
  const [modelJson, inputRaw, inputDtype, dims, outputNode, outputRaw] = process.argv.slice(2);
  if (!outputRaw) throw new Error('usage: run-graph-model.js MODEL_JSON INPUT_RAW INPUT_DTYPE DIMS OUTPUT_NODE OUTPUT_RAW');
  await tf.setBackend('cpu');
  const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const weightSpecs = [];
  const shards = [];
  for (const group of model.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) shards.push(fs.readFileSync(path.join(path.dirname(modelJson), p)));
  }
  const weights = Buffer.concat(shards);
  const handler = {
    load: async () => ({
      modelTopology: model.modelTopology,
      weightSpecs,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      format: model.format,
      generatedBy: model.generatedBy,
      convertedBy: model.convertedBy,
      signature: model.signature,
      userDefinedMetadata: model.userDefinedMetadata,
    }),
  };
  const graphModel = await tf.loadGraphModel(handler);
  const raw = fs.readFileSync(inputRaw);
  const shape = dims.split(',').map(Number);
  const values = inputDtype === 'int32'
    ? new Int32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
    : new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const input = tf.tensor(values.slice(), shape, inputDtype);
  const output = graphModel.execute(input, outputNode);
  const data = await output.data();
  fs.writeFileSync(outputRaw, Buffer.from(new Float32Array(data).buffer));
  process.stdout.write(JSON.stringify(output.shape) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
