package io.posestream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AppearanceDescriptorTest {
    private static float[] descriptor(int torsoBin, int legsBin) {
        float[] d = new float[AppearanceDescriptor.LENGTH];
        if (torsoBin >= 0) {
            d[torsoBin] = 1;
        }
        if (legsBin >= 0) {
            d[AppearanceDescriptor.BINS + legsBin] = 1;
        }
        return d;
    }

    @Test
    void sameColoursAreOneAndNoneInCommonZero() {
        assertThat(AppearanceDescriptor.similarity(descriptor(2, 13), descriptor(2, 13)))
                .isCloseTo(1.0, within(1e-9));
        assertThat(AppearanceDescriptor.similarity(descriptor(2, 13), descriptor(7, 14)))
                .isZero();
        // Half the legs' colours shared: sqrt(0.5 * 1) = 0.71 there, averaged with the torso's 1.
        float[] half = descriptor(2, 13);
        half[AppearanceDescriptor.BINS + 13] = 0.5f;
        half[AppearanceDescriptor.BINS + 14] = 0.5f;
        assertThat(AppearanceDescriptor.similarity(descriptor(2, 13), half))
                .isCloseTo((1 + Math.sqrt(0.5)) / 2, within(1e-6));
    }

    @Test
    void onlyRegionsBothHaveAreCompared() {
        // The legs unseen in one: the torsos decide.
        assertThat(AppearanceDescriptor.similarity(descriptor(2, -1), descriptor(2, 9)))
                .isCloseTo(1.0, within(1e-9));
        assertThat(AppearanceDescriptor.similarity(descriptor(2, -1), descriptor(-1, 9)))
                .isNaN();
        assertThat(AppearanceDescriptor.similarity(null, descriptor(2, 9))).isNaN();
    }

    @Test
    void aDescriptorOfTheWrongLengthIsRefusedByName() {
        assertThatThrownBy(() -> AppearanceDescriptor.of(java.util.List.of(0.5f, 0.5f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 values")
                .hasMessageContaining("got 2");
        assertThat(AppearanceDescriptor.of(null)).isNull();
        float[] d = descriptor(4, 5);
        assertThat(AppearanceDescriptor.of(AppearanceDescriptor.toList(d))).containsExactly(d);
    }
}
