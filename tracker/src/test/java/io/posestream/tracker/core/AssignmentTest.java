package io.posestream.tracker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    @Test
    void findsTheOptimumWhereGreedyWouldNot() {
        // Greedy takes (0,0) at 0.1 and is left with (1,1) at 0.9 = 1.0; the optimum is 0.3 + 0.3 = 0.6.
        double[][] cost = {{0.1, 0.3}, {0.3, 0.9}};
        assertThat(Assignment.solve(cost, 1.0)).containsExactly(new Assignment.Pair(0, 1), new Assignment.Pair(1, 0));
    }

    @Test
    void neverAssignsAPairAboveTheGate() {
        double[][] cost = {{0.2, 0.95}, {0.97, 0.99}};
        assertThat(Assignment.solve(cost, 0.8)).containsExactly(new Assignment.Pair(0, 0));
    }

    @Test
    void handlesMoreRowsThanColumnsAndMoreColumnsThanRows() {
        double[][] tall = {{0.5}, {0.1}, {0.3}};
        assertThat(Assignment.solve(tall, 1.0)).containsExactly(new Assignment.Pair(1, 0));
        double[][] wide = {{0.5, 0.2, 0.7}};
        assertThat(Assignment.solve(wide, 1.0)).containsExactly(new Assignment.Pair(0, 1));
    }

    @Test
    void emptyInputsGiveNoPairs() {
        assertThat(Assignment.solve(new double[0][0], 1.0)).isEmpty();
        assertThat(Assignment.solve(new double[][] {{}}, 1.0)).isEmpty();
    }

    @Test
    void matchesBruteForceOnRandomMatrices() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + random.nextInt(5);
            int columns = 1 + random.nextInt(5);
            double[][] cost = new double[rows][columns];
            for (double[] row : cost) {
                for (int j = 0; j < columns; j++) {
                    row[j] = random.nextDouble();
                }
            }
            double gate = 0.7;
            List<Assignment.Pair> pairs = Assignment.solve(cost, gate);
            // The objective: each pair saves (gate - cost) against leaving its row and column out.
            double got = pairs.stream()
                    .mapToDouble(p -> gate - cost[p.row()][p.column()])
                    .sum();
            assertThat(got)
                    .isCloseTo(
                            bestSaving(cost, gate, 0, new boolean[columns]), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(pairs)
                    .allSatisfy(p -> assertThat(cost[p.row()][p.column()]).isLessThanOrEqualTo(gate));
        }
    }

    @Test
    void maxCardinalityTakesTwoGoodPairsOverOnePerfectOne() {
        // The crossing case: g1-p1 0, g1-p2 0.4, g2-p1 0.4, g2-p2 forbidden. The cost-limited solve takes (0,0)
        // alone; CLEAR MOT wants both people matched.
        double[][] cost = {{0, 0.4}, {0.4, Double.NaN}};
        assertThat(Assignment.solveMaxCardinality(cost))
                .containsExactly(new Assignment.Pair(0, 1), new Assignment.Pair(1, 0));
        assertThat(Assignment.solve(new double[][] {{0, 0.4}, {0.4, 1}}, 0.5))
                .containsExactly(new Assignment.Pair(0, 0));
    }

    @Test
    void maxCardinalityMatchesBruteForceOnRandomMatrices() {
        java.util.Random random = new java.util.Random(11);
        for (int trial = 0; trial < 500; trial++) {
            int rows = 1 + random.nextInt(6);
            int columns = 1 + random.nextInt(6);
            double forbiddenShare = random.nextDouble();
            double[][] cost = new double[rows][columns];
            for (double[] row : cost) {
                for (int j = 0; j < columns; j++) {
                    row[j] = random.nextDouble() < forbiddenShare ? Double.NaN : random.nextDouble() * 0.5;
                }
            }
            List<Assignment.Pair> pairs = Assignment.solveMaxCardinality(cost);
            double[] best = bestMatching(cost, 0, new boolean[columns]);
            assertThat(pairs).hasSize((int) best[0]);
            assertThat(pairs.stream()
                            .mapToDouble(p -> cost[p.row()][p.column()])
                            .sum())
                    .isCloseTo(best[1], org.assertj.core.data.Offset.offset(1e-9));
            assertThat(pairs.stream().map(Assignment.Pair::column).distinct()).hasSize(pairs.size());
            assertThat(pairs)
                    .allSatisfy(p -> assertThat(cost[p.row()][p.column()]).isNotNaN());
        }
    }

    @Test
    void maxCardinalityWithNothingAllowedGivesNoPairs() {
        assertThat(Assignment.solveMaxCardinality(new double[][] {{Double.NaN, Double.NaN}}))
                .isEmpty();
        assertThat(Assignment.solveMaxCardinality(new double[0][0])).isEmpty();
    }

    /** {most pairs, least cost among those} over every matching of rows {@code row..} to unused columns. */
    private static double[] bestMatching(double[][] cost, int row, boolean[] used) {
        if (row == cost.length) {
            return new double[] {0, 0};
        }
        double[] best = bestMatching(cost, row + 1, used);
        for (int j = 0; j < used.length; j++) {
            if (!used[j] && !Double.isNaN(cost[row][j])) {
                used[j] = true;
                double[] rest = bestMatching(cost, row + 1, used);
                used[j] = false;
                double count = rest[0] + 1;
                double total = rest[1] + cost[row][j];
                if (count > best[0] || (count == best[0] && total < best[1] - 1e-12)) {
                    best = new double[] {count, total};
                }
            }
        }
        return best;
    }

    private static double bestSaving(double[][] cost, double gate, int row, boolean[] used) {
        if (row == cost.length) {
            return 0;
        }
        double best = bestSaving(cost, gate, row + 1, used);
        for (int j = 0; j < used.length; j++) {
            if (!used[j] && cost[row][j] <= gate) {
                used[j] = true;
                best = Math.max(best, gate - cost[row][j] + bestSaving(cost, gate, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
