package dk.ipsbridge.testkit.cohort;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsContract;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Many patients of one kind, for load and benchmarks: every one shareable with jobcenter A of the
 * {@link SyntheticCohort} (its organisations, consultant and treatment team), each with a Patient, an active Consent
 * permitting contact, referral, care team, conferences and employment goal, a referral (ServiceRequest), a CareTeam
 * with consultant A, two Appointments (one past, one coming) and a Goal. A patient's resources are made when asked
 * for, so that a large cohort costs memory only where it is stored.
 *
 * <p>Fictitious throughout: CPR numbers have valid birth dates in the 1960s to 1990s and serials 9000-9999, unique
 * for up to 13,440,000 patients.
 */
public final class BulkCohort {

    /** The categories every consent of the cohort permits, in the contract's order. */
    public static final List<String> CATEGORIES = List.of("contact", "referral", "care-team", "conferences",
            "employment-goal");

    private final Instant now;
    private final LocalDate today;
    private final int size;

    private BulkCohort(Instant now, int size) {
        if (size < 1 || size > 13_440_000) {
            throw new IllegalArgumentException("size must be 1 to 13,440,000");
        }
        this.now = Objects.requireNonNull(now, "now");
        this.today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        this.size = size;
    }

    /** {@code size} shareable patients as of {@code now}; the same arguments give the same resources. */
    public static BulkCohort create(Instant now, int size) {
        return new BulkCohort(now, size);
    }

    public int size() {
        return size;
    }

    /** The organisations and practitioners every patient's resources point at. */
    public List<Resource> common() {
        return List.of(
                IpsFixtures.organization(SyntheticCohort.JOBCENTER_A_ORGANIZATION, SyntheticCohort.JOBCENTER_A_SYSTEM,
                        SyntheticCohort.JOBCENTER_A_VALUE, SyntheticCohort.JOBCENTER_A_NAME),
                IpsFixtures.organization(SyntheticCohort.TREATING_UNIT_ORGANIZATION, IpsContract.SOR_SYSTEM,
                        SyntheticCohort.TREATING_UNIT_SOR, SyntheticCohort.TREATING_UNIT_NAME),
                IpsFixtures.practitioner(SyntheticCohort.CONSULTANT_A_PRACTITIONER, "Mette", "Konsulentsen"),
                IpsFixtures.practitioner(SyntheticCohort.TREATMENT_TEAM.get(0), "Birgitte", "Overlægesen"),
                IpsFixtures.practitioner(SyntheticCohort.TREATMENT_TEAM.get(1), "Torben", "Sygeplejersen"),
                IpsFixtures.practitioner(SyntheticCohort.TREATMENT_TEAM.get(2), "Lene", "Psykologsen"));
    }

    /** {@code bulk-<n>}, for n from 0 to size - 1. */
    public String patientId(int n) {
        return "bulk-" + check(n);
    }

    /** The patient's CPR number: ten digits, unique in the cohort. */
    public String cpr(int n) {
        check(n);
        int serial = 9000 + n % 1000;
        int k = n / 1000;
        return String.format("%02d%02d%02d%04d", 1 + k % 28, 1 + (k / 28) % 12, 60 + (k / 336) % 40, serial);
    }

    /** The patient's seven resources: Patient, Consent, ServiceRequest, CareTeam, two Appointments, Goal. */
    public List<Resource> resourcesOf(int n) {
        String id = patientId(n);
        List<Resource> resources = new ArrayList<>(7);
        resources.add(IpsFixtures.patient(id, cpr(n), "Anna", "Bulksen"));
        resources.add(consent(n, Consent.ConsentState.ACTIVE));
        LocalDate referredOn = today.minusDays(30 + n % 150);
        resources.add(IpsFixtures.referral("sr-" + id, id, SyntheticCohort.TREATING_UNIT_ORGANIZATION,
                SyntheticCohort.JOBCENTER_A_ORGANIZATION, referredOn, ServiceRequest.ServiceRequestStatus.ACTIVE));
        resources.add(IpsFixtures.careTeam("ct-" + id, id, "Practitioner/" + SyntheticCohort.CONSULTANT_A_PRACTITIONER,
                SyntheticCohort.JOBCENTER_A_ORGANIZATION, new Period().setStart(IpsFixtures.date(referredOn)),
                SyntheticCohort.TREATMENT_TEAM.toArray(String[]::new)));
        Instant past = now.minus(Duration.ofDays(7 + n % 20)).truncatedTo(ChronoUnit.HOURS);
        Instant coming = now.plus(Duration.ofDays(7 + n % 20)).truncatedTo(ChronoUnit.HOURS);
        resources.add(IpsFixtures.conference("appt-" + id + "-1", id, past, past.plus(Duration.ofHours(1))));
        resources.add(IpsFixtures.conference("appt-" + id + "-2", id, coming, coming.plus(Duration.ofHours(1))));
        resources.add(goal(n, 0));
        return resources;
    }

    /**
     * The patient's Goal with a text that differs for every {@code change} (0 is the original): storing it makes a
     * change the jobcenter must receive. The text ends with {@link #changeMarker(int)}.
     */
    public Goal goal(int n, int change) {
        return IpsFixtures.employmentGoal("goal-" + patientId(n), patientId(n),
                "Job som lagermedarbejder, 15 timer om ugen" + changeMarker(change));
    }

    /** The end of a changed goal's text, as the jobcenter receives it; empty for the original. */
    public static String changeMarker(int change) {
        return change == 0 ? "" : " (ændring " + change + ")";
    }

    /** The patient's Consent, withdrawn: same id, status {@code inactive}. */
    public Consent withdrawnConsent(int n) {
        return consent(n, Consent.ConsentState.INACTIVE);
    }

    /** Stores the common resources and every patient's in {@code ehr}. */
    public void loadInto(MockEhr ehr) {
        ehr.store(common());
        for (int n = 0; n < size; n++) {
            ehr.store(resourcesOf(n));
        }
    }

    private Consent consent(int n, Consent.ConsentState state) {
        Instant givenAt = now.minus(Duration.ofDays(10 + n % 100));
        return IpsFixtures.consent("consent-" + patientId(n), patientId(n)).status(state)
                .recipient("Organization/" + SyntheticCohort.JOBCENTER_A_ORGANIZATION)
                .categories(CATEGORIES.toArray(String[]::new)).givenAt(givenAt)
                .period(givenAt, givenAt.plus(Duration.ofDays(365))).build();
    }

    private int check(int n) {
        if (n < 0 || n >= size) {
            throw new IndexOutOfBoundsException("patient " + n + " of " + size);
        }
        return n;
    }
}
