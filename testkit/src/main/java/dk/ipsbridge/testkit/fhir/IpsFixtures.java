package dk.ipsbridge.testkit.fhir;

import static dk.ipsbridge.testkit.fhir.IpsContract.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Builds the FHIR resources of the EHR contract ({@code ehr-ips-conventions.md}, 1.1) for tests, the simulators and
 * the demo cohort. Every resource gets the id it is given; references are literal ({@code Type/id}). The cases of the
 * 1.1 clarifications have builders of their own: CPRs with {@code use} (C1), consultants as PractitionerRoles (C2),
 * CareTeam status and participant periods (C3), single and text-only names (C4), deny and actor-less consents (C5),
 * labelled denies and ETH (C9), an untyped root (C10), programmes on referrals and episodes (C13, C14).
 */
public final class IpsFixtures {

    /** DK Core 3.7.0's municipality code system (four digits, e.g. 0751 Aarhus), bound required by the extension. */
    public static final String DK_MUNICIPALITY_CODES = "http://hl7.dk/fhir/core/CodeSystem/dk-core-municipality-codes";

    private IpsFixtures() {
    }

    public static Patient patient(String id, String cpr, String given, String family) {
        Patient p = new Patient();
        p.setId(id);
        if (cpr != null) {
            p.addIdentifier().setSystem(CPR_SYSTEM).setValue(cpr);
        }
        p.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(family).addGiven(given);
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+45 20 00 " + twoDigits(id) + " 00");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(id + "@example.invalid");
        Address address = p.addAddress().addLine("Testvej " + Math.abs(id.hashCode() % 200)).setPostalCode("8000")
                .setCity("Aarhus C");
        address.addExtension(MUNICIPALITY_EXTENSION,
                new CodeableConcept(new Coding(DK_MUNICIPALITY_CODES, "0751", "Aarhus")));
        return p;
    }

    /**
     * As {@link #patient}, with these identifiers instead of one CPR: for C1, CPRs with {@code use}
     * ({@link #cprIdentifier}), several of them, or replacement numbers.
     */
    public static Patient patientWithIdentifiers(String id, String given, String family, Identifier... identifiers) {
        Patient p = patient(id, null, given, family);
        for (Identifier identifier : identifiers) {
            p.addIdentifier(identifier.copy());
        }
        return p;
    }

    /** A CPR identifier with {@code use} official, old, temp or secondary, or with none (null). */
    public static Identifier cprIdentifier(String cpr, Identifier.IdentifierUse use) {
        Identifier identifier = new Identifier().setSystem(CPR_SYSTEM).setValue(cpr);
        return use == null ? identifier : identifier.setUse(use);
    }

    /** As {@link #patient}, with {@code name} as its only name (C4: a single name, a text only, several parts). */
    public static Patient patientWithName(String id, String cpr, HumanName name) {
        Patient p = patient(id, cpr, "x", "x");
        p.getName().clear();
        p.addName(name.copy());
        return p;
    }

    /** A patient with a single name, recorded as {@code family} only (C4: sent as {@code familyName}). */
    public static Patient patientWithSingleName(String id, String cpr, String name) {
        return patientWithName(id, cpr, new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(name));
    }

    /** A patient whose only name is {@code name.text}, no parts (C4: the text is sent as {@code familyName}). */
    public static Patient patientWithNameText(String id, String cpr, String text) {
        return patientWithName(id, cpr, new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(text));
    }

    /** A patient known only by a replacement number (X-eCPR), never shared automatically. */
    public static Patient patientWithReplacementNumber(String id, String ecpr, String given, String family) {
        Patient p = patient(id, null, given, family);
        p.addIdentifier().setSystem("urn:oid:1.2.208.176.1.6.1.1").setValue(ecpr);
        return p;
    }

    public static Organization organization(String id, String system, String value, String name) {
        Organization o = new Organization();
        o.setId(id);
        o.addIdentifier().setSystem(system).setValue(value);
        o.setName(name);
        return o;
    }

    public static Practitioner practitioner(String id, String given, String family) {
        Practitioner p = new Practitioner();
        p.setId(id);
        p.addIdentifier().setSystem("https://autregweb.sst.dk").setValue("AUT-" + id);
        p.addName().setFamily(family).addGiven(given);
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+45 70 00 00 " + twoDigits(id));
        return p;
    }

