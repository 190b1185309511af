package io.posestream.tracker.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;

/**
 * Optimal assignment (minimum total cost) of rows to columns of a rectangular cost matrix, by the Hungarian
 * method with potentials and shortest augmenting paths (the O(n^2 m) form that Jonker-Volgenant also builds on).
 * Pairs whose cost is above the gate are never assigned, and a pair is only assigned where its cost beats leaving its
 * row and its column unassigned (each priced at half the gate), so the result is not forced to maximum size.
 */
public final class Assignment {
    private Assignment() {}

    /** An assigned (row, column) pair. */
    public record Pair(int row, int column) {}

    /**
     * Minimum-cost assignment of rows to columns where every assigned pair has cost at most {@code gate}.
     * Rows or columns left over (more of one than the other, or gated) stay unassigned.
     */
    public static List<Pair> solve(double[][] cost, double gate) {
        // Leaving a row and a column unassigned is priced at the gate, so the optimum maximises the total saving
        // sum(gate - cost) over the pairs taken (what lapjv's cost_limit extension does). With cost shifted to
        // min(cost - gate, 0) every complete row assignment of the rectangular matrix is such a matching plus
        // zero-cost filler, so the classic n <= m Hungarian solves it directly; filler pairs are dropped after.
        return assign(
                cost, c -> Double.isNaN(c) || c > gate ? 0 : Math.min(c - gate, 0), c -> !Double.isNaN(c) && c <= gate);
    }

    /**
     * The assignment CLEAR MOT evaluation uses (py-motmetrics: {@code linear_sum_assignment} with the forbidden pairs
     * priced out): as many pairs as possible, and among those the least total cost. {@code NaN} marks a forbidden
     * pair. Unlike {@link #solve}, a pair is taken even where its cost exceeds that of another pair it displaces: in
     * a crossing, two people matched at 0.4 each beat one matched at 0 and one left over.
     */
    public static List<Pair> solveMaxCardinality(double[][] cost) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : cost) {
            for (double c : row) {
                if (!Double.isNaN(c)) {
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            return List.of();
        }
        // Costs shifted to [0, range]; a forbidden pair costs more than any (smaller side + 1) allowed ones together,
        // so every additional allowed pair lowers the total whatever the costs, and among equal counts the cost
        // decides.
        double low = min;
        double forbidden = (max - min + 1) * (Math.min(cost.length, cost[0].length) + 1);
        return assign(cost, c -> Double.isNaN(c) ? forbidden : c - low, c -> !Double.isNaN(c));
    }

    /**
     * The rectangular Hungarian method on {@code entry} of each cost (the smaller side as rows), keeping the
     * assigned pairs whose original cost passes {@code keep}; pairs sorted by row.
     */
    private static List<Pair> assign(double[][] cost, DoubleUnaryOperator entry, DoublePredicate keep) {
        int rows = cost.length;
        if (rows == 0 || cost[0].length == 0) {
            return List.of();
        }
        int columns = cost[0].length;
        boolean transpose = rows > columns;
        int n = transpose ? columns : rows;
        int m = transpose ? rows : columns;
        double[][] a = new double[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                a[i][j] = entry.applyAsDouble(transpose ? cost[j - 1][i - 1] : cost[i - 1][j - 1]);
            }
        }
        int[] assignedRow = hungarian(a, n, m);
        List<Pair> pairs = new ArrayList<>();
        for (int j = 1; j <= m; j++) {
            int i = assignedRow[j];
            if (i == 0) {
                continue;
            }
            int row = transpose ? j - 1 : i - 1;
            int column = transpose ? i - 1 : j - 1;
            if (keep.test(cost[row][column])) {
                pairs.add(new Pair(row, column));
            }
        }
        pairs.sort((p, q) -> Integer.compare(p.row(), q.row()));
        return pairs;
    }

    /** Returns, for each column j (1..m), the row assigned to it (0 = none). Every row 1..n gets a column. */
    private static int[] hungarian(double[][] a, int n, int m) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[m + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0][j] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        return p;
    }
}
