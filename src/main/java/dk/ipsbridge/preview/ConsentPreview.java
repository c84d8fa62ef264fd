package dk.ipsbridge.preview;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dk.ipsbridge.caserecord.CaseRecordTranslator;
import dk.ipsbridge.caserecord.IpsCaseRecord;
import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.consent.HoldReason;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.patient.PatientSnapshot;
import org.springframework.stereotype.Component;

/**
 * What a jobcenter would receive about a patient if the adapter decided now, and which categories are held back and
 * why: the same gate and translator as the real flow, read fresh from every EHR source, with nothing stored or sent.
 */
@Component
class ConsentPreview {

    /** The preview case id: the record is never sent, so it needs no real one. */
    static final String PREVIEW_CASE_ID = "preview";

    private final IpsProperties properties;
    private final SnapshotLoader loader;
    private final ConsentGate gate;
    private final CaseRecordTranslator translator;
    private final Clock clock;

    ConsentPreview(IpsProperties properties, SnapshotLoader loader, ConsentGate gate, CaseRecordTranslator translator,
            Clock clock) {
        this.properties = properties;
        this.loader = loader;
        this.gate = gate;
        this.translator = translator;
        this.clock = clock;
    }

    /** One category of the case record: whether it would be shared, and if not, why. */
    public record CategoryState(String category, boolean shared, String reason) {
    }

    /**
     * The preview for one patient record in one EHR source.
     *
     * @param decision {@code share} or {@code hold}
     * @param record   the case record the jobcenter would receive, or null when nothing would be shared
     * @param problem  why a shared record could not be built (the real flow would record a failure), or null
     */
    public record PatientPreview(String sourceId, String patientReference, String decision, String reason,
            String detail, GateDecision.ConsentBasis consent, List<CategoryState> categories, IpsCaseRecord record,
            String problem) {
    }

    /** Every patient with this CPR in any source, previewed for {@code jobcenterId}; empty when there is none. */
    public List<PatientPreview> preview(String cpr, String jobcenterId) {
        Instant now = clock.instant();
        List<PatientPreview> previews = new ArrayList<>();
        for (IpsProperties.Source source : properties.sources()) {
            for (String patientId : loader.patientsWithCpr(source.id(), cpr)) {
                loader.load(source.id(), patientId)
                        .ifPresent(loaded -> previews.add(preview(source.id(), patientId, loaded, jobcenterId, now)));
            }
        }
        return previews;
    }

    private PatientPreview preview(String sourceId, String patientId, SnapshotLoader.Loaded loaded,
            String jobcenterId, Instant now) {
        String reference = "Patient/" + patientId;
        if (loaded.consentUnreadable()) {
            return held(sourceId, reference, new GateDecision.Hold(jobcenterId, null, HoldReason.CONSENT_UNREADABLE,
                    "a Consent of the patient could not be read"));
        }
        PatientSnapshot snapshot = loaded.snapshot();
        GateDecision decision = decisionFor(gate.decide(snapshot, now), jobcenterId);
        if (!(decision instanceof GateDecision.Share share)) {
            return held(sourceId, reference, (GateDecision.Hold) decision);
        }
        if (share.categories().contains(DataCategory.DIAGNOSIS)) {
            snapshot = snapshot.withConditions(loader.conditions(sourceId, patientId));
        }
        IpsCaseRecord record = null;
        String problem = null;
        try {
            record = translator.translate(snapshot, share, PREVIEW_CASE_ID, 1);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        List<CategoryState> categories = Arrays.stream(DataCategory.values())
                .map(c -> share.categories().contains(c) ? new CategoryState(c.code(), true, null)
                        : new CategoryState(c.code(), false, withheldReason(share, c)))
                .toList();
        return new PatientPreview(sourceId, reference, "share", null, null, share.consent(), categories, record,
                problem);
    }

    private static String withheldReason(GateDecision.Share share, DataCategory category) {
        GateDecision.Withheld withheld = share.withheld().get(category);
        return withheld == null ? HoldReason.CATEGORY_NOT_CONSENTED.code() : withheld.reason().code();
    }

    /** The decision about this jobcenter; when no consent names it, why not. */
    private static GateDecision decisionFor(List<GateDecision> decisions, String jobcenterId) {
        return decisions.stream().filter(d -> jobcenterId.equals(d.jobcenterId())).findFirst()
                .orElseGet(() -> decisions.stream()
                        .filter(d -> d.jobcenterId() == null && d instanceof GateDecision.Hold).findFirst()
                        .map(d -> (GateDecision) new GateDecision.Hold(jobcenterId, d.consent(),
                                ((GateDecision.Hold) d).reason(), ((GateDecision.Hold) d).detail()))
                        .orElseGet(() -> new GateDecision.Hold(jobcenterId, null, HoldReason.UNKNOWN_RECIPIENT,
                                "No consent of the patient names this jobcenter")));
    }

    private static PatientPreview held(String sourceId, String reference, GateDecision.Hold hold) {
        List<CategoryState> categories = Arrays.stream(DataCategory.values())
                .map(c -> new CategoryState(c.code(), false, hold.reason().code())).toList();
        return new PatientPreview(sourceId, reference, "hold", hold.reason().code(), hold.detail(), hold.consent(),
                categories, null, null);
    }
}
