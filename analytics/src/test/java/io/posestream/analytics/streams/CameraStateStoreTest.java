package io.posestream.analytics.streams;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

class CameraStateStoreTest {
    /**
     * A key-value store that Streams would not flush before a commit's transaction (not one of its own wrapped
     * stores): the states would reach the changelog a transaction late, so building the store refuses it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void refusesAStoreThatStreamsDoesNotFlushBeforeACommit() {
        KeyValueStore<String, byte[]> plain = (KeyValueStore<String, byte[]>) proxy(KeyValueStore.class, null);
        StoreBuilder<KeyValueStore<String, byte[]>> builder =
                (StoreBuilder<KeyValueStore<String, byte[]>>) proxy(StoreBuilder.class, plain);
        assertThatThrownBy(() -> CameraStateStore.builder(builder).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flushes before each commit (a CachedStateStore)")
                .hasMessageContaining("is not one");
    }

    /** An instance of {@code type} whose build() gives {@code built}; any other call fails. */
    private static Object proxy(Class<?> type, Object built) {
        return Proxy.newProxyInstance(CameraStateStoreTest.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getName().equals("build")) {
                return built;
            }
            if (m.getName().equals("toString")) {
                return type.getSimpleName() + " proxy";
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }
}
