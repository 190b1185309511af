package io.posestream.ingest;

import io.posestream.schemas.RegistryCluster;

/** One real broker + registry for all of this module's tests (started on first use, closed at JVM exit). */
final class TestCluster {
    private static RegistryCluster cluster;

    private TestCluster() {}

    static synchronized RegistryCluster get() {
        if (cluster == null) {
            cluster = new RegistryCluster();
            RegistryCluster started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-cluster-close"));
        }
        return cluster;
    }
}
