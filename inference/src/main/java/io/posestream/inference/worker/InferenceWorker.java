package io.posestream.inference.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.posestream.avro.Frame;
import io.posestream.avro.FrameStatus;
import io.posestream.avro.PoseFrame;
import io.posestream.inference.crops.CropPlanner;
import io.posestream.inference.pipeline.FrameInput;
import io.posestream.inference.pipeline.FrameOutcome;
import io.posestream.inference.pipeline.TopDownPipeline;
import io.posestream.schemas.registry.SchemaRegistryException;
import io.posestream.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inference worker: a consume-transform-produce loop from the frame topic to the pose topic that answers every
 * input frame with exactly one {@link PoseFrame}.
 *
 * <p>Frames from all assigned partitions (cameras) are gathered up to {@code inference.batch.frames} or
 * {@code inference.batch.wait.ms}, taken from the partitions in turn ({@link PendingFrames}, so no backlog starves
 * another partition), run through the {@link TopDownPipeline} together, and their PoseFrames, dead
 * letters and input offsets go out in one Kafka transaction ({@code sendOffsetsToTransaction} with the consumer's
 * group metadata, so a worker that lost its partitions is fenced). A crash before the commit leaves nothing
 * visible to read_committed readers and the frames are read again; a retriable Kafka error aborts the batch and
 * rewinds to its first offsets. With {@code inference.delivery=at_least_once} the producer flushes before the
 * offsets are committed instead.
 *
 * <p>With tracking-driven crops (the default) the worker keeps, per camera, the persons it posed last (their boxes
 * and keypoints) in a {@link CropPlanner}, so most frames are cropped from them without the detector. That state is
 * in this worker's memory only: it moves forward only when a batch is committed (an aborted batch is planned again
 * from the same state), and it is forgotten for the cameras of partitions that leave this worker; whoever owns a
 * partition next rebuilds it from a detection on that camera's first frame. Every frame is still answered once.
 *
 * <p>Frames older than {@code inference.stale.ms} when the worker takes them, and (with {@code inference.latest.only})
 * frames of a camera with a newer frame waiting, are answered {@code SKIPPED_STALE} without posing,
 * images that do not decode {@code UNDECODABLE} (and their raw record goes to the dead-letter topic), records that
 * are not Avro frames only to the dead-letter topic (they have no camera or seq to answer).
 */
