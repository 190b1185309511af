package io.posestream.app;

import io.posestream.avro.Frame;
import io.posestream.avro.ImageEncoding;
import io.posestream.schemas.Topics;
import io.posestream.schemas.registry.SchemaRegistryClient;
import io.posestream.schemas.serde.AvroSerdes;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default end to end. At this stage of the project: broker and registry up, one Frame produced
 * to posestream.frames through the registry and read back.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run posestream on the embedded default: embedded Kafka and schema registry on 127.0.0.1; "
                + "a Frame is produced through the registry and read back.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--registry-port", description = "Schema registry HTTP port (default: any free port).",
            defaultValue = "0")
    int registryPort;

    @Override
    public Integer call() throws IOException {
        try (EmbeddedStack stack = EmbeddedStack.start(4, registryPort)) {
            System.out.println("Kafka broker     bootstrap.servers=" + stack.bootstrapServers());
            System.out.println("Schema registry  schema.registry.url=" + stack.registryUrl());
            Frame sent = sampleFrame();
            RecordMetadata where = produce(stack, sent);
            Frame received = consume(stack);
            int schemaId = SchemaRegistryClient.forUrl(stack.registryUrl()).latest(Topics.FRAMES + "-value").id();
            System.out.printf("Produced Frame   %s-%d offset %d, %d bytes of JPEG, schema id %d (subject %s-value)%n",
                    where.topic(), where.partition(), where.offset(), sent.getImage().remaining(), schemaId,
                    Topics.FRAMES);
            System.out.printf("Read back Frame  cameraId=%s seq=%d captureTime=%s pts=%d %dx%d %s image=%d bytes%n",
                    received.getCameraId(), received.getSeq(), received.getCaptureTime(), received.getPts(),
                    received.getWidth(), received.getHeight(), received.getEncoding(),
                    received.getImage().remaining());
            if (!received.equals(sent)) {
                System.err.println("The Frame read back differs from the one produced");
                return 1;
            }
            System.out.println("OK: the Frame read back equals the Frame produced.");
            return 0;
        }
    }

    private static RecordMetadata produce(EmbeddedStack stack, Frame frame) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(Topics.producerSizing());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(),
                AvroSerdes.specific(Frame.class, stack.clientConfig(), false).serializer())) {
            return producer.send(new ProducerRecord<>(Topics.FRAMES, frame.getCameraId(), frame)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Cannot produce to " + Topics.FRAMES + ": " + e.getCause().getMessage(), e);
        }
    }

    private static Frame consume(EmbeddedStack stack) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig());
        config.putAll(Topics.consumerSizing());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "posestream-demo");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerdes.specific(Frame.class, stack.clientConfig(), false).deserializer())) {
            consumer.subscribe(List.of(Topics.FRAMES));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Frame> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        throw new IllegalStateException("No Frame arrived on " + Topics.FRAMES + " within 30 s");
    }

    /** A synthetic 640x480 JPEG: the sample camera arrives with the Ingest issue. */
    private static Frame sampleFrame() throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 40, 60));
        g.fillRect(0, 0, 640, 480);
        g.setColor(Color.ORANGE);
        g.setStroke(new BasicStroke(6));
        g.drawOval(300, 100, 40, 40);
        g.drawLine(320, 140, 320, 260);
        g.drawLine(320, 170, 270, 220);
        g.drawLine(320, 170, 370, 220);
        g.drawLine(320, 260, 290, 350);
        g.drawLine(320, 260, 350, 350);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        return Frame.newBuilder().setCameraId("demo-cam").setSeq(0).setCaptureTime(Instant.now())
                .setPts(0).setWidth(640).setHeight(480).setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(jpeg.toByteArray())).build();
    }
}
