package io.posestream.analytics.streams;

import io.posestream.analytics.engine.CameraAnalytics;
import io.posestream.analytics.engine.CameraAnalyticsCodec;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Each camera's analytics state as a live object, written to the key-value store underneath (in memory, cached,
 * with a changelog) when Streams commits rather than after every event. The cache already sent a camera's state to
 * the changelog once per commit; encoding and putting it on every event only to overwrite it in the cache cost the
 * stream thread about 1 µs an event, and the JVM more in garbage and the cache's copies. What the changelog holds
 * at each commit is unchanged: the state after the last event of that commit.
 *
 * <p>Before each commit's transaction (periodic, or when a task is suspended or closed), Streams flushes the caches
 * of the stores that are a {@link CachedStateStore}, on the stream thread, between records: that is when the
 * changed states are written ({@link #flushCache}). {@code StateStore.commit} would be too late: in Kafka 4.3 it
 * runs after the transaction. {@code CachedStateStore} is internal to Kafka Streams; {@code AnalyticsAppTest} (a
 * killed instance, cameras handed between running instances) fails if an upgrade changes this. A task handed to
 * another instance or turned into a standby first closes its processor, which {@link #release}s the live objects
 * into the store, so nothing stale is kept for when the task comes back.
 */
final class CameraStateStore implements StateStore, CachedStateStore<String, byte[]> {
    private final KeyValueStore<String, byte[]> stored;
    private final Map<String, CameraAnalytics> live = new HashMap<>();
    /** Cameras whose live state has moved on since it was last written to {@link #stored}. */
    private final Set<String> changed = new LinkedHashSet<>();

    private CameraStateStore(KeyValueStore<String, byte[]> stored) {
        if (!(stored instanceof CachedStateStore)) {
            throw new IllegalStateException("The analytics state needs a store that Kafka Streams flushes before each"
                    + " commit (a CachedStateStore); " + stored.getClass().getName() + " is not one");
        }
        this.stored = stored;
    }

    /** The store as Streams builds it: the live objects over {@code stored}, which has the logging and caching. */
    static StoreBuilder<CameraStateStore> builder(StoreBuilder<KeyValueStore<String, byte[]>> stored) {
        return new Builder(stored);
    }

    /** The camera's state, to move on by an event; written to the store at the next commit. */
    CameraAnalytics forUpdate(String camera) {
        CameraAnalytics state = live.get(camera);
        if (state == null) {
            byte[] bytes = stored.get(camera);
            state = bytes == null ? new CameraAnalytics() : CameraAnalyticsCodec.decode(bytes);
            live.put(camera, state);
        }
        changed.add(camera);
        return state;
    }

    /** Writes the states that moved on into the store underneath (its cache; the changelog on commit). */
    private void writeChanged() {
        for (String camera : changed) {
            stored.put(camera, CameraAnalyticsCodec.encode(live.get(camera)));
        }
        changed.clear();
    }

    /** Writes what moved on and forgets the live objects: the processor is closing, the task may move away. */
    void release() {
        writeChanged();
        live.clear();
    }

    @Override
    public void flushCache() {
        writeChanged();
        cached().flushCache();
    }

    /** Streams drops what a cache holds for an aborted transaction; the live objects go with it. */
    @Override
    public void clearCache() {
        live.clear();
        changed.clear();
        cached().clearCache();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, byte[]> listener, boolean sendOldValues) {
        // Only a table's store forwards what its cache flushes; nothing reads this store downstream.
        return false;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeChanged();
        stored.commit(changelogOffsets);
    }

    @SuppressWarnings("unchecked")
    private CachedStateStore<String, byte[]> cached() {
        // Streams' key-value stores are wrapped stores, which pass the cache calls on to their caching layer.
        return (CachedStateStore<String, byte[]>) stored;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // A (re)initialised store is restored from the changelog: nothing live may outlast that.
        live.clear();
        changed.clear();
        stored.init(context, root);
    }

    @Override
    public void close() {
        live.clear();
        changed.clear();
        stored.close();
    }

    @Override
    public String name() {
        return stored.name();
    }

    @Override
    public boolean persistent() {
        return stored.persistent();
    }

    @Override
    public boolean managesOffsets() {
        return stored.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return stored.committedOffset(partition);
    }

    @Override
    public boolean isOpen() {
        return stored.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return stored.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return stored.getPosition();
    }

    /** Builds the store underneath with its settings (name, logging, caching) and puts the live objects over it. */
    private static final class Builder implements StoreBuilder<CameraStateStore> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> stored;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> stored) {
            this.stored = stored;
        }

        @Override
        public StoreBuilder<CameraStateStore> withCachingEnabled() {
            stored.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<CameraStateStore> withCachingDisabled() {
            stored.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<CameraStateStore> withLoggingEnabled(Map<String, String> config) {
            stored.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<CameraStateStore> withLoggingDisabled() {
            stored.withLoggingDisabled();
            return this;
        }

        @Override
        public CameraStateStore build() {
            return new CameraStateStore(stored.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return stored.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return stored.loggingEnabled();
        }

        @Override
        public String name() {
            return stored.name();
        }
    }
}