public final class InferenceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** How long a batch waits for frames that arrived while the last one was processed (a broker round trip). */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);

    /** Read-ahead per partition however small the batches: a second of frames of several cameras at 5 fps. */
    private static final int MIN_READ_AHEAD = 32;

    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final WorkerModels models;
    private final TopDownPipeline pipeline;
    private final BatchAnswers decisions;
    private final CropPlanner planner;
    /** The partition each camera's frames came from last, to forget a camera's crop state with its partition. */
    private final Map<String, TopicPartition> cameraPartitions = new HashMap<>();

    private final InferenceMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<KafkaClientMetrics> clientMetrics;
    private final Deserializer<Frame> frames;
    private final Serializer<PoseFrame> poses;
    private final String inputTopic;
    private final String outputTopic;
    private final boolean exactlyOnce;
    private final int batchFrames;
    private final long batchWaitMs;
    private final boolean latestOnly;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final PendingFrames pending = new PendingFrames();
    private final int maxQueuedPerPartition;
    private final BatchSizer sizer;
    private volatile boolean closing;

    /**
     * Loads both models (refusing any that does not meet its contract) and creates the Kafka clients; nothing is
     * consumed until {@link #start()}.
     */
    public InferenceWorker(InferenceConfig config, MeterRegistry registry) {
        this.inputTopic = config.getString(InferenceConfig.INPUT_TOPIC);
        this.outputTopic = config.getString(InferenceConfig.OUTPUT_TOPIC);
        String dlqTopic = config.getString(InferenceConfig.DLQ_TOPIC);
        this.exactlyOnce = config.exactlyOnce();
        this.batchFrames = config.getInt(InferenceConfig.BATCH_FRAMES);
        this.batchWaitMs = config.getLong(InferenceConfig.BATCH_WAIT_MS);
        this.latestOnly = config.getBoolean(InferenceConfig.LATEST_ONLY);
        this.sizer = new BatchSizer(batchFrames, config.getLong(InferenceConfig.BATCH_MAX_MS));
        // Enough read ahead to fill batches from every partition and to see each camera's newest frame when several
        // share a partition; beyond it a partition is paused, not buffered.
        this.maxQueuedPerPartition = Math.max(MIN_READ_AHEAD, 4 * batchFrames);
        this.models = WorkerModels.load(config);
        this.pipeline = models.pipeline();
        this.decisions = new BatchAnswers(
                dlqTopic,
                config.getLong(InferenceConfig.STALE_MS),
                pipeline.detector().name(),
                pipeline.estimator().name());
        this.planner = new CropPlanner(config.cropSettings());
        this.metrics = new InferenceMetrics(registry);
        Map<String, Object> clients = config.clientSettings();
        KafkaConsumer<byte[], byte[]> newConsumer = null;
        try {
            this.frames = AvroSerdes.specific(Frame.class, clients, false).deserializer();
            this.poses = AvroSerdes.specific(PoseFrame.class, clients, false).serializer();
            newConsumer = WorkerClients.consumer(config, maxQueuedPerPartition);
            this.producer = WorkerClients.producer(config);
        } catch (RuntimeException e) {
            // A Kafka or registry setting refused: nothing started, so give back what was taken.
            if (newConsumer != null) {
                newConsumer.close(Duration.ZERO);
            }
            models.close();
            throw e;
        }
        this.consumer = newConsumer;
        this.clientMetrics = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(producer));
        clientMetrics.forEach(m -> m.bindTo(registry));
        this.thread = new Thread(this::run, "inference-worker");
        LOG.info(
                "Inference worker ready: {}; {} -> {} (dead letters {}), group {}, {}",
                pipeline,
                inputTopic,
                outputTopic,
                dlqTopic,
                config.getString(InferenceConfig.GROUP_ID),
                exactlyOnce ? "exactly-once" : "at-least-once");
    }

    /** Starts consuming on the worker's own thread. */
    public InferenceWorker start() {
        thread.start();
        return this;
    }

    public TopDownPipeline pipeline() {
        return pipeline;
    }

    public InferenceMetrics metrics() {
        return metrics;
    }

    /** Partitions of the frame topic this worker owns now. */
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /** True while the loop runs. */
    public boolean running() {
        return thread.isAlive();
    }

    /** Why the loop stopped on its own, or null. */
    public Throwable failure() {
        return failure.get();
    }

    private void run() {
        try {
            if (exactlyOnce) {
                producer.initTransactions();
            }
            consumer.subscribe(List.of(inputTopic), new Rebalance());
            while (!closing) {
                try {
                    readAll(consumer.poll(pollTimeout()));
                } catch (WakeupException e) {
                    if (closing) {
                        break;
                    }
                    throw e;
                }
                if (batchReady()) {
                    catchUp();
                    flush();
                }
                pauseFullPartitions();
            }
            // What is still pending was never committed: the partitions' next owner reads it again.
        } catch (WakeupException e) {
            if (!closing) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            release(Duration.ofSeconds(5));
        }
    }

    /** Closes the Kafka clients and the models, waiting at most {@code timeout} for each client. */
    private void release(Duration timeout) {
        clientMetrics.forEach(KafkaClientMetrics::close);
        consumer.close(timeout);
        producer.close(timeout);
        models.close();
    }

    private void fail(Throwable e) {
        failure.set(e);
        LOG.error("Inference worker stopped: {}", e.toString(), e);
    }

    /**
     * Takes the polled records in. A record whose schema cannot be fetched while the registry is away stops its
     * partition there: the consumer is put back on it, so it and what follows are read again after a pause, and
     * nothing goes to the dead letters for a registry outage.
     */
    private void readAll(ConsumerRecords<byte[], byte[]> records) {
        Set<TopicPartition> waiting = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (waiting.contains(partition)) {
                continue;
            }
            Arrival arrival = read(record);
            if (arrival == null) {
                waiting.add(partition);
                consumer.seek(partition, record.offset());
            } else {
                pending.add(arrival);
            }
        }
        if (!waiting.isEmpty()) {
            sleep(RETRY_BACKOFF);
        }
    }

    /**
     * The record as a frame, or why it is not one (it then goes to the dead-letter topic), or null while its schema
     * cannot be fetched because the registry is away.
     */
    private Arrival read(ConsumerRecord<byte[], byte[]> record) {
        long now = System.currentTimeMillis();
        try {
            Frame frame = frames.deserialize(record.topic(), record.headers(), record.value());
            if (frame == null) {
                throw new IllegalArgumentException("record has no value");
            }
            cameraPartitions.put(frame.getCameraId(), new TopicPartition(record.topic(), record.partition()));
            return new Arrival(record, now, frame, null);
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isUnavailable(e)) {
                LOG.debug(
                        "Record {}-{}@{} waits for the schema registry: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
                return null;
            }
            String why = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            LOG.warn(
                    "Record {}-{}@{} is not an Avro Frame, sent to the dead-letter topic: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    why);
            return new Arrival(record, now, null, why);
        }
    }

    /**
     * Reads what arrived while the last batch was being processed: the records at hand were fetched before it, a
     * batch ago, and with latest-only the newest frame of each camera is the one posed. The first poll hands over
     * the fetched records and sends the next fetch; the second waits briefly for its answer.
     */
    private void catchUp() {
        readAll(consumer.poll(Duration.ZERO));
        readAll(consumer.poll(CATCH_UP_POLL));
    }

    /** Stops fetching a partition whose backlog is read far enough ahead, so memory stays bounded. */
    private void pauseFullPartitions() {
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            boolean full = pending.size(partition) >= maxQueuedPerPartition;
            if (full && !paused.contains(partition)) {
                pause.add(partition);
            } else if (!full && paused.contains(partition)) {
                resume.add(partition);
            }
        }
        consumer.pause(pause);
        consumer.resume(resume);
    }

    private Duration pollTimeout() {
        if (pending.isEmpty()) {
            return IDLE_POLL;
        }
        long waited = System.currentTimeMillis() - pending.oldestArrival();
        return Duration.ofMillis(Math.max(0, batchWaitMs - waited));
    }

    private boolean batchReady() {
        return !pending.isEmpty()
                && (pending.size() >= sizer.frames()
                        || System.currentTimeMillis() - pending.oldestArrival() >= batchWaitMs);
    }

    /**
     * Takes a batch fairly from the pending partitions, poses what it budgeted, sends the answers and commits; on a
     * retriable Kafka error aborts and reads the batch's partitions again from the batch.
     */
    private void flush() {
        long takenAt = System.currentTimeMillis();
        // Stale frames and unreadable records cost nothing to answer: they ride along without using the budget.
        PendingFrames.Batch taken = pending.take(sizer.frames(), a -> decisions.costsNothing(a, takenAt), latestOnly);
        List<Arrival> batch = taken.items();
        List<FrameOutcome> outcomes = pipeline.process(
                taken.budgeted().stream().map(InferenceWorker::input).toList(), planner);
        sizer.processed(taken.budgeted().size(), System.currentTimeMillis() - takenAt);
        BatchAnswers.Answered answered = decisions.answer(taken, outcomes, takenAt, System.currentTimeMillis());
        boolean inTransaction = false;
        try {
            List<ProducerRecord<byte[], byte[]>> records = records(answered);
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(batch);
            if (exactlyOnce) {
                producer.beginTransaction();
                inTransaction = true;
                records.forEach(producer::send);
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            } else {
                List<Future<?>> sent = new ArrayList<>(records.size());
                records.forEach(r -> sent.add(producer.send(r)));
                producer.flush();
                for (Future<?> future : sent) {
                    future.get();
                }
                consumer.commitSync(offsets);
            }
            planner.commit();
            answered.count(metrics);
        } catch (ProducerFencedException
                | OutOfOrderSequenceException
                | UnsupportedVersionException
                | AuthorizationException e) {
            throw e; // fatal: another worker took over or the cluster refuses us; the loop stops
        } catch (InvalidProducerEpochException e) {
            // Not another worker: the transaction coordinator aborted our open transaction itself, e.g. a restarted
            // broker finding it older than transaction.timeout.ms. Aborting lets the producer take a new epoch, and
            // the batch is read and answered again.
            retry(batch, inTransaction, e);
        } catch (KafkaException | ExecutionException e) {
            retry(batch, inTransaction, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending", e);
        }
    }

    private static FrameInput input(Arrival arrival) {
        Frame frame = arrival.frame();
        return new FrameInput(
                frame.getCameraId(),
                frame.getCaptureTime().toEpochMilli(),
                frame.getImage().array());
    }

    /** The replies as records: PoseFrames serialized for the output topic, dead letters as they are. */
    private List<ProducerRecord<byte[], byte[]>> records(BatchAnswers.Answered answered) {
        List<ProducerRecord<byte[], byte[]>> records =
                new ArrayList<>(answered.replies().size());
        for (BatchAnswers.Reply reply : answered.replies()) {
            if (reply instanceof BatchAnswers.Reply.Answer answer) {
                PoseFrame pose = answer.pose();
                if (pose.getStatus() == FrameStatus.UNDECODABLE) {
                    ConsumerRecord<byte[], byte[]> source = answer.arrival().record();
                    LOG.warn(
                            "Frame {} seq {} at {}-{}@{} is undecodable, sent to the dead-letter topic: {}",
                            pose.getCameraId(),
                            pose.getSeq(),
                            source.topic(),
                            source.partition(),
                            source.offset(),
                            pose.getStatusDetail());
                }
                byte[] key = pose.getCameraId().getBytes(StandardCharsets.UTF_8);
                Headers headers = new RecordHeaders();
                records.add(new ProducerRecord<>(
                        outputTopic, null, key, poses.serialize(outputTopic, headers, pose), headers));
            } else if (reply instanceof BatchAnswers.Reply.DeadLetter deadLetter) {
                records.add(deadLetter.record());
            }
        }
        return records;
    }

    private void retry(List<Arrival> batch, boolean inTransaction, Exception e) {
        LOG.warn("Batch of {} frames not committed ({}); reading it again", batch.size(), e.toString());
        metrics.rewound();
        planner.rollback(); // the batch is planned again from the state it was planned from
        if (inTransaction) {
            producer.abortTransaction();
        }
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (Arrival a : batch) {
            first.putIfAbsent(a.partition(), a.record().offset());
        }
        // Later records of these partitions were read already: forget them, they come again after the seek.
        pending.drop(first.keySet());
        first.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        sleep(RETRY_BACKOFF);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Arrival> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Arrival a : batch) {
            offsets.put(a.partition(), new OffsetAndMetadata(a.record().offset() + 1));
        }
        return offsets;
    }

    /**
     * Partitions leaving this worker: nothing of theirs is in flight (a batch is committed or aborted before poll
     * returns), and what is pending was never committed, so it is dropped and their next owner reads it again.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pending.drop(partitions);
            assigned.removeAll(partitions);
            forgetCameras(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("Partitions revoked: {}", partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("Partitions assigned: {} (now {})", partitions, assigned.size());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            pending.drop(partitions);
            assigned.removeAll(partitions);
            forgetCameras(partitions);
            LOG.warn("Partitions lost: {}", partitions);
        }
    }

    /** The crop state of cameras whose frames came from {@code partitions}: no longer this worker's to keep. */
    private void forgetCameras(Collection<TopicPartition> partitions) {
        List<String> cameras = new ArrayList<>();
        cameraPartitions.forEach((camera, partition) -> {
            if (partitions.contains(partition)) {
                cameras.add(camera);
            }
        });
        planner.forget(cameras);
        cameras.forEach(cameraPartitions::remove);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the batch in hand is committed (what is pending is read again by the next owner). */
    @Override
    public void close() {
        closing = true;
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            release(Duration.ZERO); // never started: nothing to finish
        }
    }
}
