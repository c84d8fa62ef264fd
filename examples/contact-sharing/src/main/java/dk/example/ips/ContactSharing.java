package dk.example.ips;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.SearchStyleEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;

/**
 * The example team's own code: shares a citizen's phone number with the jobcenter when, and only when, an active IPS
 * consent in the EHR lets the category {@code contact} go. It reads the EHR with HAPI's generic client and sends a
 * case record to the jobcenter's case API.
 */
public final class ContactSharing {

    static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";
    static final String CATEGORY_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips-data-category";
    static final String IPS_SYSTEM = "http://ipsbridge.dk/fhir/CodeSystem/ips";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happened to one citizen. */
    public sealed interface Outcome {
        record Shared(String caseId) implements Outcome {}

        record Held(String reason) implements Outcome {}

        record RetryLater(Duration after) implements Outcome {}
    }

    private final IGenericClient ehr;
    private final URI jobcenter;
    private final String jobcenterOrganization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param jobcenterOrganization the jobcenter as the EHR names it ({@code Organization/...}): the recipient */
    public ContactSharing(FhirContext fhir, String ehrBaseUrl, String jobcenterBaseUrl, String jobcenterOrganization) {
        this.ehr = fhir.newRestfulGenericClient(ehrBaseUrl);
        this.jobcenter = URI.create(jobcenterBaseUrl + "/");
        this.jobcenterOrganization = jobcenterOrganization;
    }

    /** Shares the contact details of the citizen with this CPR number as case {@code caseId}, if the consent allows. */
    public Outcome share(String cpr, String caseId) throws IOException, InterruptedException {
        // POST search: the CPR number goes in the body, never in a URL
        Optional<Patient> patient = ehr.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(CPR_SYSTEM, cpr))
                .usingStyle(SearchStyleEnum.POST).returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (Patient) e.getResource()).findFirst();
        if (patient.isEmpty()) {
            return new Outcome.Held("no-patient");
        }
        Optional<Consent> consent = ehr.search().forResource(Consent.class)
                .where(Consent.PATIENT.hasId(patient.get().getIdElement().toUnqualifiedVersionless()))
                .and(Consent.STATUS.exactly().code("active"))
                .returnBundle(Bundle.class).execute()
                .getEntry().stream().map(e -> (Consent) e.getResource())
                .filter(ContactSharing::isIpsConsent).filter(this::namesThisJobcenter).filter(ContactSharing::inForce)
                .filter(ContactSharing::permitsContact).findFirst();
        if (consent.isEmpty()) {
            return new Outcome.Held("no-consent-for-contact");
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(jobcenter.resolve("cases/" + caseId))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(caseRecord(caseId, cpr, patient.get(), consent.get())))
                .build(), HttpResponse.BodyHandlers.ofString());
        int status = answer.statusCode();
        if (status == 200 || status == 201) {
            return new Outcome.Shared(caseId);
        }
        if (status == 429 || status == 503) {
            // Retry-After in seconds; an HTTP date (also allowed) is read as a minute, which this team found enough
            return new Outcome.RetryLater(Duration.ofSeconds(answer.headers().firstValue("Retry-After")
                    .filter(v -> v.matches("[0-9]{1,6}")).map(Long::parseLong).orElse(60L)));
        }
        throw new IOException("jobcenter answered " + status);
    }

    private static boolean isIpsConsent(Consent consent) {
        return consent.getCategory().stream().anyMatch(c -> c.hasCoding(IPS_SYSTEM, "ips-data-sharing"));
    }

    private boolean namesThisJobcenter(Consent consent) {
        return consent.getProvision().getActor().stream()
                .anyMatch(a -> jobcenterOrganization.equals(a.getReference().getReference()));
    }

    /** The consent's period has begun and not ended (no end: not in force, as a consent must say when it lapses). */
    private static boolean inForce(Consent consent) {
        Date now = new Date();
        Period period = consent.getProvision().getPeriod();
        return period.hasEnd() && period.getEnd().after(now) && (!period.hasStart() || !period.getStart().after(now));
    }

    /** The root permits {@code contact} and no nested deny takes it back. */
    private static boolean permitsContact(Consent consent) {
        Consent.ProvisionComponent root = consent.getProvision();
        return root.getType() == Consent.ConsentProvisionType.PERMIT && names(root.getCode())
                && root.getProvision().stream().noneMatch(p ->
                        p.getType() == Consent.ConsentProvisionType.DENY && names(p.getCode()));
    }

    private static boolean names(List<CodeableConcept> codes) {
        return codes.stream().anyMatch(c -> c.hasCoding(CATEGORY_SYSTEM, "contact"));
    }

    private static String caseRecord(String caseId, String cpr, Patient patient, Consent consent) {
        ObjectNode record = JSON.createObjectNode().put("caseId", caseId).put("revision", 1).put("region", "DK-82")
                .put("status", "referred");
        ObjectNode citizen = record.putObject("citizen").put("cpr", cpr)
                .put("givenName", patient.getNameFirstRep().getGivenAsSingleString())
                .put("familyName", patient.getNameFirstRep().getFamily());
        patient.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE)
                .findFirst().ifPresent(t -> citizen.put("phone", t.getValue()));
        record.putObject("consent").put("consentId", consent.getIdElement().getIdPart())
                .put("givenOn", day(consent.getDateTime()))
                .put("expiresOn", day(consent.getProvision().getPeriod().getEnd()))
                .putArray("categories").add("contact");
        return record.toString();
    }

    private static String day(Date date) {
        return date.toInstant().atZone(ZoneId.of("Europe/Copenhagen")).toLocalDate().toString();
    }
}