    /** A role of a Practitioner at an Organization; {@code organizationId} null: at none (C2). */
    public static PractitionerRole practitionerRole(String id, String practitionerId, String organizationId) {
        PractitionerRole r = new PractitionerRole();
        r.setId(id);
        r.setPractitioner(ref("Practitioner", practitionerId));
        if (organizationId != null) {
            r.setOrganization(ref("Organization", organizationId));
        }
        return r;
    }

    /**
     * An IPS consultant who is a PractitionerRole (C2): the Practitioner, the role at the jobcenter Organization, and
     * an active CareTeam whose consultant participant is the role (no {@code onBehalfOf}), current for
     * {@code period} (null: always), with the treatment team members.
     */
    public static ConsultantTeam careTeamWithConsultantRole(String careTeamId, String patientId, String practitionerId,
            String roleId, String jobcenterOrgId, Period period, String... treatmentTeamPractitionerIds) {
        CareTeamBuilder team = careTeam(careTeamId, patientId).consultant("PractitionerRole/" + roleId, null, period);
        for (String member : treatmentTeamPractitionerIds) {
            team.member(member, null);
        }
        return new ConsultantTeam(practitioner(practitionerId, "Konsulent", practitionerId),
                practitionerRole(roleId, practitionerId, jobcenterOrgId), team.build());
    }

    /** What {@link #careTeamWithConsultantRole} builds; {@link #resources()} to store them together. */
    public record ConsultantTeam(Practitioner practitioner, PractitionerRole role, CareTeam careTeam) {

        /** The Practitioner, the PractitionerRole and the CareTeam, in that order. */
        public List<Resource> resources() {
            return List.of(practitioner, role, careTeam);
        }
    }

    /** Starts an IPS data-sharing consent: active, opt-in, disclose, purpose IPS employment support. */
    public static ConsentBuilder consent(String id, String patientId) {
        return new ConsentBuilder(id, patientId);
    }

    public static ServiceRequest referral(String id, String patientId, String requesterOrgId, String performerOrgId,
            LocalDate authoredOn, ServiceRequest.ServiceRequestStatus status) {
        ServiceRequest sr = new ServiceRequest();
        sr.setId(id);
        sr.setStatus(status);
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setCode(new CodeableConcept(new Coding(IPS_SYSTEM, IPS_REFERRAL, "IPS referral")));
        sr.setSubject(ref("Patient", patientId));
        sr.setAuthoredOn(date(authoredOn));
        sr.setRequester(ref("Organization", requesterOrgId));
        sr.addPerformer(ref("Organization", performerOrgId));
        return sr;
    }

    /**
     * As {@link #referral(String, String, String, String, LocalDate, ServiceRequest.ServiceRequestStatus)}, with the
     * programme (C14) as {@code category} {@code ips#<programme>}, such as {@link IpsContract#IPS_PTSD}; null: none.
     */
    public static ServiceRequest referral(String id, String patientId, String requesterOrgId, String performerOrgId,
            LocalDate authoredOn, ServiceRequest.ServiceRequestStatus status, String programme) {
        ServiceRequest sr = referral(id, patientId, requesterOrgId, performerOrgId, authoredOn, status);
        if (programme != null) {
            sr.addCategory(new CodeableConcept(new Coding(IPS_SYSTEM, programme, null)));
        }
        return sr;
    }

    public static EpisodeOfCare episode(String id, String patientId, String managingOrgId, LocalDate start,
            EpisodeOfCare.EpisodeOfCareStatus status) {
        EpisodeOfCare e = new EpisodeOfCare();
        e.setId(id);
        e.setStatus(status);
        e.addType(new CodeableConcept(new Coding(IPS_SYSTEM, IPS_REFERRAL, "IPS referral")));
        e.setPatient(ref("Patient", patientId));
        e.setManagingOrganization(ref("Organization", managingOrgId));
        e.setPeriod(new Period().setStart(date(start)));
        return e;
    }

