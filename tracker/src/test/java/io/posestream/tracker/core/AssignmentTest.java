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
