package dk.ipsbridge.caserecord;

import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The IPS referral ({@code ServiceRequest} or, failing that, {@code EpisodeOfCare} with {@code ips#ips-referral}) to
 * {@code referral}. Null when there is no referral or no day it was made on, as {@code referredOn} is required.
 */
final class ReferralTranslator {

    private static final int EXCLUDED = -1;

    private final Function<String, String> defaultProgramme;

    /** @param defaultProgramme the programme of a source's referrals that name none (C14), by source id */
    ReferralTranslator(Function<String, String> defaultProgramme) {
        this.defaultProgramme = defaultProgramme;
    }

    IpsCaseRecord.Referral translate(PatientSnapshot snapshot) {
        Optional<ServiceRequest> request = snapshot.referrals().stream()
                .filter(sr -> FhirValues.hasCoding(sr.getCode(), IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL))
                .filter(sr -> rank(sr.getStatus()) != EXCLUDED)
                .min(Comparator.<ServiceRequest>comparingInt(sr -> rank(sr.getStatus()))
                        .thenComparing(ServiceRequest::getAuthoredOn, Comparator.nullsLast(Comparator.reverseOrder())));
        Optional<EpisodeOfCare> episode = snapshot.episodes().stream()
                .filter(e -> FhirValues.hasCoding(e.getType(), IpsCodes.IPS_SYSTEM, IpsCodes.IPS_REFERRAL))
                .filter(e -> rank(e.getStatus()) != EXCLUDED)
                .min(Comparator.<EpisodeOfCare>comparingInt(e -> rank(e.getStatus()))
                        .thenComparing(ReferralTranslator::start, Comparator.nullsLast(Comparator.reverseOrder())));
        if (request.isPresent()) {
            ServiceRequest sr = request.get();
            String referredOn = Optional.ofNullable(FhirValues.date(sr.getAuthoredOnElement()))
                    .orElseGet(() -> episode.map(e -> FhirValues.date(e.getPeriod().getStartElement())).orElse(null));
            return referral(referredOn, programme(snapshot, sr.getCategory()), unit(snapshot, sr.getRequester(), sr),
                    contact(snapshot, sr.getRequester(), sr));
        }
        return episode.map(e -> referral(FhirValues.date(e.getPeriod().getStartElement()),
                programme(snapshot, e.getType()), unit(snapshot, e.getManagingOrganization(), e),
                contact(snapshot, e.getCareManager(), e))).orElse(null);
    }

    private static IpsCaseRecord.Referral referral(String referredOn, String programme,
            IpsCaseRecord.ReferringUnit unit, IpsCaseRecord.Contact contact) {
        return referredOn == null ? null : new IpsCaseRecord.Referral(referredOn, programme, unit, contact);
    }

    /** C14: the track the referral's codings name ({@code ips#ips-ptsd}, ...); none: the source's default. */
    private String programme(PatientSnapshot snapshot, List<CodeableConcept> codings) {
        return IpsCodes.PROGRAMMES.stream().filter(p -> FhirValues.hasCoding(codings, IpsCodes.IPS_SYSTEM, p))
                .findFirst().orElseGet(() -> defaultProgramme(snapshot));
    }

    String defaultProgramme(PatientSnapshot snapshot) {
        return defaultProgramme.apply(snapshot.sourceId());
    }

    /** The referring Organization, or the organization of a referring PractitionerRole; null when unknown. */
    private static IpsCaseRecord.ReferringUnit unit(PatientSnapshot snapshot, Reference requester, Resource container) {
        Optional<Resource> target = snapshot.resolve(requester, container);
        Optional<Organization> organization = target.filter(Organization.class::isInstance)
                .map(Organization.class::cast)
                .or(() -> target.filter(PractitionerRole.class::isInstance).map(PractitionerRole.class::cast)
                        .flatMap(role -> snapshot.resolve(role.getOrganization(), role))
                        .filter(Organization.class::isInstance).map(Organization.class::cast));
        if (organization.isEmpty()) {
            return null;
        }
        String sor = FhirValues.identifier(organization.get().getIdentifier(), IpsCodes.SOR_SYSTEM);
        String name = FhirValues.text(organization.get().getName());
        return sor == null && name == null ? null : new IpsCaseRecord.ReferringUnit(sor, name);
    }

    /** The referring Practitioner or PractitionerRole as a contact; null when the requester is not a person. */
    private static IpsCaseRecord.Contact contact(PatientSnapshot snapshot, Reference requester, Resource container) {
        return People.person(snapshot, requester, container)
                .filter(p -> p.name() != null || p.phone() != null || p.email() != null)
                .map(p -> new IpsCaseRecord.Contact(p.name(), p.phone(), p.email()))
                .orElse(null);
    }

    private static Date start(EpisodeOfCare episode) {
        return episode.getPeriod().getStart();
    }

    /** Lower is preferred: the current referral before a finished one; {@link #EXCLUDED} is never shared. */
    static int rank(ServiceRequest.ServiceRequestStatus status) {
        if (status == null) {
            return 5;
        }
        switch (status) {
            case ACTIVE:
                return 0;
            case ONHOLD:
                return 1;
            case COMPLETED:
                return 2;
            case DRAFT:
                return 3;
            case REVOKED:
                return 4;
            case ENTEREDINERROR:
                return EXCLUDED;
            default: // UNKNOWN, NULL and any later code
                return 5;
        }
    }

    static int rank(EpisodeOfCare.EpisodeOfCareStatus status) {
        if (status == null) {
            return 6;
        }
        switch (status) {
            case ACTIVE:
                return 0;
            case WAITLIST:
                return 1;
            case PLANNED:
                return 2;
            case ONHOLD:
                return 3;
            case FINISHED:
                return 4;
            case CANCELLED:
                return 5;
            case ENTEREDINERROR:
                return EXCLUDED;
            default: // NULL and any later code
                return 6;
        }
    }
}