    /**
     * An IPS course as an EpisodeOfCare (C13, C14): {@code type} {@code ips#ips-referral} plus, when not null, a second
     * {@code type} for the programme ({@code ips#ips-general}, {@code ips#ips-ptsd}, {@code ips#ips-substance-use});
     * any {@code status} (C13: active and onhold are ongoing, finished is ended, cancelled and entered-in-error
     * withdraw); {@code end} null for an open period.
     */
    public static EpisodeOfCare episode(String id, String patientId, String managingOrgId, LocalDate start,
            LocalDate end, EpisodeOfCare.EpisodeOfCareStatus status, String programme) {
        EpisodeOfCare e = episode(id, patientId, managingOrgId, start, status);
        if (programme != null) {
            e.addType(new CodeableConcept(new Coding(IPS_SYSTEM, programme, null)));
        }
        if (end != null) {
            e.getPeriod().setEnd(date(end));
        }
        return e;
    }

    /**
     * A CareTeam with the IPS consultant ({@code Practitioner/..} on behalf of the jobcenter, or a
     * {@code PractitionerRole/..}) and the treatment team members; {@code consultant} may be null.
     */
    public static CareTeam careTeam(String id, String patientId, String consultant, String jobcenterOrgId,
            Period consultantPeriod, String... treatmentTeamPractitionerIds) {
        CareTeam ct = new CareTeam();
        ct.setId(id);
        ct.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        ct.setSubject(ref("Patient", patientId));
        if (consultant != null) {
            CareTeam.CareTeamParticipantComponent c = ct.addParticipant();
            c.addRole(new CodeableConcept(new Coding(IPS_SYSTEM, IPS_CONSULTANT, "IPS consultant")));
            c.setMember(new Reference(consultant));
            if (consultant.startsWith("Practitioner/") && jobcenterOrgId != null) {
                c.setOnBehalfOf(ref("Organization", jobcenterOrgId));
            }
            c.setPeriod(consultantPeriod);
        }
        for (String member : treatmentTeamPractitionerIds) {
            CareTeam.CareTeamParticipantComponent m = ct.addParticipant();
            m.addRole(new CodeableConcept(new Coding("http://snomed.info/sct", "309343006", "Physician")));
            m.setMember(ref("Practitioner", member));
        }
        return ct;
    }

    /**
     * Starts a CareTeam with no participants, status {@code active}: add the consultant, the treatment team and
     * other participants, each with a period (C3).
     */
    public static CareTeamBuilder careTeam(String id, String patientId) {
        return new CareTeamBuilder(id, patientId);
    }

    /** A period between two instants; either may be null (open). */
    public static Period period(Instant start, Instant end) {
        return new Period().setStart(start == null ? null : Date.from(start))
                .setEnd(end == null ? null : Date.from(end));
    }

