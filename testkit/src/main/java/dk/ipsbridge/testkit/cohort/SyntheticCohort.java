package dk.ipsbridge.testkit.cohort;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import dk.ipsbridge.testkit.fhir.IpsContract;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A synthetic cohort of IPS patients for the demo and the tests: every consent situation of the EHR contract, with
 * the expected outcome per patient written by hand per scenario.
 *
 * <p>Everything is fictitious: names are made up ({@code Testesen}, {@code Prøvesen}, ...), CPR numbers have valid
 * birth dates and serial numbers {@code 9001}-{@code 9099}, organisation numbers are invented. The cohort is a pure
 * function of {@code now}: the same instant gives the same resources, byte for byte.
 *
 * <p>Two jobcenters are configured (A: Aarhus by SOR, B: Randers by CVR) and one is not (Ukendt, by CVR). Consultant
 * A is a {@code Practitioner} acting on behalf of Jobcenter Aarhus; consultant B is known through a
 * {@code PractitionerRole} at Jobcenter Randers.
 */
public final class SyntheticCohort {

    // ---- jobcenters ----
    /** The adapter's configured id of jobcenter A. */
    public static final String JOBCENTER_A_ID = "jobcenter-a";
    public static final String JOBCENTER_A_NAME = "Jobcenter Aarhus";
    public static final String JOBCENTER_A_ORGANIZATION = "jc-aarhus";
    public static final String JOBCENTER_A_SYSTEM = IpsContract.SOR_SYSTEM;
    public static final String JOBCENTER_A_VALUE = "1234561000016002";
    /** {@code system|value}, as configured for jobcenter A. */
    public static final String JOBCENTER_A_IDENTIFIER = JOBCENTER_A_SYSTEM + "|" + JOBCENTER_A_VALUE;

    /** The adapter's configured id of jobcenter B. */
    public static final String JOBCENTER_B_ID = "jobcenter-b";
    public static final String JOBCENTER_B_NAME = "Jobcenter Randers";
    public static final String JOBCENTER_B_ORGANIZATION = "jc-randers";
    public static final String JOBCENTER_B_SYSTEM = IpsContract.CVR_SYSTEM;
    public static final String JOBCENTER_B_VALUE = "29189900";
    public static final String JOBCENTER_B_IDENTIFIER = JOBCENTER_B_SYSTEM + "|" + JOBCENTER_B_VALUE;

    /** A jobcenter no configuration knows. */
    public static final String UNCONFIGURED_NAME = "Jobcenter Ukendt";
    public static final String UNCONFIGURED_ORGANIZATION = "jc-ukendt";
    public static final String UNCONFIGURED_SYSTEM = IpsContract.CVR_SYSTEM;
    public static final String UNCONFIGURED_VALUE = "11112222";
    public static final String UNCONFIGURED_IDENTIFIER = UNCONFIGURED_SYSTEM + "|" + UNCONFIGURED_VALUE;

    // ---- the region's side ----
    public static final String REGION = "DK-82";
    public static final String TREATING_UNIT_ORGANIZATION = "psy-aarhus";
    public static final String TREATING_UNIT_SOR = "999991000016001";
    public static final String TREATING_UNIT_NAME = "Psykiatrisk Afdeling Testby (syntetisk)";
    /** Consultant of jobcenter A: a Practitioner, on behalf of Jobcenter Aarhus in the CareTeam. */
    public static final String CONSULTANT_A_PRACTITIONER = "ips-consultant-a";
    /** Consultant of jobcenter B: a Practitioner, referenced through {@link #CONSULTANT_B_ROLE}. */
    public static final String CONSULTANT_B_PRACTITIONER = "ips-consultant-b";
    public static final String CONSULTANT_B_ROLE = "ips-consultant-b-role";
    /** Consultant of the unconfigured jobcenter. */
    public static final String CONSULTANT_UNCONFIGURED_PRACTITIONER = "ips-consultant-x";
    public static final List<String> TREATMENT_TEAM = List.of("psychiatrist-1", "nurse-1", "psychologist-1");

