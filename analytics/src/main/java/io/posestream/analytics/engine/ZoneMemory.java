package io.posestream.analytics.engine;

/** Count and overcrowding of one zone as last published. */
final class ZoneMemory {
    int count;
    boolean overcrowded;

    ZoneMemory(int count, boolean overcrowded) {
        this.count = count;
        this.overcrowded = overcrowded;
    }
}
