package io.posestream.schemas.serde;

import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Confluent's wire format. The writer schema is fetched by id (cached) and resolved to
 * the reader's schema: the generated class's schema for specific records, the writer schema itself for
 * generic records. Old and new writers therefore both decode as long as the schemas are compatible. Every length a
 * record claims is checked before anything is allocated for it ({@link BoundedDecoder}): a record cannot make its
 * reader allocate more than its own size, nor a string longer than {@code posestream.avro.max.string.bytes}.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private SchemaRegistryClient client;
    private Class<? extends SpecificRecord> specificType;
    private Schema genericReaderSchema;
    private Function<Schema, ? extends DatumReader<?>> readerForWriter;
    private boolean specificReader;
    private int maxStringBytes =
            (Integer) AvroSerdeConfig.definition().defaultValues().get(AvroSerdeConfig.MAX_STRING_BYTES);
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroDeserializer() {}

    /** Decodes into the given generated class, sharing an existing registry client (may be null until configure). */
    public AvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> specificType) {
        this.client = client;
        this.specificType = specificType;
        this.specificReader = specificType != null;
    }

    /**
     * Decodes into GenericRecords of a fixed reader schema (say, the schema an application was written against),
     * whatever compatible schema the producer wrote with.
     */
    public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
        this.client = client;
        this.genericReaderSchema = readerSchema;
    }

    /**
     * Decodes with readers of the caller's making, one per writer schema (made when its id is first seen): for a
     * stage that reads only what it needs, straight into its own types. A writer schema is first checked readable
     * as {@code readerSchema}, as for any other reader here; the reader maker only sees those that are.
     */
    public AvroDeserializer(
            SchemaRegistryClient client,
            Schema readerSchema,
            Function<Schema, ? extends DatumReader<T>> readerForWriter) {
        this.client = client;
        this.genericReaderSchema = readerSchema;
        this.readerForWriter = readerForWriter;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (client == null) {
            client = config.createClient();
        }
        specificReader = specificType != null || config.specificAvroReader();
        maxStringBytes = config.maxStringBytes();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Truncated record on topic " + topic + ": " + data.length
                    + " bytes, but the Confluent wire format needs at least 5 (magic byte + 4-byte schema id)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        byte magic = buffer.get();
        if (magic != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Unknown magic byte 0x%02x on topic %s: expected 0x00 (Confluent Avro wire format)", magic, topic));
        }
        int id = buffer.getInt();
        DatumReader<Object> reader = readers.computeIfAbsent(id, k -> readerFor(topic, k));
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        try {
            return (T) reader.read(
                    null, new BoundedDecoder(decoder, data.length - WireFormat.HEADER_SIZE, maxStringBytes));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new SerializationException(
                    "Truncated or malformed Avro body on topic " + topic + " (schema id " + id + ", " + data.length
                            + " bytes): " + e,
                    e);
        }
    }

    private DatumReader<Object> readerFor(String topic, int id) {
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            String what = e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
                    ? "Unknown schema id " + id
                    : "Cannot fetch schema id " + id;
            throw new SerializationException(
                    what + " for a record on topic " + topic + " from schema registry " + client.describe() + ": "
                            + e.getMessage(),
                    e);
        }
        if (readerForWriter != null) {
            requireReadable(topic, id, writer, genericReaderSchema);
            @SuppressWarnings("unchecked")
            DatumReader<Object> reader = (DatumReader<Object>) readerForWriter.apply(writer);
            return reader;
        }
        if (!specificReader) {
            Schema reader = genericReaderSchema != null ? genericReaderSchema : writer;
            requireReadable(topic, id, writer, reader);
            return new GenericDatumReader<>(writer, reader, GenericData.get());
        }
        Class<?> type = specificType != null ? specificType : SpecificData.get().getClass(writer);
        if (type == null) {
            throw new SerializationException("specific.avro.reader=true but no generated class on the classpath for "
                    + writer.getFullName() + " (schema id " + id + ", topic " + topic + ")");
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        requireReadable(topic, id, writer, reader);
        return new SpecificDatumReader<>(writer, reader, model);
    }

    private static void requireReadable(String topic, int id, Schema writer, Schema reader) {
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("Records on topic " + topic + " written with schema id " + id + " ("
                    + writer.getFullName() + ") cannot be read as " + reader.getFullName() + ": "
                    + compatibility.getResult().getIncompatibilities());
        }
    }

    @Override
    public void close() {
        // The registry client holds no resources that need closing.
    }
}
