package io.posestream.inference.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CenterScaleTest {

    private static final double ASPECT = 192.0 / 256.0;

    @Test
    void wideBoxGetsItsHeightRaisedToWidthOverAspect() {
        CenterScale region = CenterScale.ofBox(0, 0, 100, 50, ASPECT, 1.0);

        assertThat(region.centerX()).isEqualTo(50.0);
        assertThat(region.centerY()).isEqualTo(25.0);
        assertThat(region.width()).isEqualTo(100.0);
        assertThat(region.height()).isCloseTo(100.0 / 0.75, within(1e-9));
    }

    @Test
    void tallBoxGetsItsWidthRaisedAndPaddingAppliedToBothSides() {
        CenterScale region = CenterScale.ofBox(10, 20, 40, 120, ASPECT, 1.25);

        assertThat(region.centerX()).isEqualTo(25.0);
        assertThat(region.centerY()).isEqualTo(70.0);
        // w = 100 * 0.75 = 75, then * 1.25; h = 100 * 1.25.
        assertThat(region.width()).isCloseTo(93.75, within(1e-9));
        assertThat(region.height()).isCloseTo(125.0, within(1e-9));
        assertThat(region.area()).isCloseTo(93.75 * 125.0, within(1e-9));
    }

    @Test
    void boxWithTheModelAspectIsOnlyPadded() {
        CenterScale region = CenterScale.ofBox(0, 0, 30, 40, ASPECT, 1.25);

        assertThat(region.width()).isCloseTo(37.5, within(1e-9));
        assertThat(region.height()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> CenterScale.ofBox(Double.NaN, 0, 10, 10, ASPECT, 1.25))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CenterScale.ofBox(0, 0, Double.POSITIVE_INFINITY, 10, ASPECT, 1.25))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CenterScale.ofBox(0, 0, 10, 10, 0, 1.25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aspectRatio");
        assertThatThrownBy(() -> CenterScale.ofBox(0, 0, 10, 10, ASPECT, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padding");
        assertThatThrownBy(() -> CenterScale.ofBox(10, 0, 0, 10, ASPECT, 1.25))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CenterScale.ofBox(5, 5, 5, 5, ASPECT, 1.25))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