    // ---- scenarios ----
    public static final String SHARED_WITH_A = "shared-with-a";
    public static final String SHARED_WITH_B = "shared-with-b";
    public static final String NO_CONSENT = "no-consent";
    public static final String WITHDRAWN = "withdrawn";
    public static final String LAPSED = "lapsed";
    public static final String PERIOD_ENDED = "period-ended";
    public static final String DIAGNOSIS_DENIED = "diagnosis-denied";
    public static final String DIAGNOSIS_PERMITTED = "diagnosis-permitted";
    public static final String REPLACEMENT_CPR_ONLY = "replacement-cpr-only";
    public static final String NO_CONSULTANT = "no-consultant-in-care-team";
    public static final String UNKNOWN_RECIPIENT = "unknown-recipient";
    public static final String REJECTED = "rejected";
    public static final String REFERRAL_REVOKED = "referral-revoked";
    public static final String INVALID_CPR = "invalid-cpr";
    public static final String DRAFT = "draft";

    private static final String REPLACEMENT_SYSTEM = "urn:oid:1.2.208.176.1.6.1.1";
    private static final List<String> GIVEN = List.of("Anna", "Bo", "Clara", "Dennis", "Emma", "Frederik", "Gry",
            "Hans", "Ida", "Jonas", "Karen", "Lars", "Maja", "Niels", "Olivia", "Peter", "Rikke", "Søren", "Tove",
            "Ulrik", "Vera", "William", "Yasmin");
    private static final List<String> FAMILY = List.of("Testesen", "Prøvesen", "Eksempelsen", "Demosen", "Fiktivsen",
            "Opdigtsen", "Modelsen", "Skabelonsen", "Dummysen", "Syntesen", "Attrapsen");
    private static final List<String[]> DIAGNOSES = List.of(
            new String[] {"F20.0", "Paranoid skizofreni"},
            new String[] {"F32.1", "Moderat depressiv enkeltepisode"},
            new String[] {"F41.1", "Generaliseret angst"},
            new String[] {"F31.3", "Bipolar affektiv sindslidelse, let eller moderat depression"},
            new String[] {"F60.3", "Emotionelt ustabil personlighedsstruktur"});
    private static final List<String> GOALS = List.of("Job som lagermedarbejder, 15 timer om ugen",
            "Ordinært job i detailhandlen", "Påbegynde uddannelse som tømrer", "Job i en børnehave, deltid",
            "Fleksjob på et værksted", "Job som buschauffør");

    private final Instant now;
    private final LocalDate today;
    private final List<Resource> common = new ArrayList<>();
    private final List<CohortPatient> patients = new ArrayList<>();
    private final Map<String, List<Resource>> byPatient = new LinkedHashMap<>();
    private int sequence;

    private SyntheticCohort(Instant now) {
        this.now = Objects.requireNonNull(now, "now");
        this.today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        addCommonResources();
        sharedWithA();
        sharedWithB();
        noConsent();
        withdrawn();
        lapsed();
        periodEnded();
        diagnosisDenied();
        diagnosisPermitted();
        replacementCprOnly();
        noConsultantInCareTeam();
        unknownRecipient();
        rejected();
        referralRevoked();
        invalidCpr();
        draft();
    }

    /** The cohort as of {@code now}: consents, referrals and appointments are dated relative to it. */
    public static SyntheticCohort create(Instant now) {
        return new SyntheticCohort(now);
    }

    public Instant now() {
        return now;
    }

    /** Every patient with the expected outcome, in id order. */
    public List<CohortPatient> patients() {
        return Collections.unmodifiableList(patients);
    }

    public Optional<CohortPatient> patient(String patientId) {
        return patients.stream().filter(p -> p.patientId().equals(patientId)).findFirst();
    }

    public List<CohortPatient> patientsIn(String scenario) {
        return patients.stream().filter(p -> p.scenario().equals(scenario)).toList();
    }

