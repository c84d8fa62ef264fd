package dk.ipsbridge.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.testkit.cohort.BulkCohort;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The translation a team would write without a consent gate: a patient's resources straight into a case record of
 * the case API (valid against its schema), every category of the bulk cohort's consent, no checks. Used by the
 * practical limit and by the plain Camel route, so that both do the same work.
 */
final class PlainMapping {

    static final ObjectMapper JSON = new ObjectMapper();

    private PlainMapping() {
    }

    static ObjectNode record(List<? extends Resource> resources, String caseId, int revision) {
        ObjectNode record = JSON.createObjectNode();
        record.put("caseId", caseId);
        record.put("revision", revision);
        record.put("region", "DK-82");
        record.put("status", "active");
        ArrayNode conferences = null;
        for (Resource r : resources) {
            if (r instanceof Patient p) {
                ObjectNode citizen = record.putObject("citizen");
                citizen.put("cpr", p.getIdentifierFirstRep().getValue());
                citizen.put("givenName", p.getNameFirstRep().getGivenAsSingleString());
                citizen.put("familyName", p.getNameFirstRep().getFamily());
                p.getTelecom().forEach(t -> citizen.put(t.getSystem().toCode(), t.getValue()));
                ObjectNode address = citizen.putObject("address");
                address.put("line", p.getAddressFirstRep().getLine().get(0).getValue());
                address.put("postalCode", p.getAddressFirstRep().getPostalCode());
                address.put("city", p.getAddressFirstRep().getCity());
            } else if (r instanceof Consent c) {
                ObjectNode consent = record.putObject("consent");
                consent.put("consentId", c.getIdElement().getIdPart());
                consent.put("givenOn", day(c.getDateTime()).toString());
                consent.put("expiresOn", day(c.getProvision().getPeriod().getEnd()).toString());
                ArrayNode categories = consent.putArray("categories");
                BulkCohort.CATEGORIES.forEach(categories::add);
            } else if (r instanceof ServiceRequest sr) {
                record.putObject("referral").put("referredOn", day(sr.getAuthoredOn()).toString());
            } else if (r instanceof CareTeam ct) {
                ArrayNode team = record.putArray("treatmentTeam");
                for (CareTeam.CareTeamParticipantComponent p : ct.getParticipant()) {
                    if (p.getOnBehalfOf().hasReference()) {
                        record.putObject("consultant").put("id", p.getMember().getReference());
                    } else {
                        team.addObject().put("role", p.getRoleFirstRep().getCodingFirstRep().getDisplay())
                                .put("name", p.getMember().getReference());
                    }
                }
            } else if (r instanceof Appointment a) {
                if (conferences == null) {
                    conferences = record.putArray("treatmentConferences");
                }
                conferences.addObject().put("start", a.getStart().toInstant().toString())
                        .put("end", a.getEnd().toInstant().toString());
            } else if (r instanceof Goal g) {
                record.putObject("employmentGoal").put("text", g.getDescription().getText());
            }
        }
        return record;
    }

    private static LocalDate day(Date date) {
        return LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC);
    }
}
