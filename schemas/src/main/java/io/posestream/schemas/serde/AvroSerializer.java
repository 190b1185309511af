package io.posestream.schemas.serde;

import io.posestream.schemas.registry.RegisteredSchema;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for Avro records (generated SpecificRecord classes or GenericRecord) in Confluent's wire
 * format. The subject is {@code <topic>-value} or {@code <topic>-key} (TopicNameStrategy).
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
    private SchemaRegistryClient client;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatestVersion;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroSerializer() {}

    /** A serializer sharing an existing registry client; {@link #configure} still reads the other settings. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = config.createClient();
        }
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        String subject = WireFormat.subject(topic, isKey);
        Schema schema = record.getSchema();
        Object datum = record;
        int id;
        if (useLatestVersion) {
            RegisteredSchema latest = latestVersion(topic, subject);
            if (!latest.schema().equals(RegistrySchemas.plain(schema))) {
                datum = project(topic, subject, record, latest);
                schema = latest.schema();
            }
            id = latest.id();
        } else {
            id = idsBySubject
                    .computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                    .computeIfAbsent(schema, s -> schemaId(topic, subject, s));
        }
        return encode(topic, id, schema, datum);
    }

    private int schemaId(String topic, String subject, Schema schema) {
        Schema plain = RegistrySchemas.plain(schema);
        try {
            return autoRegister
                    ? client.register(subject, plain)
                    : client.lookup(subject, plain).id();
        } catch (SchemaRegistryException e) {
            String hint = autoRegister ? "" : " (auto.register.schemas=false: register it first)";
            throw new SerializationException(
                    "Cannot get a schema id for " + schema.getFullName() + " under subject " + subject + " for topic "
                            + topic + hint + ": " + e.getMessage(),
                    e);
        }
    }

    private RegisteredSchema latestVersion(String topic, String subject) {
        try {
            return client.latest(subject);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "use.latest.version: cannot read the latest schema of subject " + subject + " for topic " + topic
                            + ": " + e.getMessage(),
                    e);
        }
    }

    /** Rewrites the record into the latest schema with Avro's own schema resolution (writer = record's schema). */
    private Object project(String topic, String subject, T record, RegisteredSchema latest) {
        Schema own = record.getSchema();
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), own);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("use.latest.version: latest schema of subject " + subject + " (version "
                    + latest.version() + ", id " + latest.id() + ") cannot read records of " + own.getFullName()
                    + " for topic " + topic + ": " + compatibility.getResult().getIncompatibilities());
        }
        byte[] body = body(topic, own, record);
        try {
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(own, latest.schema());
            return reader.read(null, DecoderFactory.get().binaryDecoder(body, null));
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException(
                    "use.latest.version: cannot project record onto subject " + subject + " version " + latest.version()
                            + " for topic " + topic + ": " + e.getMessage(),
                    e);
        }
    }

    private byte[] encode(String topic, int id, Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        writeBody(topic, schema, datum, out);
        return out.toByteArray();
    }

    private byte[] body(String topic, Schema schema, Object datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeBody(topic, schema, datum, out);
        return out.toByteArray();
    }

    private void writeBody(String topic, Schema schema, Object datum, ByteArrayOutputStream out) {
        try {
            // Buffered: a pose record is hundreds of small floats, and the direct encoder makes one synchronized
            // stream write per float (the tracker's profile showed it as its largest single cost).
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> writerFor(s, datum)).write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(Schema schema, Object datum) {
        if (datum instanceof SpecificRecordBase specific) {
            return (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema, specific.getSpecificData());
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    @Override
    public void close() {
        // The registry client holds no resources that need closing.
    }
}
