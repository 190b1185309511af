package io.posestream.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text (Markdown) table, so results paste into notes as they are. */
public final class BenchTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public BenchTable(String... header) {
        this.header = List.of(header);
    }

    public BenchTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? format(d) : String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    private static String format(double value) {
        if (value >= 100) {
            return String.format("%,.0f", value);
        }
        return String.format("%.2f", value);
    }

    public void print(PrintStream out) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        printRow(out, header, widths);
        StringBuilder rule = new StringBuilder("|");
        for (int width : widths) {
            rule.append("-".repeat(width + 2)).append('|');
        }
        out.println(rule);
        rows.forEach(row -> printRow(out, row, widths));
    }

    private static void printRow(PrintStream out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            line.append(' ')
                    .append(cell)
                    .append(" ".repeat(widths[c] - cell.length()))
                    .append(" |");
        }
        out.println(line);
    }
}
