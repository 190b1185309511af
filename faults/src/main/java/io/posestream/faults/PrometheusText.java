package io.posestream.faults;

/** Reads a value out of a Prometheus text scrape, as a monitoring system would. */
final class PrometheusText {
    private PrometheusText() {}

    /**
     * The sum of every sample of {@code name} (all label sets), 0 when there is none. A name may end in a first label
     * ({@code jvm_memory_used_bytes{area="heap"}}), Micrometer writing labels in alphabetical order.
     */
    static double sum(String scrape, String name) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name) && (line.length() > name.length())) {
                char next = line.charAt(name.length());
                if (name.contains("{") || next == '{' || next == ' ') {
                    try {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    } catch (NumberFormatException e) {
                        // NaN or a malformed sample: not a count
                    }
                }
            }
        }
        return sum;
    }
}
