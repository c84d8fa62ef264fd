package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar that {@code package} builds, run as an operator runs it: {@code java -jar ips-bridge.jar init --dir DIR},
 * then {@code java -jar ips-bridge.jar --spring.config.additional-location=DIR/} with the EHR and the jobcenter given
 * in the environment and as arguments, and nothing from the test's class path. Fails when the manifest does not start
 * the adapter, or when the adapter starts without ledger keys or with keys another ledger was written with. It runs
 * with {@code packaging/jvm.options} (a 512 MB machine, the heap at half of it), as installations do.
 */
class PackagedJarIT {

    private static final Path JAR = AdapterProcess.jar();
    private static final Path JVM_OPTIONS = Path.of("packaging", "jvm.options");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String CONSENTED = "consented";
    private static final String CONSENTED_CPR = "0101901234";
    private static final String UNCONSENTED = "unconsented";
    private static final String UNCONSENTED_CPR = "0202902345";

    @TempDir
    Path work;

    private final MockEhr ehr = new MockEhr();
    private final MockJobcenter jobcenter = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
            SyntheticCohort.JOBCENTER_A_NAME);
    private final List<Launched> launched = new ArrayList<>();

    @BeforeAll
    static void theJarIsBuilt() {
        assertThat(JAR).as("the jar package builds before integration-test").isRegularFile();
        assertThat(JVM_OPTIONS).isRegularFile();
    }

    @AfterEach
    void stopAll() {
        launched.forEach(l -> l.process().destroyForcibly());
        ehr.close();
        jobcenter.close();
    }

    @Test
    void shouldInitThenStartFromTheJarAndShareOnlyWhatIsConsented() throws Exception {
        Path conf = work.resolve("conf");
        Run init = run("init", "--dir", conf.toString());
        assertThat(init.exitCode()).as("init, output:%n%s", init.output()).isZero();
        assertThat(init.output()).contains("--spring.config.additional-location=" + conf.toAbsolutePath() + "/");
        for (String secret : List.of("ledger-signing-key.pem", "ledger-cpr-hash.key", "ledger-cpr-encryption.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }
        assertThat(Files.readString(conf.resolve("application.yml"))).contains("signing-key-file");

        byte[] signingKey = Files.readAllBytes(conf.resolve("ledger-signing-key.pem"));
        Run again = run("init", "--dir", conf.toString());
        assertThat(again.exitCode()).as("a second init, output:%n%s", again.output()).isEqualTo(1);
        assertThat(again.output()).contains("Refusing to overwrite " + conf.toAbsolutePath().resolve(
                "ledger-signing-key.pem"));
        assertThat(Files.readAllBytes(conf.resolve("ledger-signing-key.pem"))).isEqualTo(signingKey);

        MinimalRegion.storeInto(ehr);
        MinimalRegion.storeReferredPatient(ehr, CONSENTED, CONSENTED_CPR, true);
        MinimalRegion.storeReferredPatient(ehr, UNCONSENTED, UNCONSENTED_CPR, false);
        Launched adapter = start("--spring.config.additional-location=" + conf + "/");
        awaitHealthUp(adapter);

        await().atMost(START).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(adapter.process().isAlive()).as("the adapter is running").isTrue();
            assertThat(jobcenter.caseFor(CONSENTED_CPR)).as("the consented patient's case").isPresent();
            assertThat(adapter.output()).as("the decision to hold the unconsented patient back")
                    .contains("patient=Patient/" + UNCONSENTED + " recipient=- held reason=no-consent");
        });
        jobcenter.assertNoRecordFor(UNCONSENTED_CPR);
        assertThat(jobcenter.receivedCprs()).containsExactly(CONSENTED_CPR);
        assertThat(adapter.output()).doesNotContain(CONSENTED_CPR, UNCONSENTED_CPR)
                .as("the H2 default, outside the demo, says what it is").contains("UNENCRYPTED", "ONE instance");
        adapter.process().destroy();
        assertThat(adapter.process().waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
        // seen when H2's shutdown hook closed the default file database under the graceful drain
        assertThat(adapter.output()).doesNotContain("Database is already closed");

        // the same database with a new key set: its ledger was written with the first one
        Path other = work.resolve("other-keys");
        assertThat(run("init", "--dir", other.toString()).exitCode()).isZero();
        Run mismatched = runToEnd(start("--spring.config.additional-location=" + other + "/"));
        assertThat(mismatched.exitCode()).as("started with another ledger's keys, output:%n%s", mismatched.output())
                .isNotZero();
        assertThat(mismatched.output()).contains("APPLICATION FAILED TO START", "ips.ledger.keys.",
                "ledger in the database", "init --dir DIR");
        assertThat(mismatched.output()).doesNotContain(Files.readString(conf.resolve("ledger-cpr-hash.key")).strip());
    }

    @Test
    void shouldRefuseToStartWithoutLedgerKeysNamingTheSettingsAndTheInitCommand() {
        Run refused = runToEnd(start());

        assertThat(refused.exitCode()).as("output:%n%s", refused.output()).isNotZero();
        assertThat(refused.output()).contains("APPLICATION FAILED TO START", "ips.ledger.keys.signing-key-file",
                "ips.ledger.keys.cpr-hash-key-file", "ips.ledger.keys.cpr-encryption-key-file",
                "java -jar ips-bridge.jar init --dir DIR");
        assertThat(refused.output()).doesNotContain("Tomcat started");
    }

    @Test
    void shouldStartFromTheUnpackedJarWithTheClassDataSharingArchiveThePackagingMakes() throws Exception {
        Path installed = work.resolve("opt");
        ProcessBuilder archive = new ProcessBuilder("sh", Path.of("packaging", "cds-archive.sh").toString(),
                JAR.toString(), installed.toString(), JVM_OPTIONS.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("cds-archive.log").toFile());
        archive.environment().put("JAVA", JAVA);
        Process made = archive.start();
        assertThat(made.waitFor(5, TimeUnit.MINUTES)).as("cds-archive.sh finished").isTrue();
        assertThat(made.exitValue())
                .as("cds-archive.sh, output:%n%s", Files.readString(work.resolve("cds-archive.log"))).isZero();
        assertThat(installed.resolve("ips-bridge.jsa")).isRegularFile();
        Path conf = work.resolve("conf");
        assertThat(run("init", "--dir", conf.toString()).exitCode()).isZero();
        MinimalRegion.storeInto(ehr);
        MinimalRegion.storeReferredPatient(ehr, CONSENTED, CONSENTED_CPR, true);

        // -Xshare:on: java refuses to start when it cannot use the archive, where the default would start without it
        Launched adapter = start(List.of("-XX:SharedArchiveFile=" + installed.resolve("ips-bridge.jsa"), "-Xshare:on",
                "-jar", installed.resolve("ips-bridge.jar").toString()),
                "--spring.config.additional-location=" + conf + "/");
        awaitHealthUp(adapter);

        await().atMost(START).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                jobcenter.caseFor(CONSENTED_CPR)).as("the consented patient's case, output:%n%s", adapter.output())
                .isPresent());
    }

    /** A {@code java -jar} process and the file its output goes to. */
    private record Launched(Process process, Path log, int port) {

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Run(int exitCode, String output) {
    }

    /** {@code java -jar} to its end: init is quick, it starts no Spring. */
    private Run run(String... args) {
        return runToEnd(launch(List.of(args), Map.of(), 0));
    }

    /**
     * The adapter on a free port, with the EHR in the environment ({@code IPS_SOURCES_0_...}) and the jobcenter as
     * arguments, as the README describes.
     */
    private Launched start(String... args) {
        return start(List.of("-jar", JAR.toString()), args);
    }

    private Launched start(List<String> java, String... args) {
        int port = freePort();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server.port=" + port, "--ips.security.allow-plain-http=true",
                "--ips.jobcenters[0].id=" + jobcenter.id(), "--ips.jobcenters[0].base-url=" + jobcenter.baseUrl(),
                "--ips.jobcenters[0].organization-identifiers[0]=" + SyntheticCohort.JOBCENTER_A_IDENTIFIER));
        return launch(java, all, Map.of("IPS_SOURCES_0_ID", "ehr", "IPS_SOURCES_0_FHIR_BASE_URL", ehr.baseUrl()),
                port);
    }

    private Launched launch(List<String> args, Map<String, String> environment, int port) {
        return launch(List.of("-jar", JAR.toString()), args, environment, port);
    }

    private Launched launch(List<String> java, List<String> args, Map<String, String> environment, int port) {
        // the JVM options the README, the systemd unit and the container give it: 512 MB in all
        List<String> command = new ArrayList<>(List.of(JAVA, "@" + JVM_OPTIONS.toAbsolutePath()));
        command.addAll(java);
        command.addAll(args);
        try {
            Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "adapter-processes")),
                    "packaged-jar-", ".log");
            // the working directory holds the H2 database (./data), and no config/ of the working copy
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("IPS_") || name.startsWith("SPRING_"));
            builder.environment().putAll(environment);
            Launched process = new Launched(builder.start(), log, port);
            launched.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run runToEnd(Launched launched) {
        try {
            if (!launched.process().waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
                launched.process().destroyForcibly().waitFor();
                return new Run(-1, "(still running after " + START + ")\n" + launched.output());
            }
            return new Run(launched.process().exitValue(), launched.output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitHealthUp(Launched adapter) {
        URI health = URI.create("http://localhost:" + adapter.port() + "/actuator/health/readiness");
        await().atMost(START).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!adapter.process().isAlive()) {
                throw new IllegalStateException("the adapter exited with " + adapter.process().exitValue() + ":\n"
                        + adapter.output());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(health)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"UP\"");
            } catch (IOException e) {
                return false; // not listening yet
            }
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
