package dk.ipsbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import com.zaxxer.hikari.HikariDataSource;
import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.config.ValidationSettings;
import dk.ipsbridge.caserecord.IpsCaseRecord;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.ledger.LedgerKeys;
import dk.ipsbridge.ledger.TestLedgers;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.validation.BorderValidation;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmarks of the hot paths, on one patient of the bulk cohort: the consent gate's decision on a snapshot, the
 * translation to a case record, the border validation of its resources (cached and not), and ledger appends (one per transaction, and 100 per transaction with
 * {@code appendAll}) on an H2 file database. Throughput in operations per second, one thread. Run by
 * {@link Benchmarks}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotPaths {

    /** Entries per {@code appendAll} call. */
    public static final int BATCH = 100;

    /** One shareable patient as the review reads it, the gate and the translator. */
    @State(Scope.Benchmark)
    public static class OnePatient {
        final Instant now = Instant.now();
        PatientSnapshot snapshot;
        ConsentGate gate;
        CaseRecordTranslator translator;
        GateDecision.Share share;

        @Setup
        public void setUp() {
            BulkCohort cohort = BulkCohort.create(now, 1);
            List<Resource> resources = cohort.resourcesOf(0);
            Map<String, Resource> references = cohort.common().stream().collect(Collectors.toMap(
                    r -> r.fhirType() + "/" + r.getIdElement().getIdPart(), r -> r));
            snapshot = new PatientSnapshot("ehr", (Patient) resources.get(0), only(resources, Consent.class),
                    only(resources, ServiceRequest.class), List.of(), only(resources, CareTeam.class),
                    only(resources, Appointment.class), only(resources, Goal.class), List.of(), references);
            gate = new ConsentGate((system, value) -> (system + "|" + value).equals(
                    SyntheticCohort.JOBCENTER_A_IDENTIFIER) ? Optional.of(SyntheticCohort.JOBCENTER_A_ID)
                    : Optional.empty(), Period.ofMonths(12));
            translator = new CaseRecordTranslator(SyntheticCohort.REGION);
            share = gate.decide(snapshot, now).stream().filter(GateDecision.Share.class::isInstance)
                    .map(GateDecision.Share.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the bulk patient is not shared"));
        }

        private static <T extends Resource> List<T> only(List<Resource> resources, Class<T> type) {
            return resources.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /**
     * The border validation of the same patient (its 7 resources in an IPS role): with the results cache, as an
     * unchanged patient is reviewed again, and without (a cache of size 0), as a patient new or changed in every
     * resource is; the validator built and warm in both.
     */
    @State(Scope.Benchmark)
    public static class Border {
        final FhirContext fhir = FhirContext.forR4Cached();
        PatientSnapshot snapshot;
        BorderValidation cached;
        BorderValidation uncached;

        @Setup
        public void setUp() {
            OnePatient patient = new OnePatient();
            patient.setUp();
            snapshot = patient.snapshot;
            cached = new BorderValidation(fhir, new ValidationSettings(ValidationSettings.Mode.ENFORCE, 100_000));
            uncached = new BorderValidation(fhir, new ValidationSettings(ValidationSettings.Mode.ENFORCE, 0));
            for (BorderValidation validation : List.of(cached, uncached)) {
                BorderValidation.Findings findings = validation.check(snapshot);
                if (findings.any()) {
                    throw new IllegalStateException("the bulk patient does not conform: " + findings.summary());
                }
            }
        }
    }

    /** A ledger on an H2 file database in a temporary directory, as the adapter's default store. */
    @State(Scope.Benchmark)
    public static class H2Ledger {
        Path dir;
        HikariDataSource dataSource;
        TestLedgers.Fixture ledger;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory("bench-ledger");
            dataSource = new HikariDataSource();
            dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("ledger")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            dataSource.setUsername("sa");
            dataSource.setPassword("");
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            ledger = TestLedgers.create(dataSource, TestLedgers.settings(1000),
                    LedgerKeys.load(TestLedgers.KEYS.config()));
        }

        LedgerEntry entry() {
            return TestLedgers.entry(next++, Instant.now());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            dataSource.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Benchmark
    public List<GateDecision> consentDecide(OnePatient p) {
        return p.gate.decide(p.snapshot, p.now);
    }

    @Benchmark
    public IpsCaseRecord translate(OnePatient p) {
        return p.translator.translate(p.snapshot, p.share, "benchcase", 1);
    }

    @Benchmark
    public BorderValidation.Findings validateCached(Border b) {
        return b.cached.check(b.snapshot);
    }

    @Benchmark
    public BorderValidation.Findings validateUncached(Border b) {
        return b.uncached.check(b.snapshot);
    }

    @Benchmark
    public long ledgerAppend(H2Ledger l) {
        return l.ledger.ledger().append(l.entry());
    }

    @Benchmark
    public List<Long> ledgerAppendAll100(H2Ledger l) {
        List<LedgerEntry> entries = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            entries.add(l.entry());
        }
        return l.ledger.ledger().appendAll(entries);
    }
}
