package dk.ipsbridge.officer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dk.ipsbridge.patient.Redacted;
import dk.ipsbridge.audit.AuditFact;
import dk.ipsbridge.audit.BalpExport;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.decision.DecisionLog;
import dk.ipsbridge.ledger.Checkpoint;
import dk.ipsbridge.ledger.InclusionProof;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.ledger.LedgerRecord;
import dk.ipsbridge.security.Officer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a consent officer does with the ledger: search (and be recorded searching), read an entry with its proof,
 * export, and answer a citizen. The pages and the API both go through here.
 */
@Component
@EnableConfigurationProperties({AuditProperties.class, OfficerProperties.class})
public class OfficerWorkspace {

    /** What an officer did, as the reason of the {@code officer-search} entry that records it. */
    public enum Look {
        SEARCH, VIEW, EXPORT, REPORT, PREVIEW, LEDGER_EXPORT;

        String reason() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Ledger ledger;
    private final BalpExport balp;
    private final JobcenterDirectory jobcenters;
    private final IpsProperties properties;
    private final AuditProperties audit;
    private final OfficerProperties limits;
    private final Clock clock;

    OfficerWorkspace(Ledger ledger, BalpExport balp, JobcenterDirectory jobcenters, IpsProperties properties,
            AuditProperties audit, OfficerProperties limits, Clock clock) {
        this.ledger = ledger;
        this.balp = balp;
        this.jobcenters = jobcenters;
        this.properties = properties;
        this.audit = audit;
        this.limits = limits;
        this.clock = clock;
    }

    /** The officer behind a request, with the scope their authorities give in the region this adapter serves. */
    public Officer officer(Authentication authentication) {
        return Officer.of(authentication, properties.region());
    }

    /** An entry as an officer sees it: with the CPR number in clear (empty when none or redacted). */
    public record Shown(LedgerRecord entry, String cpr) {
        @Override
        public String toString() {
            return Redacted.toString(this, "cpr");
        }
    }

    /**
     * Where an entry stands: its inclusion proof against the newest signed checkpoint that covers it.
     *
     * @param checkpoint null while no signed checkpoint covers the entry yet (the proof is then against the
     *                   current, unsigned root)
     */
    public record Proof(InclusionProof proof, Checkpoint checkpoint, boolean proofVerified, boolean signatureVerified) {

        public boolean verified() {
            return proofVerified && (checkpoint == null || signatureVerified);
        }
    }

    /**
     * Why a search is refused, or empty when it may run: it must name a CPR number, a consultant or a consent, or a
     * period of at most {@code ips.officer.max-search-period}, so that no search lists every citizen.
     */
    public Optional<String> refusal(Ledger.Query query) {
        boolean named = query.cpr() != null || !blank(query.consultantRef()) || !blank(query.consentId());
        boolean period = query.from() != null && query.to() != null
                && !query.to().isAfter(query.from().plus(limits.maxSearchPeriod()));
        return named || period ? Optional.empty() : Optional.of("A search needs a CPR number, a consultant, a consent "
                + "or a period of at most " + limits.maxSearchPeriod().toDays() + " days.");
    }

    /**
     * Searches within the officer's scope, and appends the look itself to the ledger: officers are audited too.
     *
     * @param look why: a search, an export of it or a citizen's report
     * @throws IllegalArgumentException when the search names nothing ({@link #refusal})
     */
    @Transactional
    public List<Shown> search(Ledger.Query query, Officer officer, Look look) {
        refusal(query).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        List<Shown> found = ledger.search(query, officer.unlimited() ? null : officer.jobcenters()).stream()
                .map(this::show).toList();
        recordLookup(officer.name(), look, query.cpr(), query.recipient(), query.consultantRef(), query.consentId());
        return found;
    }

    /**
     * An officer looked at personal data (a ledger search, an entry, an export, a citizen's report, a consent
     * preview): that goes into the ledger too, with the CPR number looked for, so the citizen's report shows it.
     */
    public void recordLookup(String officer, Look look, String cpr, String recipient, String consultantRef,
            String consentId) {
        ledger.append(LedgerEntry.builder().time(clock.instant()).decision(LedgerEntry.OFFICER_SEARCH)
                .reason(look.reason()).purpose(DecisionLog.PURPOSE).actor(officer).cpr(cpr)
                .recipient(blankToNull(recipient), null).consultantRef(blankToNull(consultantRef))
                .consent(blankToNull(consentId), null).correlationId(UUID.randomUUID().toString()).build());
    }

    /** An entry, when the officer's scope covers it; the look is recorded. Empty alike when unknown or not covered. */
    @Transactional
    public Optional<Shown> entry(long index, Officer officer) {
        Optional<Shown> shown = visible(index, officer).map(this::show);
        shown.ifPresent(s -> recordLookup(officer.name(), Look.VIEW, blankToNull(s.cpr()), s.entry().recipient(),
                null, null));
        return shown;
    }

    /** Whether the officer's scope covers the entry (for its proof, which shows no personal data). */
    public boolean covers(long index, Officer officer) {
        return visible(index, officer).isPresent();
    }

    private Optional<LedgerRecord> visible(long index, Officer officer) {
        return ledger.entry(index).filter(e -> officer.covers(e.recipient()));
    }

    public Proof proof(long index) {
        // checkpoints only grow: the newest one covers the entry if any does
        Checkpoint covering = ledger.latestCheckpoint().filter(c -> c.treeSize() > index).orElse(null);
        long size = covering != null ? covering.treeSize() : ledger.size();
        InclusionProof proof = ledger.inclusionProof(index, size);
        String root = covering != null ? covering.rootHash() : ledger.root(size);
        return new Proof(proof, covering, proof.verify(root), covering != null && ledger.signedByKnownKey(covering));
    }

    /** A search as a FHIR Bundle of IHE BALP AuditEvents (JSON). */
    public String exportBalp(List<Shown> entries) {
        if (audit.regionSor().isBlank() || audit.regionName().isBlank()) {
            throw new IllegalStateException("set ips.audit.region-name and ips.audit.region-sor for a BALP export");
        }
        Map<String, String> ehrs = new LinkedHashMap<>();
        properties.sources().forEach(s -> ehrs.put(s.id(), s.fhirBaseUrl().toString()));
        Map<String, String> jcs = new LinkedHashMap<>();
        properties.jobcenters().forEach(j -> jcs.put(j.id(), j.baseUrl().toString()));
        return balp.toJson(facts(entries), new BalpExport.Settings(audit.regionName(), audit.regionSor(),
                audit.adapterId(), audit.adapterAddress(), ehrs, jcs));
    }

    public String exportCsv(List<Shown> entries) {
        return balp.toCsv(facts(entries));
    }

    private List<AuditFact> facts(List<Shown> entries) {
        List<AuditFact> facts = new ArrayList<>();
        for (Shown shown : entries) {
            LedgerRecord e = shown.entry();
            if (e.redacted()) {
                continue;
            }
            String organization = e.recipient() == null ? null : jobcenters.get(e.recipient())
                    .map(j -> j.organizationIdentifiers().get(0)).orElse(null);
            facts.add(new AuditFact(e.index(), e.time(), e.decision(), e.reason(), e.sourceId(), e.patientRef(),
                    blankToNull(shown.cpr()), e.recipient(), organization, e.consultantRef(), e.consentId(),
                    e.consentVersion(), e.purpose(), e.categories(), e.payloadSha256(), e.correlationId(),
                    e.actor()));
        }
        return facts;
    }

    private Shown show(LedgerRecord record) {
        return new Shown(record, ledger.revealCpr(record).orElse(""));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