    public static Appointment conference(String id, String patientId, Instant start, Instant end) {
        Appointment a = new Appointment();
        a.setId(id);
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.addServiceType(new CodeableConcept(new Coding(IPS_SYSTEM, TREATMENT_CONFERENCE, "Treatment conference")));
        a.setStart(Date.from(start));
        a.setEnd(Date.from(end));
        a.addParticipant().setActor(ref("Patient", patientId))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant().setActor(new Reference().setDisplay("Psykiatrisk Center, lokale 2"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return a;
    }

    public static Goal employmentGoal(String id, String patientId, String text) {
        Goal g = new Goal();
        g.setId(id);
        g.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
        g.addCategory(new CodeableConcept(new Coding(IPS_SYSTEM, EMPLOYMENT_GOAL, "Employment goal")));
        g.setDescription(new CodeableConcept().setText(text));
        g.setSubject(ref("Patient", patientId));
        return g;
    }

    public static Condition diagnosis(String id, String patientId, String icd10Code, String display, boolean psy) {
        Condition c = new Condition();
        c.setId(id);
        c.setSubject(ref("Patient", patientId));
        c.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", icd10Code, display)));
        if (psy) {
            c.getMeta().addSecurity(ACT_CODE_SYSTEM, PSY, "psychiatry");
        }
        return c;
    }

    /**
     * A diagnosis with these v3-ActCode security labels, such as {@link IpsContract#PSY} and {@link IpsContract#ETH}
     * (C9), or none.
     */
    public static Condition diagnosis(String id, String patientId, String icd10Code, String display,
            String... actCodes) {
        Condition c = diagnosis(id, patientId, icd10Code, display, false);
        for (String code : actCodes) {
            c.getMeta().addSecurity(ACT_CODE_SYSTEM, code, null);
        }
        return c;
    }

    /**
     * An employment outcome written back from the jobcenter: LOINC 67875-5, the jobcenter event id as identifier,
     * effective on {@code effective}.
     */
    public static Observation employmentOutcome(String id, String patientId, String eventId, LocalDate effective) {
        Observation o = new Observation();
        o.setId(id);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addIdentifier().setSystem(JOBCENTER_EVENT_SYSTEM).setValue(eventId);
        o.setCode(new CodeableConcept(new Coding(LOINC_SYSTEM, LOINC_EMPLOYMENT_STATUS, "Employment status - current")));
        o.setSubject(ref("Patient", patientId));
        o.setEffective(new org.hl7.fhir.r4.model.DateTimeType(date(effective)));
        return o;
    }

    /** {@code resource} with the v3-ActCode security label {@code actCode} (for example {@code PSY}) added. */
    public static <T extends Resource> T labelled(T resource, String actCode) {
        resource.getMeta().addSecurity(ACT_CODE_SYSTEM, actCode, null);
        return resource;
    }

    public static Reference ref(String type, String id) {
        return new Reference(type + "/" + id);
    }

    public static Date date(LocalDate day) {
        return Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static String twoDigits(String id) {
        return String.format("%02d", Math.abs(id.hashCode()) % 100);
    }

    /** Builds a patient's CareTeam participant by participant. */
    public static final class CareTeamBuilder {
        private final CareTeam careTeam = new CareTeam();

        private CareTeamBuilder(String id, String patientId) {
            careTeam.setId(id);
            careTeam.setStatus(CareTeam.CareTeamStatus.ACTIVE);
            careTeam.setSubject(ref("Patient", patientId));
        }

        /** proposed, active, suspended, inactive or entered-in-error; null: none. */
        public CareTeamBuilder status(CareTeam.CareTeamStatus status) {
            if (status == null) {
                careTeam.setStatusElement(null);
            } else {
                careTeam.setStatus(status);
            }
            return this;
        }

        /** The CareTeam's own {@code period}. */
        public CareTeamBuilder period(Period period) {
            careTeam.setPeriod(period);
            return this;
        }

        /**
         * The IPS consultant: {@code member} is {@code Practitioner/..} (with {@code onBehalfOf} the jobcenter
         * Organization) or {@code PractitionerRole/..} (usually without); {@code onBehalfOfOrgId} and {@code period}
         * may be null.
         */
        public CareTeamBuilder consultant(String member, String onBehalfOfOrgId, Period period) {
            CareTeam.CareTeamParticipantComponent c = add(new Coding(IPS_SYSTEM, IPS_CONSULTANT, "IPS consultant"),
                    member, period);
            if (onBehalfOfOrgId != null) {
                c.setOnBehalfOf(ref("Organization", onBehalfOfOrgId));
            }
            return this;
        }

        /** A treatment team member (a physician), {@code Practitioner/<practitionerId>}; {@code period} may be null. */
        public CareTeamBuilder member(String practitionerId, Period period) {
            add(new Coding("http://snomed.info/sct", "309343006", "Physician"), "Practitioner/" + practitionerId,
                    period);
            return this;
        }

        /** Any participant: a role, a member reference ({@code Type/id}) and a period, each may be null. */
        public CareTeamBuilder participant(Coding role, String member, Period period) {
            add(role, member, period);
            return this;
        }

        private CareTeam.CareTeamParticipantComponent add(Coding role, String member, Period period) {
            CareTeam.CareTeamParticipantComponent p = careTeam.addParticipant();
            if (role != null) {
                p.addRole(new CodeableConcept(role));
            }
            if (member != null) {
                p.setMember(new Reference(member));
            }
            if (period != null) {
                p.setPeriod(period.copy());
            }
            return p;
        }

        public CareTeam build() {
            return careTeam;
        }
    }

    /**
     * Builds an IPS data-sharing Consent as the EHR records it. By default the root provision is a permit; without
     * {@link #recipient} it names no IRCP actor (C5: it permits nobody, and as a deny it denies every recipient);
     * {@link #givenAt} may lie in the future (C6: more than 5 minutes ahead makes it invalid).
     */
    public static final class ConsentBuilder {
        private final Consent consent = new Consent();
        private final List<String> recipients = new ArrayList<>();
        private final List<String> categories = new ArrayList<>();
        private final List<String> denied = new ArrayList<>();
        private final List<String> actions = new ArrayList<>(List.of(DISCLOSE));
        private final List<String> securityLabels = new ArrayList<>();
        private final List<String> resourceClasses = new ArrayList<>();
        private final List<List<String>> labelledPermits = new ArrayList<>();
        private final List<String[]> otherActors = new ArrayList<>();
        private final List<NestedDeny> nestedDenies = new ArrayList<>();
        private Consent.ConsentProvisionType rootType = Consent.ConsentProvisionType.PERMIT;
        private Period period;
        private Period dataPeriod;

        /** A nested deny with an IRCP actor or a security label (or both, or neither) and categories. */
        private record NestedDeny(String recipient, String actCode, List<String> codes) {
        }

        private ConsentBuilder(String id, String patientId) {
            consent.setId(id);
            consent.setStatus(Consent.ConsentState.ACTIVE);
            consent.setScope(new CodeableConcept(new Coding(CONSENT_SCOPE_SYSTEM, PATIENT_PRIVACY, null)));
            consent.addCategory(new CodeableConcept(new Coding(LOINC_SYSTEM, LOINC_PRIVACY_CONSENT, null)));
            consent.addCategory(new CodeableConcept(new Coding(IPS_SYSTEM, IPS_DATA_SHARING, null)));
            consent.setPatient(ref("Patient", patientId));
            consent.addPolicy().setUri("http://ipsbridge.dk/fhir/policy/ips");
            consent.setPolicyRule(new CodeableConcept(new Coding(ACT_CODE_SYSTEM, OPTIN, null)));
        }

        public ConsentBuilder status(Consent.ConsentState status) {
            consent.setStatus(status);
            return this;
        }

        public ConsentBuilder givenAt(Instant dateTime) {
            consent.setDateTime(Date.from(dateTime));
            return this;
        }

        /** An information recipient: {@code Organization/..}, {@code Practitioner/..} or {@code PractitionerRole/..}. */
        public ConsentBuilder recipient(String reference) {
            recipients.add(reference);
            return this;
        }

        public ConsentBuilder categories(String... codes) {
            categories.addAll(List.of(codes));
            return this;
        }

        public ConsentBuilder deny(String... codes) {
            denied.addAll(List.of(codes));
            return this;
        }

        /**
         * The root provision's {@code type}: {@code permit} (the default) or {@code deny} (a deny consent: with
         * {@link #categories} it denies those, without it everything; without {@link #recipient} to every recipient,
         * C5); null leaves it out (C10: the consent is unreadable).
         */
        public ConsentBuilder rootType(Consent.ConsentProvisionType type) {
            rootType = type;
            return this;
        }

        /** A nested deny of these categories (none: everything) that names {@code recipient} as IRCP actor. */
        public ConsentBuilder denyFor(String recipient, String... codes) {
            nestedDenies.add(new NestedDeny(recipient, null, List.of(codes)));
            return this;
        }

        /**
         * A nested deny with {@code securityLabel} {@code actCode} ({@link IpsContract#PSY} or
         * {@link IpsContract#ETH}, C9): it removes the resources carrying that label, of these categories or of all.
         */
        public ConsentBuilder denyLabelled(String actCode, String... codes) {
            nestedDenies.add(new NestedDeny(null, actCode, List.of(codes)));
            return this;
        }

        /**
         * A root actor with another v3-ParticipationType {@code role} than IRCP (for example {@code CST}, custodian):
         * it names no recipient.
         */
        public ConsentBuilder actor(String participationType, String reference) {
            otherActors.add(new String[] {participationType, reference});
            return this;
        }

        public ConsentBuilder actions(String... codes) {
            actions.clear();
            actions.addAll(List.of(codes));
            return this;
        }

        public ConsentBuilder period(Instant start, Instant end) {
            period = new Period().setStart(start == null ? null : Date.from(start))
                    .setEnd(end == null ? null : Date.from(end));
            return this;
        }

        /** Root {@code securityLabel}s, v3-ActCode codes such as {@code PSY}: the root then covers only such data. */
        public ConsentBuilder securityLabels(String... actCodes) {
            securityLabels.addAll(List.of(actCodes));
            return this;
        }

        /** Root {@code class}: FHIR resource types ({@code Condition}, {@code Goal}, ...) the root is limited to. */
        public ConsentBuilder resourceClasses(String... resourceTypes) {
            resourceClasses.addAll(List.of(resourceTypes));
            return this;
        }

        /** Root {@code dataPeriod}: only data from this time is covered; either end may be null (open). */
        public ConsentBuilder dataPeriod(Instant start, Instant end) {
            dataPeriod = new Period().setStart(start == null ? null : Date.from(start))
                    .setEnd(end == null ? null : Date.from(end));
            return this;
        }

        /**
         * A nested permit of these categories for content labelled {@code actCode} (for example {@code PSY}), which
         * the root alone does not let go.
         */
        public ConsentBuilder labelledPermit(String actCode, String... codes) {
            List<String> entry = new ArrayList<>(List.of(actCode));
            entry.addAll(List.of(codes));
            labelledPermits.add(entry);
            return this;
        }

        public Consent build() {
            Consent.ProvisionComponent root = consent.getProvision();
            if (rootType != null) {
                root.setType(rootType);
            }
            if (period != null) {
                root.setPeriod(period);
            }
            for (String r : recipients) {
                root.addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION_TYPE_SYSTEM, INFORMATION_RECIPIENT,
                        null))).setReference(new Reference(r));
            }
            for (String[] actor : otherActors) {
                root.addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION_TYPE_SYSTEM, actor[0], null)))
                        .setReference(new Reference(actor[1]));
            }
            for (String a : actions) {
                root.addAction(new CodeableConcept(new Coding(CONSENT_ACTION_SYSTEM, a, null)));
            }
            root.addPurpose(new Coding(IPS_SYSTEM, IPS_EMPLOYMENT_SUPPORT, null));
            for (String c : categories) {
                root.addCode(new CodeableConcept(new Coding(CATEGORY_SYSTEM, c, null)));
            }
            for (String label : securityLabels) {
                root.addSecurityLabel(new Coding(ACT_CODE_SYSTEM, label, null));
            }
            for (String type : resourceClasses) {
                root.addClass_(new Coding("http://hl7.org/fhir/resource-types", type, null));
            }
            if (dataPeriod != null) {
                root.setDataPeriod(dataPeriod);
            }
            for (List<String> entry : labelledPermits) {
                Consent.ProvisionComponent permit = root.addProvision();
                permit.setType(Consent.ConsentProvisionType.PERMIT);
                permit.addSecurityLabel(new Coding(ACT_CODE_SYSTEM, entry.get(0), null));
                for (String c : entry.subList(1, entry.size())) {
                    permit.addCode(new CodeableConcept(new Coding(CATEGORY_SYSTEM, c, null)));
                }
            }
            if (!denied.isEmpty()) {
                Consent.ProvisionComponent deny = root.addProvision();
                deny.setType(Consent.ConsentProvisionType.DENY);
                for (String c : denied) {
                    deny.addCode(new CodeableConcept(new Coding(CATEGORY_SYSTEM, c, null)));
                }
            }
            for (NestedDeny nested : nestedDenies) {
                Consent.ProvisionComponent deny = root.addProvision();
                deny.setType(Consent.ConsentProvisionType.DENY);
                if (nested.recipient() != null) {
                    deny.addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION_TYPE_SYSTEM,
                            INFORMATION_RECIPIENT, null))).setReference(new Reference(nested.recipient()));
                }
                if (nested.actCode() != null) {
                    deny.addSecurityLabel(new Coding(ACT_CODE_SYSTEM, nested.actCode(), null));
                }
                for (String c : nested.codes()) {
                    deny.addCode(new CodeableConcept(new Coding(CATEGORY_SYSTEM, c, null)));
                }
            }
            return consent;
        }
    }
}
