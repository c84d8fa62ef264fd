package dk.ipsbridge.testkit.cohort;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fhir.IpsContract;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A synthetic cohort shaped like a Danish IPS programme (issue 18): so many citizens referred from one EHR source to
 * its jobcenters, so many reaching ordinary work or education, with an internship, completing the support, and in
 * work or education after it, exactly as {@link Figures} says. Each citizen has a Patient, a Consent that permits
 * disclosing contact, referral and care team to the citizen's jobcenter and collecting outcomes from it, a referral
 * (ServiceRequest, with the programme as category unless the source's default is meant) and a CareTeam with the
 * jobcenter's IPS consultant; the jobcenter reports the citizen's course as outcome events ({@link #outcomes}).
 *
 * <p>Who gets what is fixed by position, so that a test can compute every figure by hand: citizens
 * {@code 0 .. workOrEducation-1} reach ordinary work (every fourth of them education instead), after a first employer
 * contact; the last {@code internships} citizens have an internship; the {@code completed} citizens ending at index
 * {@code workOrEducation + completed - workOrEducationAfter} end their support, so exactly
 * {@code workOrEducationAfter} of them are in work or education when it ends. Citizens without ordinary work may have
 * a subsidised job (a flexjob), which must not count. Referrals lie 400 to 900 days back, all events in the past.
 * Fictitious throughout: CPR serials 8000-8999 with the cohort's own birth months.
 *
 * @param sourceId   the EHR source the citizens come from (their ids start with it)
 * @param programme  the programme the referrals carry as category; null: none, the source's default applies
 * @param sites      the jobcenters, citizens spread over them in turn
 */
public record ProgrammeCohort(String sourceId, String programme, List<Site> sites, Figures figures, Instant now,
        int birthYear) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A jobcenter of the programme as the EHR names it: its Organization, identifier and IPS consultant. */
    public record Site(String jobcenterId, String organizationId, String identifierSystem, String identifierValue,
            String name) {

        /** {@code system|value}, as {@code ips.jobcenters[n].organization-identifiers}. */
        public String identifier() {
            return identifierSystem + "|" + identifierValue;
        }

        String consultant() {
            return "consultant-" + jobcenterId;
        }
    }

    /** The programme's published figures, as counts. */
    public record Figures(int referred, int workOrEducation, int internships, int completed, int workOrEducationAfter) {
        public Figures {
            if (workOrEducation > referred || internships > referred || workOrEducationAfter > completed
                    || workOrEducationAfter > workOrEducation
                    || completed - workOrEducationAfter > referred - workOrEducation) {
                throw new IllegalArgumentException("figures that no cohort can have");
            }
        }
    }

    /** One outcome event the jobcenter will report. */
    public record Event(String type, LocalDate on, String terms) {
    }

    /** One citizen: who, where, referred when, and the course the jobcenter reports. */
    public record Citizen(int n, String patientId, String cpr, Site site, LocalDate referredOn, List<Event> events) {
    }

    public ProgrammeCohort {
        Objects.requireNonNull(sourceId, "sourceId");
        sites = List.copyOf(sites);
        if (sites.isEmpty() || birthYear < 0 || birthYear > 99) {
            throw new IllegalArgumentException("a cohort needs a site and a two-digit birth year");
        }
    }

    // ---- the four programmes of issue 18, as config/examples/ configures them ----

    /** A jobcenter by its municipality: id {@code jc-<key>}, organisation {@code org-jc-<key>}, SOR {@code <sor>}. */
    public static Site municipality(String key, String name, String sor) {
        return new Site("jc-" + key, "org-jc-" + key, IpsContract.SOR_SYSTEM, sor, "Jobcenter " + name);
    }

    public static final Site SLAGELSE = municipality("slagelse", "Slagelse", "1000001000016001");
    public static final Site KALUNDBORG = municipality("kalundborg", "Kalundborg", "1000002000016001");
    public static final Site HOLBAEK = municipality("holbaek", "Holbæk", "1000003000016001");
    public static final Site KOEBENHAVN = municipality("koebenhavn", "København", "1000004000016001");
    public static final Site FREDERIKSBERG = municipality("frederiksberg", "Frederiksberg", "1000005000016001");
    public static final Site FAABORG_MIDTFYN = municipality("faaborg-midtfyn", "Faaborg-Midtfyn", "1000006000016001");
    public static final Site ODENSE = municipality("odense", "Odense", "1000007000016001");
    public static final Site MIDDELFART = municipality("middelfart", "Middelfart", "1000008000016001");
    public static final Site FREDERICIA = municipality("fredericia", "Fredericia", "1000009000016001");
    public static final Site KOLDING = municipality("kolding", "Kolding", "1000010000016001");
    public static final Site VEJLE = municipality("vejle", "Vejle", "1000011000016001");
    public static final Site VARDE = municipality("varde", "Varde", "1000012000016001");

    /** IPS Vestsjælland: 168 referred, 97 (57.7 %) in work or education, 105 internships, 32 of 62 completed (51.6 %). */
    public static ProgrammeCohort vestsjaelland(Instant now) {
        return new ProgrammeCohort("psykiatrien-vest", null, List.of(SLAGELSE, KALUNDBORG, HOLBAEK),
                new Figures(168, 97, 105, 62, 32), now, 71);
    }

    /** Region Hovedstaden psychiatry, the Copenhagen figure: 216 of 347 (62 %) in work or education. */
    public static ProgrammeCohort hovedstaden(Instant now) {
        return new ProgrammeCohort("psykiatrien-hovedstaden", "ips-general", List.of(KOEBENHAVN),
                new Figures(347, 216, 120, 100, 55), now, 72);
    }

    /** Region Syddanmark, lokalpsykiatri with four municipalities: 60 of 100 (60 %), as in the Danish trial. */
    public static ProgrammeCohort syddanmarkLokalpsykiatri(Instant now) {
        return new ProgrammeCohort("lokalpsykiatri", "ips-general",
                List.of(FAABORG_MIDTFYN, ODENSE, MIDDELFART, FREDERICIA), new Figures(100, 60, 30, 40, 25), now, 73);
    }

    /** Region Syddanmark, the PTSD track for refugees at ATT with five municipalities: 14 of 40 (35 %). */
    public static ProgrammeCohort syddanmarkAtt(Instant now) {
        return new ProgrammeCohort("att", "ips-ptsd", List.of(ODENSE, KOLDING, VEJLE, FREDERICIA, VARDE),
                new Figures(40, 14, 10, 10, 5), now, 74);
    }

    /** Copenhagen's IPS for substance use, the municipality's addiction treatment: 32 of 127 (25 %). */
    public static ProgrammeCohort koebenhavnMisbrug(Instant now) {
        return new ProgrammeCohort("kk-misbrug", "ips-substance-use", List.of(KOEBENHAVN),
                new Figures(127, 32, 20, 30, 10), now, 75);
    }

    public List<Citizen> citizens() {
        List<Citizen> citizens = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Figures f = figures;
        int firstCompleted = f.workOrEducation() - f.workOrEducationAfter();
        for (int n = 0; n < f.referred(); n++) {
            LocalDate referred = today.minusDays(900 - (n * 500L / Math.max(1, f.referred())));
            List<Event> events = new ArrayList<>();
            boolean work = n < f.workOrEducation();
            if (work) {
                events.add(new Event("first-employer-contact", referred.plusDays(14 + n % 40), null));
                events.add(n % 4 == 3 ? new Event("education-started", referred.plusDays(60 + n % 90), null)
                        : new Event("job-started", referred.plusDays(60 + n % 90), n % 3 == 0 ? null : "ordinary"));
            } else if (n % 5 == 0) {
                events.add(new Event("job-started", referred.plusDays(90), "subsidised"));
            }
            if (n >= f.referred() - f.internships()) {
                events.add(new Event("internship-started", referred.plusDays(30), null));
                events.add(new Event("internship-ended", referred.plusDays(58), null));
            }
            if (n >= firstCompleted && n < firstCompleted + f.completed()) {
                events.add(new Event("support-ended", referred.plusDays(300 + n % 50), null));
            }
            citizens.add(new Citizen(n, sourceId + "-" + n, cpr(n), sites.get(n % sites.size()), referred,
                    List.copyOf(events)));
        }
        return citizens;
    }

    /** A valid CPR number: day 1-28 and the cohort's birth year, serial 8000 + n (n below 1,000 per month). */
    private String cpr(int n) {
        return String.format("%02d%02d%02d%04d", 1 + n % 28, 1 + (n / 28) % 12, birthYear, 8000 + n / 336);
    }

    /** The organisations and practitioners the citizens' resources point at. */
    public List<Resource> common() {
        List<Resource> common = new ArrayList<>();
        common.add(IpsFixtures.organization(unit(), IpsContract.SOR_SYSTEM, "60" + Math.abs(sourceId.hashCode() % 100000),
                "Behandlende enhed " + sourceId));
        for (Site site : sites) {
            common.add(IpsFixtures.organization(site.organizationId(), site.identifierSystem(), site.identifierValue(),
                    site.name()));
            common.add(IpsFixtures.practitioner(site.consultant(), "Konsulent", site.name()));
        }
        return common;
    }

    private String unit() {
        return "unit-" + sourceId;
    }

    /** The citizen's resources: Patient, Consent, ServiceRequest, CareTeam. */
    public List<Resource> resourcesOf(Citizen c) {
        Instant givenAt = now.minus(Duration.ofDays(5 + c.n() % 100));
        String org = "Organization/" + c.site().organizationId();
        return List.of(IpsFixtures.patient(c.patientId(), c.cpr(), "Borger", "Nummer" + c.n()),
                IpsFixtures.consent("consent-" + c.patientId(), c.patientId()).recipient(org)
                        .actions("disclose", "collect").categories("contact", "referral", "care-team", "outcomes")
                        .givenAt(givenAt).period(givenAt, givenAt.plus(Duration.ofDays(360))).build(),
                IpsFixtures.referral("sr-" + c.patientId(), c.patientId(), unit(), c.site().organizationId(),
                        c.referredOn(), ServiceRequest.ServiceRequestStatus.ACTIVE, programme),
                IpsFixtures.careTeam("ct-" + c.patientId(), c.patientId(), "Practitioner/" + c.site().consultant(),
                        c.site().organizationId(), new Period().setStart(IpsFixtures.date(c.referredOn()))));
    }

    /** Stores the common resources and every citizen's in {@code ehr}. */
    public void loadInto(MockEhr ehr) {
        ehr.store(common());
        citizens().forEach(c -> ehr.store(resourcesOf(c)));
    }

    /**
     * Lets each jobcenter report its citizens' courses: for every citizen whose case it holds, its events as the
     * contract's OutcomeEvents (event ids {@code <source>-<n>-<i>}).
     *
     * @return the events reported
     */
    public int reportOutcomes(List<MockJobcenter> jobcenters) {
        int reported = 0;
        for (Citizen c : citizens()) {
            MockJobcenter jc = jobcenters.stream().filter(j -> j.id().equals(c.site().jobcenterId())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no mock for " + c.site().jobcenterId()));
            String caseId = jc.caseFor(c.cpr()).orElseThrow(() -> new IllegalStateException(
                    "jobcenter " + jc.id() + " holds no case of citizen " + c.n())).get("caseId").asText();
            for (int i = 0; i < c.events().size(); i++) {
                Event e = c.events().get(i);
                ObjectNode event = JSON.createObjectNode().put("eventId", sourceId + "-" + c.n() + "-" + i)
                        .put("caseId", caseId).put("cpr", c.cpr()).put("type", e.type())
                        .put("occurredOn", e.on().toString());
                if (e.terms() != null) {
                    event.put("employmentTerms", e.terms());
                }
                jc.addOutcome(event);
                reported++;
            }
        }
        return reported;
    }
}
