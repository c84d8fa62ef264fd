package dk.ipsbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The border validation's memory: {@code dk.ipsbridge.validation.ValidatorHeap} in a JVM of its own (this one's class
 * path), once with the R4 core subset the adapter ships and once with HAPI's whole R4 core. Its time per patient is
 * in the JMH part ({@code validateCached}, {@code validateUncached}).
 */
final class ValidationCost {

    /** Retained heap (MB) and the time to build the validator and validate one patient (ms), subset and full core. */
    record Result(double subsetMb, long subsetMs, double fullMb, long fullMs) {
    }

    private ValidationCost() {
    }

    static Result run() throws IOException, InterruptedException {
        String[] subset = measure("subset");
        String[] full = measure("full");
        return new Result(Double.parseDouble(subset[1]), Long.parseLong(subset[2]), Double.parseDouble(full[1]),
                Long.parseLong(full[2]));
    }

    private static String[] measure(String which) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dk.ipsbridge.validation.ValidatorHeap", which)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("ValidatorHeap " + which + " exited with " + process.exitValue());
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        String[] fields = last.split(" ");
        if (fields.length != 3 || !fields[0].equals(which)) {
            throw new IllegalStateException("ValidatorHeap " + which + " printed no result line");
        }
        return fields;
    }
}
