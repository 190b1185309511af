package io.posestream.schemas.serde;

import io.posestream.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificRecordBase;

/** The one place that builds posestream's Avro serdes; all share the client made from the given settings. */
public final class AvroSerdes {
    private AvroSerdes() {}

    /** A configured value (or key) serde for a generated record class. */
    public static <T extends SpecificRecordBase> AvroSerde<T> specific(
            Class<T> type, Map<String, ?> config, boolean isKey) {
        SchemaRegistryClient client = new AvroSerdeConfig(config).createClient();
        AvroSerde<T> serde = new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(client, type));
        serde.configure(config, isKey);
        return serde;
    }

    /** A configured value (or key) serde for generic records; readers get the writer's schema. */
    public static AvroSerde<GenericRecord> generic(Map<String, ?> config, boolean isKey) {
        SchemaRegistryClient client = new AvroSerdeConfig(config).createClient();
        AvroSerde<GenericRecord> serde =
                new AvroSerde<>(new AvroSerializer<>(client), new AvroDeserializer<>(client, (Schema) null));
        serde.configure(config, isKey);
        return serde;
    }

    /**
     * A configured deserializer whose readers the caller makes, one per writer schema readable as
     * {@code readerSchema}, for a stage that decodes straight into its own types (the Confluent framing, registry
     * lookups, compatibility and bounds checks stay the serde's).
     */
    public static <T> AvroDeserializer<T> reading(
            Schema readerSchema,
            Function<Schema, ? extends DatumReader<T>> readerForWriter,
            Map<String, ?> config,
            boolean isKey) {
        AvroDeserializer<T> deserializer =
                new AvroDeserializer<>(new AvroSerdeConfig(config).createClient(), readerSchema, readerForWriter);
        deserializer.configure(config, isKey);
        return deserializer;
    }
}
