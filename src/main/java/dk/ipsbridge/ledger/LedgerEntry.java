package dk.ipsbridge.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One disclosure decision to record: what was (or was not) shared, with whom, why and under which consent. It carries
 * the SHA-256 of the exact payload sent, never the payload. The CPR number is given in clear here; the ledger stores
 * only a keyed hash (for search) and a ciphertext (for display), and {@link #toString()} never shows it.
 *
 * @param time           when the decision was taken; stored to the microsecond
 * @param decision       {@link #SHARED}, {@link #HELD}, {@link #WITHDRAWN}, {@link #COLLECTED}, {@link #OFFICER_SEARCH}
 *                       or another lower-case kebab-case word
 * @param reason         why it was held or withdrawn (a {@code HoldReason} code), or null
 * @param sourceId       the EHR source the data came from
 * @param patientRef     the patient's id in that EHR
 * @param recipient      the jobcenter id
 * @param caseId         the jobcenter case id
 * @param consultantRef  the IPS consultant the record names, if any
 * @param consentId      the Consent resource the decision rests on
 * @param consentVersion its version
 * @param purpose        the purpose of the disclosure, e.g. {@code ips-employment-support}
 * @param categories     the data categories shared (empty when nothing was)
 * @param payloadSha256  lower-case hex SHA-256 of the exact bytes sent, or null when nothing was sent
 * @param correlationId  ties the entry to logs and the decision row
 * @param actor          who acted when a person did: the officer's username for {@link #OFFICER_SEARCH}, the
 *                       operator's for a control action, else null
 * @param cpr            the patient's CPR number (ten digits, a hyphen after six allowed), or null
 */
public record LedgerEntry(Instant time, String decision, String reason, String sourceId, String patientRef,
        String recipient, String caseId, String consultantRef, String consentId, String consentVersion,
        String purpose, List<String> categories, String payloadSha256, String correlationId, String actor,
        String cpr) {

    public static final String SHARED = "shared";
    public static final String HELD = "held";
    public static final String WITHDRAWN = "withdrawn";
    public static final String COLLECTED = "collected";
    public static final String OFFICER_SEARCH = "officer-search";
    /** An operator's control actions: delivery to a jobcenter paused or resumed, a citizen or a source resynced. */
    public static final String DELIVERY_PAUSED = "delivery-paused";
    public static final String DELIVERY_RESUMED = "delivery-resumed";
    public static final String RESYNC_REQUESTED = "resync-requested";

    private static final Pattern DECISION = Pattern.compile("[a-z][a-z-]{0,31}");
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CPR = Pattern.compile("\\d{6}-?\\d{4}");

    public LedgerEntry {
        Objects.requireNonNull(time, "time");
        time = time.truncatedTo(ChronoUnit.MICROS);
        if (decision == null || !DECISION.matcher(decision).matches()) {
            throw new IllegalArgumentException("decision must be a lower-case word such as shared or held");
        }
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("correlationId is required");
        }
        categories = categories == null ? List.of() : List.copyOf(categories);
        for (String category : categories) {
            if (!CATEGORY.matcher(category).matches()) {
                throw new IllegalArgumentException("a data category must be a lower-case code, got " + category);
            }
        }
        if (payloadSha256 != null && !SHA256.matcher(payloadSha256).matches()) {
            throw new IllegalArgumentException("payloadSha256 must be 64 lower-case hex digits");
        }
        cpr = cpr == null ? null : normalisedCpr(cpr);
        LedgerColumns.checkLengths(reason, sourceId, patientRef, recipient, caseId, consultantRef, consentId,
                consentVersion, purpose, String.join(" ", categories), correlationId, actor);
    }

    /** The ten digits of a CPR number written with or without the hyphen; never echoes it in an error. */
    static String normalisedCpr(String cpr) {
        if (!CPR.matcher(cpr).matches()) {
            throw new IllegalArgumentException("cpr must be ten digits");
        }
        return cpr.replace("-", "");
    }

    /** A builder, for call sites that set a few of the fields. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "LedgerEntry[" + decision + " " + time + " source=" + sourceId + " patient=" + patientRef
                + " recipient=" + recipient + " case=" + caseId + " correlation=" + correlationId + "]";
    }

    /** Builds a {@link LedgerEntry}; the same checks apply at {@link #build()}. */
    public static final class Builder {
        private Instant time;
        private String decision;
        private String reason;
        private String sourceId;
        private String patientRef;
        private String recipient;
        private String caseId;
        private String consultantRef;
        private String consentId;
        private String consentVersion;
        private String purpose;
        private List<String> categories = List.of();
        private String payloadSha256;
        private String correlationId;
        private String actor;
        private String cpr;

        private Builder() {
        }

        public Builder time(Instant value) {
            time = value;
            return this;
        }

        public Builder decision(String value) {
            decision = value;
            return this;
        }

        public Builder reason(String value) {
            reason = value;
            return this;
        }

        public Builder source(String sourceIdValue, String patientRefValue) {
            sourceId = sourceIdValue;
            patientRef = patientRefValue;
            return this;
        }

        public Builder recipient(String recipientValue, String caseIdValue) {
            recipient = recipientValue;
            caseId = caseIdValue;
            return this;
        }

        public Builder consultantRef(String value) {
            consultantRef = value;
            return this;
        }

        public Builder consent(String id, String version) {
            consentId = id;
            consentVersion = version;
            return this;
        }

        public Builder purpose(String value) {
            purpose = value;
            return this;
        }

        public Builder categories(List<String> value) {
            categories = value;
            return this;
        }

        public Builder payloadSha256(String value) {
            payloadSha256 = value;
            return this;
        }

        public Builder correlationId(String value) {
            correlationId = value;
            return this;
        }

        public Builder actor(String value) {
            actor = value;
            return this;
        }

        public Builder cpr(String value) {
            cpr = value;
            return this;
        }

        public LedgerEntry build() {
            return new LedgerEntry(time, decision, reason, sourceId, patientRef, recipient, caseId, consultantRef,
                    consentId, consentVersion, purpose, categories, payloadSha256, correlationId, actor, cpr);
        }
    }
}
