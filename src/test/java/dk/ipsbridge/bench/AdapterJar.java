package dk.ipsbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged adapter as production starts it in a 512 MB container, with the README's JVM options:
 * {@code java @packaging/jvm.options -XX:SharedArchiveFile=ips-bridge.jsa -jar ips-bridge.jar --setting=value ...}
 * ({@code -XX:MaxRAM=512m}, the heap at half of it, the serial collector; the jar unpacked with its class data
 * sharing archive by {@code packaging/cds-archive.sh}, unless {@code -Dbench.cds=false}). Measured from
 * outside only: readiness by {@code /actuator/health/readiness}, memory by {@code /proc/<pid>/status} and the actuator's
 * {@code jvm.memory.used} metric.
 */
final class AdapterJar implements AutoCloseable {

    static final List<String> JVM_OPTIONS = List.of("@" + Path.of("packaging", "jvm.options").toAbsolutePath());
    /** As the systemd unit and the container file set it (packaging/). */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final long startedNanos;
    private final Path log;

    private AdapterJar(Process process, int port, long startedNanos, Path log) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    /**
     * Starts the jar with the README's JVM options and then {@code jvmArgs}, these settings ({@code key=value}, passed
     * as {@code --key=value}) and its output in {@code log}.
     */
    static AdapterJar start(Path jar, List<String> jvmArgs, List<String> settings, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        settings.forEach(s -> command.add("--" + s));
        command.add("--server.port=" + port);
        try {
            Files.createDirectories(log.getParent());
            long started = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(ENVIRONMENT);
            Process process = builder.start();
            return new AdapterJar(process, port, started, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Installs the jar as the README, the systemd unit and the container file do ({@code packaging/cds-archive.sh}:
     * unpacked, with a class data sharing archive), in {@code dir}; the settings then start it from there.
     */
    static Settings install(Settings settings, Path dir) throws IOException, InterruptedException {
        EndToEnd.log("installing %s with its class data sharing archive in %s", settings.jar().getFileName(), dir);
        Path log = dir.resolveSibling("cds-archive.log");
        ProcessBuilder builder = new ProcessBuilder("sh", Path.of("packaging", "cds-archive.sh").toString(),
                settings.jar().toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        // the archive is used only by the java that made it: the one that starts the adapter
        builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        Process script = builder.start();
        if (!script.waitFor(10, TimeUnit.MINUTES) || script.exitValue() != 0) {
            throw new IllegalStateException("packaging/cds-archive.sh failed; see " + log);
        }
        return settings.startingFrom(dir.resolve("ips-bridge.jar"),
                List.of("-XX:SharedArchiveFile=" + dir.resolve("ips-bridge.jsa")));
    }

    int port() {
        return port;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Waits until {@code /actuator/health/readiness} answers 200 (UP); the seconds since the process started. */
    double awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the adapter exited with " + process.exitValue() + "; see " + log);
            }
            if (healthy()) {
                return (System.nanoTime() - startedNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the adapter was not ready within " + timeout + "; see " + log);
    }

    private boolean healthy() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    long pid() {
        return process.pid();
    }

    /** The CPU time (user and system) a process has used so far, in seconds, from {@code /proc/<pid>/stat}. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in 1/100 s
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // no /proc (not Linux) or the process is gone
        }
    }

    /** Resident set size now ({@code VmRSS}), in MB. */
    double rssMb() {
        return procStatus("VmRSS:");
    }

    /** The peak resident set size so far ({@code VmHWM}), in MB. */
    double peakRssMb() {
        return procStatus("VmHWM:");
    }

    private double procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException e) {
            // no /proc (not Linux) or the process is gone
        }
        return Double.NaN;
    }

    /** Heap in use, in MB: the actuator metric {@code jvm.memory.used} with tag {@code area:heap}, as an operator. */
    double heapUsedMb(String operator, String password) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/metrics/jvm.memory.used?tag=area:heap")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((operator + ":" + password)
                            .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return Double.NaN;
            }
            return JSON.readTree(answer.body()).path("measurements").path(0).path("value").asDouble() / (1 << 20);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** SIGTERM, and {@code kill -9} if it has not stopped within a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
