#!/usr/bin/env python3
"""Reads posestream's pose events and activity events and prints one line per record.

Confluent's Python client (Debian python3-confluent-kafka) consumes, its SchemaRegistryClient fetches each writer
schema once by id (GET /schemas/ids/{id}, cached), and Apache Avro (Debian python3-avro) decodes. The client's own
AvroDeserializer would do the last two steps, but it needs fastavro, which Debian does not ship.

    python3 consume.py --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081
"""
import argparse
import io
import struct
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient

POSE_EVENTS = "posestream.pose-events"
ACTIVITY_EVENTS = "posestream.activity-events"


class AvroDecoder:
    """Confluent's wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary record."""

    def __init__(self, registry_url):
        self.registry = SchemaRegistryClient({"url": registry_url})
        self.readers = {}

    def decode(self, payload):
        magic, schema_id = struct.unpack(">bI", payload[:5])
        if magic != 0:
            raise ValueError(f"not Confluent wire format (magic byte {magic})")
        if schema_id not in self.readers:
            schema = self.registry.get_schema(schema_id)  # the client caches it too
            self.readers[schema_id] = avro.io.DatumReader(avro.schema.parse(schema.schema_str))
        return self.readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(payload[5:])))


def describe(topic, event):
    if topic == POSE_EVENTS:
        persons = " ".join(f"track {p['trackId']} {p['state']}" for p in event["persons"])
        return (f"pose {event['cameraId']} seq {event['seq']} at {event['captureTime'].isoformat()}: "
                f"{len(event['persons'])} persons: {persons}")
    track = "" if event["trackId"] is None else f" track {event['trackId']}"
    return (f"activity {event['cameraId']} seq {event['seq']} at {event['time'].isoformat()}: "
            f"{event['kind']} rule {event['rule']}{track}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--registry", default="http://127.0.0.1:8081", help="schema registry URL")
    parser.add_argument("--max", type=int, default=0, help="stop after this many records (0: run until Ctrl-C)")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many idle seconds (0: never)")
    args = parser.parse_args()

    decoder = AvroDecoder(args.registry)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": f"posestream-example-{uuid.uuid4()}",  # a fresh group: read from the start, commit nothing
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([POSE_EVENTS, ACTIVITY_EVENTS])
    seen, idle = 0, 0.0
    try:
        while args.max == 0 or seen < args.max:
            msg = consumer.poll(1.0)
            if msg is None:
                idle += 1.0
                if args.timeout and idle >= args.timeout:
                    break
                continue
            idle = 0.0
            if msg.error():
                print(f"error: {msg.error()}", flush=True)
                continue
            print(describe(msg.topic(), decoder.decode(msg.value())), flush=True)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
