package dk.ipsbridge.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * Exports ledger decisions as FHIR AuditEvents following IHE Basic Audit Log Patterns (BALP 1.1), and as a CSV for
 * consent officers. Pure: the same facts and settings give the same Bundle, byte for byte.
 *
 * <ul>
 * <li>{@code shared}, {@code held}, {@code withdrawn}, {@code collected}: an {@code IHE.BasicAudit.AuthZconsent}
 * event ({@code ips-<sequence>-authz}), outcome 0 for shared and collected, 4 with the reason otherwise;</li>
 * <li>{@code shared} also: an {@code IHE.BasicAudit.PrivacyDisclosure.Source} event
 * ({@code ips-<sequence>-disclosure});</li>
 * <li>{@code officer-search}: an {@code IHE.BasicAudit.PatientQuery} event ({@code ips-<sequence>-query}), or
 * {@code IHE.BasicAudit.Query} when the fact names no patient.</li>
 * </ul>
 * Both exports carry CPR numbers where the facts do: they are personal data, for officers, and must not be logged.
 */
@Component
public class BalpExport {

    private final FhirContext fhirContext;

    public BalpExport(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /**
     * Who is exporting, and where the systems it talks to are.
     *
     * @param regionName        the sending region's name, e.g. {@code Region Midtjylland} (source site, custodian)
     * @param regionSor         the region's SOR code ({@code urn:oid:1.2.208.176.1.1})
     * @param adapterId         this adapter's id: the observer of every event and the seed of the entries' urn:uuid
     * @param adapterAddress    this adapter's host name, IP address or URL
     * @param ehrBaseUrls       FHIR base URL by EHR source id; references into a listed source are absolute
     * @param jobcenterBaseUrls case API base URL by jobcenter id; the recipient's network address
     */
    public record Settings(String regionName, String regionSor, String adapterId, String adapterAddress,
            Map<String, String> ehrBaseUrls, Map<String, String> jobcenterBaseUrls) {

        public Settings {
            Objects.requireNonNull(regionName, "regionName");
            Objects.requireNonNull(regionSor, "regionSor");
            Objects.requireNonNull(adapterId, "adapterId");
            Objects.requireNonNull(adapterAddress, "adapterAddress");
            ehrBaseUrls = ehrBaseUrls == null ? Map.of() : Map.copyOf(ehrBaseUrls);
            jobcenterBaseUrls = jobcenterBaseUrls == null ? Map.of() : Map.copyOf(jobcenterBaseUrls);
        }
    }

    /**
     * A {@code collection} Bundle of the facts' AuditEvents, in the order of the facts. Encode it with
     * {@link #encode}: a default HAPI parser drops the consent version from {@code Consent/c1/_history/3}.
     *
     * @throws IllegalArgumentException for a decision this export does not know (named by sequence)
     */
    public Bundle toBundle(List<AuditFact> facts, Settings settings) {
        AuditParts parts = new AuditParts(settings);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (AuditFact fact : facts) {
            for (AuditEvent event : events(fact, parts)) {
                bundle.addEntry().setFullUrl(parts.fullUrl(event)).setResource(event);
            }
        }
        return bundle;
    }

    /** {@link #toBundle} as FHIR JSON, with the consent versions in the references kept. */
    public String toJson(List<AuditFact> facts, Settings settings) {
        return encode(toBundle(facts, settings));
    }

    /** A resource of the export as FHIR JSON: HAPI strips {@code _history} from references unless told not to. */
    public String encode(IBaseResource resource) {
        return fhirContext.newJsonParser().setStripVersionsFromReferences(false).encodeResourceToString(resource);
    }

    /**
     * One CSV row per fact, after a header line (RFC 4180: CRLF, quoted where needed). A cell that a spreadsheet
     * would read as a formula is prefixed with a single quote.
     */
    public String toCsv(List<AuditFact> facts) {
        return AuditCsv.write(facts);
    }

    static List<AuditEvent> events(AuditFact fact, AuditParts parts) {
        String decision = fact.decision() == null ? "" : fact.decision();
        return switch (decision) {
            case AuditFact.SHARED -> List.of(AuthZConsentEvent.from(fact, parts),
                    PrivacyDisclosureEvent.from(fact, parts));
            case AuditFact.HELD, AuditFact.WITHDRAWN, AuditFact.COLLECTED ->
                    List.of(AuthZConsentEvent.from(fact, parts));
            case AuditFact.OFFICER_SEARCH -> List.of(OfficerQueryEvent.from(fact, parts));
            case AuditFact.DELIVERY_PAUSED, AuditFact.DELIVERY_RESUMED, AuditFact.RESYNC_REQUESTED ->
                    List.of(OperatorActionEvent.from(fact, parts));
            default -> throw new IllegalArgumentException(
                    "ledger entry " + fact.sequence() + " has an unknown decision: " + fact.decision());
        };
    }
}
