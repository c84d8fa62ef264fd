package dk.ipsbridge.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Synthetic ledger facts (made-up CPR numbers) covering every decision and the optional parts of each. */
final class AuditFacts {

    static final String CPR = "0101901234";
    static final String AARHUS_SOR = "urn:oid:1.2.208.176.1.1|123456789012345";
    static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final Instant T0 = Instant.parse("2026-03-02T08:15:30.123Z");

    static final BalpExport.Settings SETTINGS = new BalpExport.Settings("Region Midtjylland", "1098765432101234",
            "ips-bridge-dk82", "ips-bridge.rm.example",
            Map.of("ehr-main", "https://ehr.rm.example/fhir/"),
            Map.of("jobcenter-aarhus", "https://jobcenter-aarhus.example/api/ips/v1"));

    private AuditFacts() {
    }

    static AuditFact shared(long sequence) {
        return new AuditFact(sequence, T0.plusSeconds(sequence), "shared", null, "ehr-main", "Patient/p1", CPR,
                "jobcenter-aarhus", AARHUS_SOR, "Practitioner/consultant-1", "c1", "3", "ips-employment-support",
                List.of("contact", "referral", "care-team", "conferences", "employment-goal", "diagnosis", "outcomes"),
                HASH, "corr-" + sequence, null);
    }

    static AuditFact held(long sequence, String reason) {
        return new AuditFact(sequence, T0.plusSeconds(sequence), "held", reason, "ehr-main", "Patient/p2", CPR,
                "jobcenter-aarhus", AARHUS_SOR, null, "c2", "1", "ips-employment-support", List.of(), null,
                "corr-" + sequence, null);
    }

    static AuditFact officerSearch(long sequence) {
        return new AuditFact(sequence, T0.plusSeconds(sequence), "officer-search", null, "ehr-main", "Patient/p1", CPR,
                null, null, null, null, null, null, null, null, "corr-" + sequence, "officer.hansen");
    }

    /** Every decision, with and without consent version, consultant, categories, payload hash and known endpoints. */
    static List<AuditFact> varied() {
        return List.of(
                shared(1),
                // another EHR source without a configured base URL, CVR-named jobcenter, no version, hash or consultant
                new AuditFact(2, T0.plusSeconds(2), "shared", null, "ehr-other", "Patient/q7", "2512824321",
                        "jobcenter-randers", "http://cvr.dk|29189617", null, "c9", null, "ips-employment-support",
                        List.of("contact", "employment-goal"), null, "corr-2", null),
                // a jobcenter whose case API is not configured here, no correlation id, no purpose
                new AuditFact(3, T0.plusSeconds(3), "shared", null, "ehr-main", "Patient/p3", "1105704567",
                        "jobcenter-x", null, "PractitionerRole/role-4", "c3", "7", null, List.of("contact"), HASH,
                        null, null),
                held(4, "consent-withdrawn"),
                new AuditFact(5, T0.plusSeconds(5), "held", "no-consent", "ehr-main", "Patient/p5", CPR, null, null,
                        null, null, null, "ips-employment-support", null, null, "corr-5", null),
                new AuditFact(6, T0.plusSeconds(6), "held", "no-cpr", "ehr-main", "Patient/p6", null,
                        "jobcenter-aarhus", AARHUS_SOR, null, "c6", "2", "ips-employment-support", List.of(), null,
                        "corr-6", null),
                new AuditFact(7, T0.plusSeconds(7), "held", "unknown-recipient", "ehr-other", "Patient/q8", null, null,
                        "https://kombit.dk/sts/organisation|5a1c0b2e-0000-4000-8000-000000000001", null, "c7", "1",
                        "ips-employment-support", List.of(), null, "corr-7", null),
                new AuditFact(8, T0.plusSeconds(8), "withdrawn", "consent-withdrawn", "ehr-main", "Patient/p1", CPR,
                        "jobcenter-aarhus", AARHUS_SOR, "PractitionerRole/role-1", "c1", "4", "ips-employment-support",
                        List.of(), null, "corr-8", null),
                new AuditFact(9, T0.plusSeconds(9), "collected", null, "ehr-main", "Patient/p1", CPR,
                        "jobcenter-aarhus", AARHUS_SOR, null, "c1", "3", "ips-employment-support", List.of("outcomes"),
                        HASH, "corr-9", null),
                officerSearch(10),
                // an officer search that found no patient, across every source
                new AuditFact(11, T0.plusSeconds(11), "officer-search", null, null, null, null, null, null, null,
                        null, null, null, List.of(), null, "corr-11", "officer.jensen"));
    }
}
