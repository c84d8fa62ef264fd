package dk.ipsbridge.bench;

import java.util.List;

/** Percentiles of latencies, in milliseconds, by the nearest-rank method; NaN without samples. */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** From latencies in nanoseconds. */
    static Percentiles of(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return NONE;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
