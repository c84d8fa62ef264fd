package dk.ipsbridge.flow;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dk.ipsbridge.IpsBridgeApplication;

/**
 * The adapter as a process of its own, as it runs in production: started with the test's classpath, or from the
 * packaged jar ({@link #packaged}), killed with {@code kill -9} ({@link Process#destroyForcibly()} sends SIGKILL),
 * stopped gracefully with SIGTERM. Its output goes to a log file under {@code target/}, appended over restarts.
 */
final class AdapterProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> arguments;
    private final Path log;
    private final int port;
    private final boolean packaged;
    private Process process;
    private int starts;

    AdapterProcess(String name, List<String> arguments) {
        this(name, arguments, false);
    }

    /** The jar that {@code package} built, started with {@code java -jar}: nothing from the test's class path. */
    static AdapterProcess packaged(String name, List<String> arguments) {
        return new AdapterProcess(name, arguments, true);
    }

    private AdapterProcess(String name, List<String> arguments, boolean packaged) {
        this.name = name;
        this.packaged = packaged;
        this.port = freePort();
        this.arguments = new ArrayList<>(arguments.stream()
                .filter(a -> !a.startsWith("--server.port=") && !a.startsWith("--ips.cluster.instance-id=")).toList());
        this.arguments.add("--server.port=" + port);
        this.arguments.add("--ips.cluster.instance-id=" + name);
        try {
            Path dir = Files.createDirectories(Path.of("target", "adapter-processes"));
            this.log = dir.resolve(name + "-" + System.currentTimeMillis() + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(packaged ? List.of("-jar", jar().toString())
                : List.of("-cp", classPath(), IpsBridgeApplication.class.getName()));
        command.addAll(arguments);
        try {
            Files.writeString(log, "\n==== start " + ++starts + " at " + Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is released or flushed. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: Spring and Camel shut down gracefully. */
    void stop() {
        process.destroy();
        waitFor(Duration.ofSeconds(90));
    }

    /** Waits for the process to end by itself (a command such as {@code backfill}); its exit code. */
    int awaitExit(Duration timeout) {
        waitFor(timeout);
        return process.exitValue();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits until the adapter answers its health check; fails at once if the process has exited. */
    void awaitHealthy(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            return healthy();
        });
    }

    private boolean healthy() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/liveness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    Path log() {
        return log;
    }

    /** Everything the process has written so far, over all its starts. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** The repackaged jar: failsafe names it ({@code ips.jar}); otherwise the one in {@code target/}. */
    static Path jar() {
        String configured = System.getProperty("ips.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("ips-bridge-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/ips-bridge-*.jar: run mvn package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test's class path without empty entries: an empty entry means the working directory, whose
     * {@code camel-routes/} would then be loaded a second time next to the copy in {@code target/classes}.
     */
    private static String classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
