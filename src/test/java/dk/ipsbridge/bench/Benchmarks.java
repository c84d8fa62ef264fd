package dk.ipsbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Not a test: the benchmark harness of issue 16. Measures, in one run, the adapter end to end (the packaged jar
 * against the kit's mock EHR and jobcenter, on H2 and PostgreSQL), the cost of a fixed batch as the number of known
 * patients grows, revocation latency, the practical limit, a plain Camel route, the hot paths (JMH) and the ledger
 * at scale, and writes every figure to {@code BENCHMARKS.md}. It reports; it never fails on a figure. Settings:
 * {@link Settings}; the command: {@code mvn -B -Pbenchmark -DskipTests verify} (README).
 */
public final class Benchmarks {

    private final Settings settings;
    private final List<String> notes = new ArrayList<>();
    private final List<EndToEnd.Result> runs = new ArrayList<>();
    private PracticalLimit.Result limit;
    private PlainCamelRoute.Result camel;
    private final Map<String, double[]> jmh = new LinkedHashMap<>();
    private final List<LedgerScale.Result> ledgers = new ArrayList<>();
    private RealFhirServer.Result hapi;
    private ValidationCost.Result validation;

    private Benchmarks(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings packaged = Settings.fromSystemProperties();
        Instant started = Instant.now();
        Path work = Files.createDirectories(Path.of("target", "benchmark",
                started.truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "")));
        boolean adapter = packaged.runs("e2e") || packaged.runs("hapi");
        Settings settings = packaged.installed() && adapter ? AdapterJar.install(packaged, work.resolve("installed"))
                : packaged;
        Benchmarks benchmarks = new Benchmarks(settings);
        try (Databases databases = new Databases(work)) {
            benchmarks.run(databases, work);
        }
        String report = new BenchmarkReport(settings, started, Duration.between(started, Instant.now()),
                benchmarks.runs, benchmarks.limit, benchmarks.camel, benchmarks.jmh, benchmarks.ledgers,
                benchmarks.hapi, benchmarks.validation, benchmarks.notes).markdown();
        Files.writeString(settings.output(), report);
        EndToEnd.log("wrote %s (work files in %s)", settings.output().toAbsolutePath(), work);
        System.exit(0); // the mocks' and JMH's non-daemon threads must not keep the build waiting
    }

    private void run(Databases databases, Path work) throws Exception {
        if (settings.runs("e2e")) {
            EndToEnd endToEnd = new EndToEnd(settings, databases, work);
            for (String database : settings.databases()) {
                List<Integer> sizes = database.equals(settings.databases().get(0)) ? settings.runSizes()
                        : settings.patients();
                for (int n : sizes) {
                    attempt("end to end, " + database + ", " + n + " patients", () -> {
                        EndToEnd.Result result = endToEnd.run(database, n);
                        runs.add(result);
                        notes.addAll(result.notes());
                    });
                }
            }
        }
        if (settings.runs("hapi")) {
            attempt("against a real HAPI FHIR JPA server", () -> {
                if (!Files.exists(settings.hapiJar())) {
                    throw new IllegalStateException("no " + settings.hapiJar()
                            + ": mvn -B -f testkit/hapi-server/pom.xml package");
                }
                hapi = RealFhirServer.run(settings, databases, work, settings.hapiPatients());
            });
        }
        BulkCohort cohort = BulkCohort.create(Instant.now(), settings.limitPatients());
        if (settings.runs("limit")) {
            attempt("practical limit", () -> limit = PracticalLimit.run(cohort, settings.threads()));
            EndToEnd.log("practical limit: %.0f/s", limit == null ? Double.NaN : limit.perSecond());
        }
        if (settings.runs("camel")) {
            attempt("plain Camel route", () -> camel = PlainCamelRoute.run(cohort, settings.threads()));
            EndToEnd.log("plain Camel route: %.0f/s", camel == null ? Double.NaN : camel.perSecond());
        }
        if (settings.runs("jmh")) {
            attempt("JMH", this::hotPaths);
        }
        if (settings.runs("validation")) {
            attempt("validation memory", () -> validation = ValidationCost.run());
        }
        if (settings.runs("ledger")) {
            for (String database : settings.databases()) {
                attempt("ledger at " + settings.ledgerEntries() + ", " + database, () -> {
                    Databases.Target target = databases.create(database, Files.createDirectories(
                            work.resolve("ledger-" + database)));
                    try (HikariDataSource dataSource = new HikariDataSource()) {
                        dataSource.setJdbcUrl(target.url());
                        dataSource.setUsername(target.user());
                        dataSource.setPassword(target.password());
                        ledgers.add(LedgerScale.run(database, dataSource, settings.ledgerEntries()));
                    }
                });
            }
        }
    }

    /** JMH in a forked JVM (the class path of this one); short iterations with {@code bench.quick}. */
    private void hotPaths() throws Exception {
        boolean quick = settings.quick();
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(HotPaths.class.getName() + "\\.")
                .forks(1).threads(1).jvmArgs("-Xmx1g")
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 5)).build())
                .run();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            jmh.put(name.substring(name.lastIndexOf('.') + 1), new double[] {result.getPrimaryResult().getScore(),
                    result.getPrimaryResult().getScoreError()});
        }
    }

    private interface Part {
        void run() throws Exception;
    }

    /** A part that fails is reported in the notes; the others still run. */
    private void attempt(String what, Part part) {
        try {
            part.run();
        } catch (Exception | Error e) {
            // the types and frames only: a message may quote a payload, and so a CPR number (it would reach the report)
            String types = e.getClass().getName() + (e.getCause() == null ? "" : " <- " + e.getCause().getClass().getName());
            notes.add(what + " failed: " + types);
            EndToEnd.log("%s failed: %s", what, types);
            for (StackTraceElement frame : e.getStackTrace()) {
                System.out.println("    at " + frame);
            }
        }
    }
}
