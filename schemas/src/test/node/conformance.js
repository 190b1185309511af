// Drives Confluent's own JavaScript schema registry client (@confluentinc/schemaregistry) against posestream's
// embedded registry and a real Kafka broker (through kafkajs), for ConfluentClientConformanceTest.
//
//   node conformance.js consume <bootstrap> <registryUrl> <topic> <count>
//       reads <count> records from the topic's start, deserializes each value with Confluent's AvroDeserializer
//       and prints one JSON line per record (bytes as base64, longs as numbers).
//   node conformance.js produce <bootstrap> <registryUrl> <topic> <schemaFile> <recordsFile>
//       registers the schema under <topic>-value with the Confluent client, serializes each record of the JSON
//       array in <recordsFile> (bytes given as base64) with Confluent's AvroSerializer and produces it.
//   node conformance.js auth <registryUrl> <userInfo> <caFile> <schemaFile> <subject>
//       against an HTTPS registry with basic auth: trusting the CA in <caFile> and sending <userInfo>
//       (user:password), registers the schema under <subject>, reads it back by id and lists the subjects; then
//       tries the same with a wrong password and with no credentials and reports the HTTP status of each refusal.
'use strict';
const fs = require('fs');
const https = require('https');
const { Kafka, logLevel } = require('kafkajs');
const {
  SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType,
} = require('@confluentinc/schemaregistry');

function kafka(bootstrap) {
  return new Kafka({ clientId: 'confluent-conformance', brokers: [bootstrap], logLevel: logLevel.ERROR });
}

function registry(url) {
  return new SchemaRegistryClient({ baseURLs: [url] });
}

// JSON cannot hold Buffers or BigInts; the Java side reads them back in these forms.
function toJson(value) {
  return JSON.stringify(value, (key, v) => {
    if (v && v.type === 'Buffer' && Array.isArray(v.data)) return { base64: Buffer.from(v.data).toString('base64') };
    if (typeof v === 'bigint') return Number(v);
    return v;
  });
}

// Records arrive with {"base64": "..."} where the schema has bytes.
function fromJson(value) {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 1 && typeof value.base64 === 'string') return Buffer.from(value.base64, 'base64');
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJson(v);
    return out;
  }
  return value;
}

async function consume(bootstrap, registryUrl, topic, count) {
  const deserializer = new AvroDeserializer(registry(registryUrl), SerdeType.VALUE, {});
  const consumer = kafka(bootstrap).consumer({ groupId: `conformance-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const lines = [];
  await new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const value = await deserializer.deserialize(topic, message.value);
          lines.push(toJson(value));
          if (lines.length >= count) resolve();
        } catch (e) {
          reject(e);
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  for (const line of lines) process.stdout.write(line + '\n');
}

async function produce(bootstrap, registryUrl, topic, schemaFile, recordsFile) {
  const client = registry(registryUrl);
  const schema = fs.readFileSync(schemaFile, 'utf8');
  const id = await client.register(`${topic}-value`, { schemaType: 'AVRO', schema });
  const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
  const records = JSON.parse(fs.readFileSync(recordsFile, 'utf8')).map(fromJson);
  const messages = [];
  for (const record of records) {
    messages.push({ key: record.cameraId, value: await serializer.serialize(topic, record) });
  }
  const producer = kafka(bootstrap).producer();
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
  process.stdout.write(JSON.stringify({ registeredId: id, produced: messages.length }) + '\n');
}

// A client of an HTTPS registry signed by a private CA, with basic auth when userInfo is given.
function securedRegistry(url, userInfo, caFile) {
  const config = {
    baseURLs: [url],
    maxRetries: 0,
    createAxiosDefaults: { httpsAgent: new https.Agent({ ca: fs.readFileSync(caFile) }) },
  };
  if (userInfo) config.basicAuthCredentials = { credentialsSource: 'USER_INFO', userInfo };
  return new SchemaRegistryClient(config);
}

async function refusal(client, subject, schema) {
  try {
    await client.register(subject, { schemaType: 'AVRO', schema });
    return 'accepted';
  } catch (e) {
    return e.status || (e.response && e.response.status) || String(e);
  }
}

async function auth(registryUrl, userInfo, caFile, schemaFile, subject) {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  const client = securedRegistry(registryUrl, userInfo, caFile);
  const id = await client.register(subject, { schemaType: 'AVRO', schema });
  // A second client, with a cold cache, reads it back.
  const byId = await securedRegistry(registryUrl, userInfo, caFile).getBySubjectAndId(subject, id);
  const subjects = await client.getAllSubjects();
  const user = userInfo.split(':')[0];
  const wrongPassword = await refusal(securedRegistry(registryUrl, `${user}:wrong-password`, caFile), subject, schema);
  const noCredentials = await refusal(securedRegistry(registryUrl, null, caFile), subject, schema);
  process.stdout.write(JSON.stringify({
    id, sameSchema: JSON.stringify(JSON.parse(byId.schema)) === JSON.stringify(JSON.parse(schema)),
    subjects, wrongPassword, noCredentials,
  }) + '\n');
}

const [mode, ...args] = process.argv.slice(2);
const run = mode === 'consume' ? consume(args[0], args[1], args[2], Number(args[3]))
  : mode === 'produce' ? produce(...args)
    : mode === 'auth' ? auth(...args)
      : Promise.reject(new Error(`unknown mode '${mode}' (consume | produce | auth)`));
const timeout = setTimeout(() => { console.error('conformance.js timed out after 60 s'); process.exit(3); }, 60000);
run.then(() => { clearTimeout(timeout); process.exit(0); })
  .catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exit(2); });
