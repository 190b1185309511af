package io.posestream.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeometryTest {
    private static final Polygon L_SHAPE = new Polygon(List.of(
            new Point(0, 0), new Point(10, 0), new Point(10, 4), new Point(4, 4), new Point(4, 10), new Point(0, 10)));

    @Test
    void polygonContainsPointsInsideItsConcaveOutlineOnly() {
        assertThat(L_SHAPE.contains(new Point(2, 8))).isTrue();
        assertThat(L_SHAPE.contains(new Point(8, 2))).isTrue();
        assertThat(L_SHAPE.contains(new Point(8, 8))).isFalse();
        assertThat(L_SHAPE.contains(new Point(-1, 5))).isFalse();
        assertThat(L_SHAPE.crossingEdges()).isNull();
    }

    @Test
    void polylineSidesAndCrossings() {
        // Walking down the image (y grows): the right-hand side is x < 5.
        Polyline line = new Polyline(List.of(new Point(5, 0), new Point(5, 10)));
        assertThat(line.signedDistance(new Point(2, 5))).isEqualTo(3);
        assertThat(line.signedDistance(new Point(9, 5))).isEqualTo(-4);
        assertThat(line.crossedBy(new Point(2, 5), new Point(9, 5))).isTrue();
        assertThat(line.crossedBy(new Point(2, 12), new Point(9, 12))).isFalse();
    }
}
