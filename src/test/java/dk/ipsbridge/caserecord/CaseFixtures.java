package dk.ipsbridge.caserecord;

import static dk.ipsbridge.testkit.fhir.IpsFixtures.ref;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dk.ipsbridge.consent.ConsentGate;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.DataPolicy;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A rich IPS course for one patient, with every category filled: contact details, a referral by a PractitionerRole,
 * a CareTeam with the consultant and two members, two conferences (one cancelled), a goal and two diagnoses.
 */
final class CaseFixtures {

    static final String CPR = "0101901234";
    static final String CONSULTANT = "Practitioner/pr-cons";
    static final Instant CONFERENCE_START = Instant.parse("2026-03-02T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    static final Instant GIVEN = Instant.parse("2026-01-05T09:00:00Z");
    static final String JOBCENTER_CVR = "55133018";

    private CaseFixtures() {
    }

    static Patient patient() {
        Patient p = IpsFixtures.patient("p1", CPR, "Anna", "Jensen");
        p.getNameFirstRep().addGiven("Marie");
        p.getTelecom().get(0).setValue("+45 20 11 22 33");
        p.getAddressFirstRep().getLine().clear();
        p.getAddressFirstRep().addLine("Testvej 12").addLine("2. tv");
        return p;
    }

    static Practitioner practitioner(String id, String given, String family, String phone) {
        Practitioner p = IpsFixtures.practitioner(id, given, family);
        p.getTelecomFirstRep().setValue(phone);
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(id + "@rm.example.invalid");
        return p;
    }

    static Map<String, Resource> references() {
        Map<String, Resource> refs = new HashMap<>();
        put(refs, IpsFixtures.organization("org-psyk", IpsCodes.SOR_SYSTEM, "6001234", "Psykiatrisk Center Aarhus"));
        put(refs, IpsFixtures.organization("jc-aarhus", IpsCodes.CVR_SYSTEM, JOBCENTER_CVR, "Jobcenter Aarhus"));
        put(refs, practitioner("pr-cons", "Kim", "Konsulent", "+45 30 00 00 01"));
        put(refs, practitioner("pr-doc", "Lene", "Læge", "+45 30 00 00 02"));
        put(refs, practitioner("pr-nurse", "Ole", "Olsen", "+45 30 00 00 03"));
        put(refs, IpsFixtures.practitionerRole("role-doc", "pr-doc", "org-psyk"));
        return refs;
    }

    static void put(Map<String, Resource> refs, Resource r) {
        refs.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
    }

    static ServiceRequest referral() {
        ServiceRequest sr = IpsFixtures.referral("sr1", "p1", "org-psyk", "jc-aarhus", LocalDate.of(2026, 1, 5),
                ServiceRequest.ServiceRequestStatus.ACTIVE);
        sr.setRequester(ref("PractitionerRole", "role-doc"));
        return sr;
    }

    static EpisodeOfCare episode() {
        return IpsFixtures.episode("eoc1", "p1", "org-psyk", LocalDate.of(2026, 1, 3),
                EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
    }

    static CareTeam careTeam() {
        CareTeam team = IpsFixtures.careTeam("ct1", "p1", CONSULTANT, "jc-aarhus", null, "pr-doc", "pr-nurse");
        // the nurse's role is coded without a display
        team.getParticipant().get(2).getRole().set(0,
                new CodeableConcept(new Coding("http://snomed.info/sct", "224535009", null)));
        return team;
    }

    static List<Appointment> conferences() {
        Appointment booked = IpsFixtures.conference("ap1", "p1", CONFERENCE_START,
                CONFERENCE_START.plusSeconds(3600));
        Appointment cancelled = IpsFixtures.conference("ap2", "p1", Instant.parse("2026-02-02T09:00:00Z"),
                Instant.parse("2026-02-02T10:00:00Z"));
        cancelled.setStatus(Appointment.AppointmentStatus.CANCELLED);
        return List.of(booked, cancelled);
    }

    static Goal goal() {
        return IpsFixtures.employmentGoal("g1", "p1", "Job som pædagogmedhjælper, 15 timer om ugen");
    }

    static List<Condition> conditions() {
        return List.of(IpsFixtures.diagnosis("c1", "p1", "F20.0", "Paranoid skizofreni", true),
                IpsFixtures.diagnosis("c2", "p1", "F32.1", "Moderat depressiv enkeltepisode", true));
    }

    /** The rich snapshot; conditions included whatever the categories, to prove the translator gates them too. */
    static PatientSnapshot rich() {
        return new PatientSnapshot("ehr-rm", patient(), List.of(), List.of(referral()), List.of(episode()),
                List.of(careTeam()), conferences(), List.of(goal()), conditions(), references());
    }

    /** A snapshot of just a patient and these references, to which tests add what they need. */
    static Builder snapshot() {
        return new Builder();
    }

    static GateDecision.ConsentBasis consent() {
        return new GateDecision.ConsentBasis("consent-1", "3", LocalDate.of(2026, 1, 5), LocalDate.of(2027, 1, 5));
    }

    /**
     * A share of {@code categories} whose policy lets PSY-labelled content of them go, as the gate reads it from a
     * consent with a PSY permit: the diagnoses here are PSY-labelled.
     */
    static GateDecision.Share share(Set<DataCategory> categories, String consultant) {
        return new GateDecision.Share("jc-aarhus", consent(), categories, consultant, Map.of(),
                psyPermitted(categories), NOW, false);
    }

    /** The data policy the gate reads from a consent that permits {@code categories}, PSY-labelled content too. */
    static DataPolicy psyPermitted(Set<DataCategory> categories) {
        String[] codes = categories.stream().map(DataCategory::code).toArray(String[]::new);
        return gateShare(rich(), consentTo().categories(codes).labelledPermit(IpsCodes.PSY, codes).build()).policy();
    }

    /** An IPS consent given at {@link #GIVEN} to Jobcenter Aarhus, to which a test adds categories and rules. */
    static IpsFixtures.ConsentBuilder consentTo() {
        return IpsFixtures.consent("consent-1", "p1").givenAt(GIVEN).recipient("Organization/jc-aarhus");
    }

    /** What the real gate shares with Jobcenter Aarhus at {@link #NOW} when {@code consent} is the patient's. */
    static GateDecision.Share gateShare(PatientSnapshot snapshot, Consent consent) {
        PatientSnapshot withConsent = new PatientSnapshot(snapshot.sourceId(), snapshot.patient(), List.of(consent),
                snapshot.referrals(), snapshot.episodes(), snapshot.careTeams(), snapshot.appointments(),
                snapshot.goals(), snapshot.conditions(), snapshot.references());
        ConsentGate gate = new ConsentGate((system, value) -> IpsCodes.CVR_SYSTEM.equals(system)
                && JOBCENTER_CVR.equals(value) ? Optional.of("jc-aarhus") : Optional.empty(), Period.ofMonths(12));
        List<GateDecision> decisions = gate.decide(withConsent, NOW);
        if (decisions.size() != 1 || !(decisions.get(0) instanceof GateDecision.Share share)) {
            throw new AssertionError("the fixture consent must share: " + decisions);
        }
        return share;
    }

    static GateDecision.Share shareAll() {
        return share(EnumSet.allOf(DataCategory.class), CONSULTANT);
    }

    static final class Builder {
        private Patient patient = CaseFixtures.patient();
        private final List<ServiceRequest> referrals = new ArrayList<>();
        private final List<EpisodeOfCare> episodes = new ArrayList<>();
        private final List<CareTeam> careTeams = new ArrayList<>();
        private final List<Appointment> appointments = new ArrayList<>();
        private final List<Goal> goals = new ArrayList<>();
        private final List<Condition> conditions = new ArrayList<>();
        private final Map<String, Resource> refs = references();

        Builder patient(Patient p) {
            patient = p;
            return this;
        }

        Builder referral(ServiceRequest sr) {
            referrals.add(sr);
            return this;
        }

        Builder episode(EpisodeOfCare e) {
            episodes.add(e);
            return this;
        }

        Builder careTeam(CareTeam t) {
            careTeams.add(t);
            return this;
        }

        Builder appointment(Appointment a) {
            appointments.add(a);
            return this;
        }

        Builder goal(Goal g) {
            goals.add(g);
            return this;
        }

        Builder condition(Condition c) {
            conditions.add(c);
            return this;
        }

        Builder reference(Resource r) {
            put(refs, r);
            return this;
        }

        Builder without(String key) {
            refs.remove(key);
            return this;
        }

        PatientSnapshot build() {
            return new PatientSnapshot("ehr-rm", patient, List.of(), referrals, episodes, careTeams, appointments,
                    goals, conditions, refs);
        }
    }
}