    /** Every FHIR resource: organisations and practitioners first, then each patient's course. */
    public List<Resource> resources() {
        List<Resource> all = new ArrayList<>(common);
        byPatient.values().forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    /** The resources of one patient's course (the Patient first). */
    public List<Resource> resourcesOf(String patientId) {
        return Collections.unmodifiableList(byPatient.getOrDefault(patientId, List.of()));
    }

    /** Stores every resource in {@code ehr}. */
    public void loadInto(MockEhr ehr) {
        ehr.store(resources());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void addCommonResources() {
        common.add(IpsFixtures.organization(JOBCENTER_A_ORGANIZATION, JOBCENTER_A_SYSTEM, JOBCENTER_A_VALUE,
                JOBCENTER_A_NAME));
        common.add(IpsFixtures.organization(JOBCENTER_B_ORGANIZATION, JOBCENTER_B_SYSTEM, JOBCENTER_B_VALUE,
                JOBCENTER_B_NAME));
        common.add(IpsFixtures.organization(UNCONFIGURED_ORGANIZATION, UNCONFIGURED_SYSTEM, UNCONFIGURED_VALUE,
                UNCONFIGURED_NAME));
        common.add(IpsFixtures.organization(TREATING_UNIT_ORGANIZATION, IpsContract.SOR_SYSTEM, TREATING_UNIT_SOR,
                TREATING_UNIT_NAME));
        common.add(IpsFixtures.practitioner(CONSULTANT_A_PRACTITIONER, "Mette", "Konsulentsen"));
        common.add(IpsFixtures.practitioner(CONSULTANT_B_PRACTITIONER, "Kasper", "Vejledersen"));
        common.add(IpsFixtures.practitionerRole(CONSULTANT_B_ROLE, CONSULTANT_B_PRACTITIONER, JOBCENTER_B_ORGANIZATION));
        common.add(IpsFixtures.practitioner(CONSULTANT_UNCONFIGURED_PRACTITIONER, "Ukendt", "Konsulent"));
        common.add(IpsFixtures.practitioner(TREATMENT_TEAM.get(0), "Birgitte", "Overlægesen"));
        common.add(IpsFixtures.practitioner(TREATMENT_TEAM.get(1), "Torben", "Sygeplejersen"));
        common.add(IpsFixtures.practitioner(TREATMENT_TEAM.get(2), "Lene", "Psykologsen"));
    }

    /** Twenty variants: category sets, consultant named or not, referral as ServiceRequest or EpisodeOfCare. */
    private void sharedWithA() {
        List<List<String>> categorySets = List.of(
                List.of("contact", "referral"),
                List.of("contact", "referral", "care-team"),
                List.of("contact", "referral", "care-team", "conferences"),
                List.of("contact", "referral", "care-team", "conferences", "employment-goal"),
                List.of("referral"),
                List.of("contact"),
                List.of("conferences", "employment-goal"),
                List.of("contact", "referral", "care-team", "conferences", "employment-goal", "outcomes"),
                List.of("care-team"),
                List.of("contact", "employment-goal"));
        for (int i = 0; i < 20; i++) {
            Course c = course(SHARED_WITH_A);
            List<String> categories = categorySets.get(i % categorySets.size());
            boolean episodeOnly = i == 4 || i == 11 || i == 17;
            if (episodeOnly) {
                c.episode(JOBCENTER_A_ORGANIZATION, EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
            } else {
                c.referral(JOBCENTER_A_ORGANIZATION, ServiceRequest.ServiceRequestStatus.ACTIVE);
                if (i == 8) {
                    c.episode(JOBCENTER_A_ORGANIZATION, EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
                }
            }
            c.careTeam("Practitioner/" + CONSULTANT_A_PRACTITIONER, JOBCENTER_A_ORGANIZATION);
            c.conferences();
            c.goal();
            if (i % 2 == 0) {
                c.diagnosis(i % 4 == 0);
            }
            Instant givenAt = daysAgo(10 + 9 * i);
            boolean namesConsultant = i % 3 == 1;
            boolean collect = categories.contains("outcomes");
            int periodVariant = i % 3;
            if (i == 13) {
                // an older, withdrawn consent: the newer active one decides
                c.consent("-old", b -> b.status(Consent.ConsentState.INACTIVE).recipient(orgA())
                        .categories("contact").givenAt(daysAgo(300)).period(daysAgo(300), null));
            }
            c.consent("", b -> {
                b.recipient(orgA()).categories(categories.toArray(String[]::new)).givenAt(givenAt);
                if (namesConsultant) {
                    b.recipient("Practitioner/" + CONSULTANT_A_PRACTITIONER);
                }
                if (collect) {
                    b.actions(IpsContract.DISCLOSE, IpsContract.COLLECT);
                }
                // some consents run to their one-year lapse, some carry an explicit shorter period, some none
                if (periodVariant == 0) {
                    b.period(givenAt, givenAt.plus(Duration.ofDays(365)));
                } else if (periodVariant == 1) {
                    b.period(givenAt, givenAt.plus(Duration.ofDays(300)));
                }
                return b;
            });
            c.shared(JOBCENTER_A_ID, categories);
        }
    }

    private void sharedWithB() {
        List<List<String>> categorySets = List.of(
                List.of("contact", "referral", "care-team", "conferences", "employment-goal"),
                List.of("contact", "referral"),
                List.of("referral", "care-team"),
                List.of("contact", "conferences"));
        for (int i = 0; i < 8; i++) {
            Course c = course(SHARED_WITH_B);
            c.livesInRanders();
            List<String> categories = categorySets.get(i % categorySets.size());
            c.referral(JOBCENTER_B_ORGANIZATION, ServiceRequest.ServiceRequestStatus.ACTIVE);
            c.careTeam("PractitionerRole/" + CONSULTANT_B_ROLE, JOBCENTER_B_ORGANIZATION);
            c.conferences();
            c.goal();
            if (i % 2 == 1) {
                c.diagnosis(true);
            }
            Instant givenAt = daysAgo(20 + 11 * i);
            boolean namesConsultant = i % 2 == 0;
            c.consent("", b -> {
                b.recipient(orgB()).categories(categories.toArray(String[]::new)).givenAt(givenAt)
                        .period(givenAt, givenAt.plus(Duration.ofDays(365)));
                if (namesConsultant) {
                    b.recipient("PractitionerRole/" + CONSULTANT_B_ROLE);
                }
                return b;
            });
            c.shared(JOBCENTER_B_ID, categories);
        }
    }

    /** No IPS consent at all; the referral varies (ServiceRequest, EpisodeOfCare, none). */
    private void noConsent() {
        for (int i = 0; i < 4; i++) {
            Course c = course(NO_CONSENT);
            switch (i) {
                case 0, 1 -> c.referral(JOBCENTER_A_ORGANIZATION, ServiceRequest.ServiceRequestStatus.ACTIVE);
                case 2 -> c.episode(JOBCENTER_A_ORGANIZATION, EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
                default -> {
                    // a patient the EHR knows, not (yet) referred
                }
            }
            if (i < 2) {
                c.careTeam("Practitioner/" + CONSULTANT_A_PRACTITIONER, JOBCENTER_A_ORGANIZATION);
                c.goal();
            }
            c.held("no-consent");
        }
    }

    /** Status inactive; one of them as a newer inactive Consent after an older active one. */
    private void withdrawn() {
        for (int i = 0; i < 3; i++) {
            Course c = course(WITHDRAWN);
            c.standardCourseA();
            if (i == 2) {
                c.consent("-old", b -> b.recipient(orgA()).categories("contact", "referral").givenAt(daysAgo(120)));
                c.consent("", b -> b.status(Consent.ConsentState.INACTIVE).recipient(orgA())
                        .categories("contact", "referral").givenAt(daysAgo(5)));
            } else {
                Instant givenAt = daysAgo(60 + 30 * i);
                c.consent("", b -> b.status(Consent.ConsentState.INACTIVE).recipient(orgA())
                        .categories("contact", "referral", "care-team").givenAt(givenAt));
            }
            c.held("consent-withdrawn");
        }
    }

    /** Given 13 months ago; the period (too long for Danish law) still runs. */
    private void lapsed() {
        for (int i = 0; i < 3; i++) {
            Course c = course(LAPSED);
            c.standardCourseA();
            Instant givenAt = now.atZone(ZoneOffset.UTC).minusMonths(13).minusDays(i).toInstant();
            Instant periodEnd = now.atZone(ZoneOffset.UTC).plusMonths(11).toInstant();
            c.consent("", b -> b.recipient(orgA()).categories("contact", "referral").givenAt(givenAt)
                    .period(givenAt, periodEnd));
            c.held("consent-lapsed");
        }
    }

    /** Given half a year ago with a period that ended days ago. */
    private void periodEnded() {
        for (int i = 0; i < 2; i++) {
            Course c = course(PERIOD_ENDED);
            c.standardCourseA();
            Instant givenAt = daysAgo(180 + 10 * i);
            Instant ended = daysAgo(10 + i);
            c.consent("", b -> b.recipient(orgA()).categories("contact", "referral", "conferences").givenAt(givenAt)
                    .period(givenAt, ended));
            c.held("consent-expired");
        }
    }

    /** A nested deny of {@code diagnosis}; twice under a root that permits it, once under one that does not. */
    private void diagnosisDenied() {
        for (int i = 0; i < 3; i++) {
            Course c = course(DIAGNOSIS_DENIED);
            c.standardCourseA();
            c.diagnosis(true);
            c.diagnosis(i == 0);
            boolean rootPermitsDiagnosis = i < 2;
            Instant givenAt = daysAgo(30 + 7 * i);
            c.consent("", b -> {
                b.recipient(orgA()).categories("contact", "referral", "care-team").deny("diagnosis")
                        .givenAt(givenAt);
                if (rootPermitsDiagnosis) {
                    b.categories("diagnosis");
                }
                return b;
            });
            c.shared(JOBCENTER_A_ID, List.of("contact", "referral", "care-team"));
        }
    }

    /** {@code diagnosis} explicitly permitted; Conditions with and without the PSY label. */
    private void diagnosisPermitted() {
        for (int i = 0; i < 3; i++) {
            Course c = course(DIAGNOSIS_PERMITTED);
            c.standardCourseA();
            c.diagnosis(true);
            if (i != 1) {
                c.diagnosis(false);
            }
            List<String> categories = i == 2 ? List.of("diagnosis") : List.of("contact", "referral", "diagnosis");
            Instant givenAt = daysAgo(40 + 5 * i);
            // PSY-labelled diagnoses need a permit that carries PSY; the third consent has none, so only the
            // unlabelled diagnosis goes
            boolean psy = i != 2;
            c.consent("", b -> {
                b.recipient(orgA()).categories(categories.toArray(String[]::new)).givenAt(givenAt);
                return psy ? b.labelledPermit(IpsContract.PSY, "diagnosis") : b;
            });
            c.shared(JOBCENTER_A_ID, categories);
        }
    }

    /** Known only by an X-eCPR replacement number. */
    private void replacementCprOnly() {
        for (int i = 0; i < 2; i++) {
            Course c = course(REPLACEMENT_CPR_ONLY);
            String ecpr = String.format("%02d%02d%02d%s", 3 + i, 4 + i, 88 + i, i == 0 ? "XK91" : "XM27");
            c.replacePatient(IpsFixtures.patientWithReplacementNumber(c.patientId, ecpr, c.given, c.family), ecpr);
            c.standardCourseA();
            Instant givenAt = daysAgo(25 + i);
            c.consent("", b -> b.recipient(orgA()).categories("contact", "referral").givenAt(givenAt));
            c.held("no-cpr");
        }
    }

    /** The consent names consultant A, but the CareTeam has no IPS consultant (or there is no CareTeam). */
    private void noConsultantInCareTeam() {
        for (int i = 0; i < 2; i++) {
            Course c = course(NO_CONSULTANT);
            c.referral(JOBCENTER_A_ORGANIZATION, ServiceRequest.ServiceRequestStatus.ACTIVE);
            if (i == 0) {
                c.careTeam(null, null);
            }
            c.goal();
            Instant givenAt = daysAgo(15 + i);
            c.consent("", b -> b.recipient(orgA()).recipient("Practitioner/" + CONSULTANT_A_PRACTITIONER)
                    .categories("contact", "referral", "employment-goal").givenAt(givenAt));
            c.held("recipient-not-in-care-team");
        }
    }

    private void unknownRecipient() {
        Course c = course(UNKNOWN_RECIPIENT);
        c.referral(UNCONFIGURED_ORGANIZATION, ServiceRequest.ServiceRequestStatus.ACTIVE);
        c.careTeam("Practitioner/" + CONSULTANT_UNCONFIGURED_PRACTITIONER, UNCONFIGURED_ORGANIZATION);
        c.consent("", b -> b.recipient("Organization/" + UNCONFIGURED_ORGANIZATION).categories("contact", "referral")
                .givenAt(daysAgo(12)));
        c.held("unknown-recipient");
    }

    private void rejected() {
        Course c = course(REJECTED);
        c.standardCourseA();
        c.consent("", b -> b.status(Consent.ConsentState.REJECTED).recipient(orgA()).categories("contact", "referral")
                .givenAt(daysAgo(8)));
        c.held("consent-rejected");
    }

    private void referralRevoked() {
        Course c = course(REFERRAL_REVOKED);
        c.referral(JOBCENTER_A_ORGANIZATION, ServiceRequest.ServiceRequestStatus.REVOKED);
        c.careTeam("Practitioner/" + CONSULTANT_A_PRACTITIONER, JOBCENTER_A_ORGANIZATION);
        c.consent("", b -> b.recipient(orgA()).categories("contact", "referral").givenAt(daysAgo(50)));
        c.held("referral-ended");
    }

    /** A CPR whose day is 32. */
    private void invalidCpr() {
        Course c = course(INVALID_CPR);
        String invalid = "3201" + c.cpr.substring(4);
        c.replacePatient(IpsFixtures.patient(c.patientId, invalid, c.given, c.family), invalid);
        c.standardCourseA();
        c.consent("", b -> b.recipient(orgA()).categories("contact", "referral").givenAt(daysAgo(18)));
        c.held("invalid-cpr");
    }

    private void draft() {
        Course c = course(DRAFT);
        c.standardCourseA();
        c.consent("", b -> b.status(Consent.ConsentState.DRAFT).recipient(orgA()).categories("contact", "referral")
                .givenAt(daysAgo(2)));
        c.held("consent-not-active");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String orgA() {
        return "Organization/" + JOBCENTER_A_ORGANIZATION;
    }

    private static String orgB() {
        return "Organization/" + JOBCENTER_B_ORGANIZATION;
    }

    private Instant daysAgo(int days) {
        return now.minus(Duration.ofDays(days));
    }

    private Course course(String scenario) {
        return new Course(++sequence, scenario);
    }

    /**
     * A synthetic CPR: a valid DDMMYY birth date and serial 9000 + n, unique per patient. The serial's first digit 9
     * with a year of 60-99 puts the birth in the 1900s.
     */
    private static String cpr(int n) {
        int day = 1 + (n * 7) % 28;
        int month = 1 + (n * 5) % 12;
        int year = 60 + (n * 11) % 40;
        return String.format("%02d%02d%02d%04d", day, month, year, 9000 + n);
    }

    /** One patient's IPS course while it is built. */
    private final class Course {
        private final int n;
        private final String scenario;
        private final String patientId;
        private final String given;
        private final String family;
        private final List<Resource> resources = new ArrayList<>();
        private String cpr;
        private Patient patient;
        private int conditions;
        private final LocalDate referredOn;

        private Course(int n, String scenario) {
            this.n = n;
            this.scenario = scenario;
            this.patientId = String.format("pat-%03d", n);
            this.given = GIVEN.get(n % GIVEN.size());
            this.family = FAMILY.get((n * 7) % FAMILY.size());
            this.cpr = SyntheticCohort.cpr(n);
            this.patient = IpsFixtures.patient(patientId, cpr, given, family);
            this.referredOn = today.minusDays(30 + (n * 13) % 150);
            resources.add(patient);
        }

        private void replacePatient(Patient replacement, String identifier) {
            resources.set(0, replacement);
            patient = replacement;
            cpr = identifier;
        }

        private void livesInRanders() {
            Address address = patient.getAddressFirstRep();
            address.setPostalCode("8900").setCity("Randers C");
            address.getExtensionByUrl(IpsContract.MUNICIPALITY_EXTENSION).setValue(
                    new CodeableConcept(new Coding(IpsFixtures.DK_MUNICIPALITY_CODES, "0730", "Randers")));
        }

        /** Referral, CareTeam with consultant A, a conference and a goal: what most held scenarios have. */
        private void standardCourseA() {
            referral(JOBCENTER_A_ORGANIZATION, ServiceRequest.ServiceRequestStatus.ACTIVE);
            careTeam("Practitioner/" + CONSULTANT_A_PRACTITIONER, JOBCENTER_A_ORGANIZATION);
            conferences();
            goal();
        }

        private void referral(String jobcenterOrg, ServiceRequest.ServiceRequestStatus status) {
            resources.add(IpsFixtures.referral("sr-" + suffix(), patientId, TREATING_UNIT_ORGANIZATION, jobcenterOrg,
                    referredOn, status));
        }

        private void episode(String jobcenterOrg, EpisodeOfCare.EpisodeOfCareStatus status) {
            resources.add(IpsFixtures.episode("eoc-" + suffix(), patientId, jobcenterOrg, referredOn, status));
        }

        private void careTeam(String consultant, String jobcenterOrg) {
            Period period = consultant == null ? null : new Period().setStart(IpsFixtures.date(referredOn));
            resources.add(IpsFixtures.careTeam("ct-" + suffix(), patientId, consultant, jobcenterOrg, period,
                    TREATMENT_TEAM.toArray(String[]::new)));
        }

        /** One conference held a while ago and one coming up. */
        private void conferences() {
            Instant past = now.minus(Duration.ofDays(7 + n % 20)).truncatedTo(ChronoUnit.HOURS);
            Instant coming = now.plus(Duration.ofDays(7 + n % 20)).truncatedTo(ChronoUnit.HOURS);
            resources.add(IpsFixtures.conference("appt-" + suffix() + "-1", patientId, past,
                    past.plus(Duration.ofHours(1))));
            resources.add(IpsFixtures.conference("appt-" + suffix() + "-2", patientId, coming,
                    coming.plus(Duration.ofHours(1))));
        }

        private void goal() {
            resources.add(IpsFixtures.employmentGoal("goal-" + suffix(), patientId, GOALS.get(n % GOALS.size())));
        }

        private void diagnosis(boolean psy) {
            String[] dx = psy ? DIAGNOSES.get((n + conditions) % DIAGNOSES.size())
                    : new String[] {"E11.9", "Type 2-diabetes uden komplikationer"};
            resources.add(IpsFixtures.diagnosis("cond-" + suffix() + "-" + ++conditions, patientId, dx[0], dx[1], psy));
        }

        private void consent(String idSuffix, UnaryOperator<IpsFixtures.ConsentBuilder> details) {
            resources.add(details.apply(IpsFixtures.consent("consent-" + suffix() + idSuffix, patientId)).build());
        }

        private void shared(String jobcenterId, List<String> categoryCodes) {
            finish(jobcenterId, Set.copyOf(categoryCodes), null);
        }

        private void held(String reason) {
            finish(null, Set.of(), reason);
        }

        private void finish(String jobcenterId, Set<String> categories, String hold) {
            patients.add(new CohortPatient(patientId, cpr, scenario, jobcenterId, categories, hold));
            byPatient.put(patientId, List.copyOf(resources));
        }

        private String suffix() {
            return String.format("%03d", n);
        }
    }
}
