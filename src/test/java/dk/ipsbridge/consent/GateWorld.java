package dk.ipsbridge.consent;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dk.ipsbridge.consent.GateDecision.Hold;
import dk.ipsbridge.consent.GateDecision.Share;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Identifier.IdentifierUse;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;

/**
 * A generated patient world for the gate's metamorphic properties ({@link GateMetamorphicPropertiesTest}): plain
 * immutable values that a property can change one thing in (add a consent, move {@code now}, rename ids, add a
 * label), then {@link #build} into a {@link PatientSnapshot} and decide. Logical ids ({@code org-a}, {@code c0},
 * ...) go through a naming, so that the same world can be built under other resource ids.
 *
 * <p>The fixed cast: Organization {@code org-a} (SOR, configured as {@code jc-a}), {@code org-b} (CVR, configured as
 * {@code jc-b}), {@code org-x} (SOR, configured for no jobcenter), {@code org-psych} (the referring unit);
 * Practitioner {@code p1} (the IPS consultant), {@code p2} (another one), {@code doc} (treatment team);
 * PractitionerRole {@code r1} (p1 at org-a) and {@code r2} (p1 at org-b).
 */
record GateWorld(List<Ident> identifiers, Set<String> patientLabels, List<ConsentM> consents, List<Team> teams,
        List<Referral> referrals, List<Episode> episodes, List<Data> data, Instant now, ConsentAction action) {

    static final Instant BASE = Instant.parse("2025-06-15T10:00:00Z");
    static final String CPR = "0101901234";
    static final String OTHER_CPR = "0202802345";
    static final String OLD_CPR = "1503701122";
    static final String INVALID_CPR = "3213991234";
    static final String ECPR_SYSTEM = "urn:oid:1.2.208.176.1.6.1.1";
    static final String ECPR = "150370X112";
    static final String SOR_A = "100000001";
    static final String CVR_B = "31313131";
    static final String SOR_X = "999999999";
    static final String OTHER_SERVER = "https://other-ehr.example/fhir/";
    static final Period MAX_AGE = Period.ofMonths(12);
    /** What the fixture builders need as a date before the generated one replaces it. */
    private static final java.time.LocalDate PLACEHOLDER_DAY = java.time.LocalDate.of(2025, 1, 1);

    /** Who a consent actor points at. */
    enum Actor {
        ORG_A, ORG_B, ORG_A_BY_IDENTIFIER, ORG_B_BY_IDENTIFIER, ORG_UNKNOWN, UNKNOWN_IDENTIFIER, ORG_MISSING,
        ORG_A_ON_OTHER_SERVER, CONSULTANT_P1, CONSULTANT_R1, CONSULTANT_R2, PRACTITIONER_P2;

        /** The configured jobcenter this actor names by organisation identifier (literal local or logical). */
        String namedJobcenter() {
            return switch (this) {
                case ORG_A, ORG_A_BY_IDENTIFIER -> "jc-a";
                case ORG_B, ORG_B_BY_IDENTIFIER -> "jc-b";
                default -> null;
            };
        }

        /** The person a consultant actor names (C2: a PractitionerRole is its Practitioner), else null. */
        Member person() {
            return switch (this) {
                case CONSULTANT_P1, CONSULTANT_R1, CONSULTANT_R2 -> Member.P1;
                case PRACTITIONER_P2 -> Member.P2;
                default -> null;
            };
        }

        /** True for an actor whose recipient cannot be resolved to a configured jobcenter by identifier (C8). */
        boolean unresolvableOrganisation() {
            return this == ORG_UNKNOWN || this == UNKNOWN_IDENTIFIER || this == ORG_MISSING
                    || this == ORG_A_ON_OTHER_SERVER;
        }
    }

    /** A CareTeam member. */
    enum Member {
        P1("Practitioner/", "p1"), R1("PractitionerRole/", "r1"), R2("PractitionerRole/", "r2"),
        P2("Practitioner/", "p2"), DOC("Practitioner/", "doc");

        final String type;
        final String id;

        Member(String type, String id) {
            this.type = type;
            this.id = id;
        }

        Member person() {
            return this == R1 || this == R2 ? P1 : this;
        }

        /** The jobcenter of the PractitionerRole's organisation, or null. */
        String roleJobcenter() {
            return this == R1 ? "jc-a" : this == R2 ? "jc-b" : null;
        }
    }

    /** An organisation a CareTeam participant acts on behalf of. */
    enum Org {
        A("org-a", "jc-a"), B("org-b", "jc-b"), X("org-x", null);

        final String id;
        final String jobcenter;

        Org(String id, String jobcenter) {
            this.id = id;
            this.jobcenter = jobcenter;
        }
    }

    /** An instant window; either end may be null (open). */
    record Window(Instant start, Instant end) {
        boolean covers(Instant t) {
            return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
        }

        org.hl7.fhir.r4.model.Period toFhir() {
            org.hl7.fhir.r4.model.Period period = new org.hl7.fhir.r4.model.Period();
            if (start != null) {
                period.setStartElement(seconds(start));
            }
            if (end != null) {
                period.setEndElement(seconds(end));
            }
            return period;
        }
    }

    record Provision(ConsentProvisionType type, List<Actor> actors, Set<String> actions, Set<String> codes,
            Set<String> classes, Set<String> labels, Window period, Window dataPeriod, List<Provision> children) {

        Stream<Provision> tree() {
            return Stream.concat(Stream.of(this), children.stream().flatMap(Provision::tree));
        }

        boolean hasDeny() {
            return tree().anyMatch(p -> p.type() == ConsentProvisionType.DENY);
        }

        Provision withLabels(Set<String> newLabels) {
            return new Provision(type, actors, actions, codes, classes, newLabels, period, dataPeriod, children);
        }

        Provision withChildren(List<Provision> newChildren) {
            return new Provision(type, actors, actions, codes, classes, labels, period, dataPeriod, newChildren);
        }

        Provision withType(ConsentProvisionType newType) {
            return new Provision(newType, actors, actions, codes, classes, labels, period, dataPeriod, children);
        }

        /** This provision with the {@code index}-th provision of its tree (pre-order, 0 = itself) replaced. */
        Provision replace(int[] index, UnaryOperator<Provision> change) {
            if (index[0]-- == 0) {
                return change.apply(this);
            }
            List<Provision> newChildren = new ArrayList<>();
            for (Provision child : children) {
                newChildren.add(index[0] < 0 ? child : child.replace(index, change));
            }
            return withChildren(newChildren);
        }
    }

    /** A consent; {@code given} null is a consent without dateTime, {@code root} null one without provision. */
    record ConsentM(String id, ConsentState status, Instant given, boolean optOut, Provision root) {
        ConsentM withStatus(ConsentState newStatus) {
            return new ConsentM(id, newStatus, given, optOut, root);
        }

        ConsentM withRoot(Provision newRoot) {
            return new ConsentM(id, status, given, optOut, newRoot);
        }

        /** The IRCP actors the gate reads as recipients: of the root and of every nested permit. */
        List<Actor> recipients() {
            if (root == null) {
                return List.of();
            }
            List<Actor> actors = new ArrayList<>(root.actors());
            root.children().stream().flatMap(Provision::tree).filter(p -> p.type() == ConsentProvisionType.PERMIT)
                    .forEach(p -> actors.addAll(p.actors()));
            return actors;
        }
    }

    record Participant(Member member, boolean consultant, Org onBehalfOf, Window period) {
        /** C2: the jobcenters this participation may be for (upper bound: onBehalfOf or the role's organisation). */
        Set<String> jobcenters() {
            Set<String> jcs = new TreeSet<>();
            if (onBehalfOf != null && onBehalfOf.jobcenter != null) {
                jcs.add(onBehalfOf.jobcenter);
            }
            if (member.roleJobcenter() != null) {
                jcs.add(member.roleJobcenter());
            }
            return jcs;
        }
    }

    record Team(String id, CareTeamStatus status, List<Participant> participants, Set<String> labels) {
        Team withLabels(Set<String> newLabels) {
            return new Team(id, status, participants, newLabels);
        }
    }

    record Referral(String id, ServiceRequestStatus status, Instant authored, Set<String> labels) {
        Referral withLabels(Set<String> newLabels) {
            return new Referral(id, status, authored, newLabels);
        }
    }

    record Episode(String id, EpisodeOfCareStatus status, Instant start, Set<String> labels) {
        Episode withLabels(Set<String> newLabels) {
            return new Episode(id, status, start, newLabels);
        }
    }

    /** A clinical resource of a data category: {@code Condition}, {@code Goal}, {@code Appointment}, {@code Observation}. */
    record Data(String id, String type, Instant time, Set<String> labels) {
        Data withLabels(Set<String> newLabels) {
            return new Data(id, type, time, newLabels);
        }
    }

    /** A Patient identifier; {@code use} null is an identifier without use. */
    record Ident(IdentifierUse use, String system, String value) {
        boolean usableCpr() {
            return IpsCodes.CPR_SYSTEM.equals(system) && (use == null || use == IdentifierUse.OFFICIAL);
        }
    }

    // ---- changes ----

    GateWorld withConsents(List<ConsentM> newConsents) {
        return new GateWorld(identifiers, patientLabels, newConsents, teams, referrals, episodes, data, now, action);
    }

    GateWorld at(Instant newNow) {
        return new GateWorld(identifiers, patientLabels, consents, teams, referrals, episodes, data, newNow, action);
    }

    GateWorld withPatientLabels(Set<String> labels) {
        return new GateWorld(identifiers, labels, consents, teams, referrals, episodes, data, now, action);
    }

    GateWorld withTeams(List<Team> newTeams) {
        return new GateWorld(identifiers, patientLabels, consents, newTeams, referrals, episodes, data, now, action);
    }

    GateWorld withReferrals(List<Referral> newReferrals) {
        return new GateWorld(identifiers, patientLabels, consents, teams, newReferrals, episodes, data, now, action);
    }

    GateWorld withEpisodes(List<Episode> newEpisodes) {
        return new GateWorld(identifiers, patientLabels, consents, teams, referrals, newEpisodes, data, now, action);
    }

    GateWorld withData(List<Data> newData) {
        return new GateWorld(identifiers, patientLabels, consents, teams, referrals, episodes, newData, now, action);
    }

    /** The newest consent dateTime, or null when no consent has one. */
    Instant newestGiven() {
        return consents.stream().map(ConsentM::given).filter(g -> g != null).max(Instant::compareTo).orElse(null);
    }

    /** The patient's one usable CPR (C1), or null when there is none or several. */
    String usableCpr() {
        List<String> usable = identifiers.stream().filter(Ident::usableCpr).map(Ident::value).distinct().toList();
        return usable.size() == 1 ? usable.get(0) : null;
    }

    /** Every identifier value on the patient other than its one usable CPR. */
    Set<String> otherIdentifierValues() {
        String usable = usableCpr();
        Set<String> others = new TreeSet<>();
        identifiers.stream().map(Ident::value).filter(v -> !v.equals(usable)).forEach(others::add);
        return others;
    }

    /** Every logical resource id of the world, for a renaming. */
    List<String> logicalIds() {
        List<String> ids = new ArrayList<>(List.of("pat", "org-a", "org-b", "org-x", "org-psych", "org-gone", "p1",
                "p2", "doc", "r1", "r2"));
        consents.forEach(c -> ids.add(c.id()));
        teams.forEach(t -> ids.add(t.id()));
        referrals.forEach(r -> ids.add(r.id()));
        episodes.forEach(e -> ids.add(e.id()));
        data.forEach(d -> ids.add(d.id()));
        return ids;
    }

    // ---- the oracle: who the contract lets receive ----

    /**
     * The jobcenters the person is, at {@code t}, a current IPS consultant for: a consultant participant of an
     * active CareTeam whose period covers {@code t} (C2, C3); upper bound: either its onBehalfOf or role organisation.
     */
    Set<String> consultantJobcenters(Member person, Instant t) {
        Set<String> jcs = new TreeSet<>();
        for (Team team : teams) {
            if (team.status() != CareTeamStatus.ACTIVE) {
                continue;
            }
            for (Participant p : team.participants()) {
                if (p.consultant() && p.member().person() == person && (p.period() == null || p.period().covers(t))) {
                    jcs.addAll(p.jobcenters());
                }
            }
        }
        return jcs;
    }

    /**
     * Rule 5, C7, C8: may {@code consent} give anything to {@code jobcenter} at {@code now}? Only when it names the
     * jobcenter by a configured organisation identifier, or names a consultant who was the patient's IPS consultant
     * for that jobcenter when the consent was given and still is.
     */
    boolean mayReceive(ConsentM consent, String jobcenter) {
        for (Actor actor : consent.recipients()) {
            if (jobcenter.equals(actor.namedJobcenter())) {
                return true;
            }
            if (actor.person() != null && consent.given() != null
                    && consultantJobcenters(actor.person(), consent.given()).contains(jobcenter)
                    && consultantJobcenters(actor.person(), now).contains(jobcenter)) {
                return true;
            }
        }
        return false;
    }

    ConsentM consent(String id) {
        return consents.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    // ---- building ----

    /** The world as the EHR would hold it, under {@code naming} (logical id to resource id). */
    Built build(Map<String, String> naming) {
        UnaryOperator<String> n = id -> naming.getOrDefault(id, id);
        Map<String, String> reverse = new HashMap<>();
        naming.forEach((logical, actual) -> reverse.put(actual, logical));
        Map<String, Resource> refs = new LinkedHashMap<>();
        put(refs, IpsFixtures.organization(n.apply("org-a"), IpsCodes.SOR_SYSTEM, SOR_A, "Jobcenter A"));
        put(refs, IpsFixtures.organization(n.apply("org-b"), IpsCodes.CVR_SYSTEM, CVR_B, "Jobcenter B"));
        put(refs, IpsFixtures.organization(n.apply("org-x"), IpsCodes.SOR_SYSTEM, SOR_X, "Jobcenter Elsewhere"));
        put(refs, IpsFixtures.organization(n.apply("org-psych"), IpsCodes.SOR_SYSTEM, "555555555", "Psykiatrien"));
        put(refs, IpsFixtures.practitioner(n.apply("p1"), "Pia", "Konsulent"));
        put(refs, IpsFixtures.practitioner(n.apply("p2"), "Per", "Anden"));
        put(refs, IpsFixtures.practitioner(n.apply("doc"), "Dorte", "Laege"));
        put(refs, IpsFixtures.practitionerRole(n.apply("r1"), n.apply("p1"), n.apply("org-a")));
        put(refs, IpsFixtures.practitionerRole(n.apply("r2"), n.apply("p1"), n.apply("org-b")));

        String patientId = n.apply("pat");
        Patient patient = IpsFixtures.patient(patientId, null, "Ingrid", "Fiktivsen");
        for (Ident ident : identifiers) {
            Identifier identifier = patient.addIdentifier().setSystem(ident.system()).setValue(ident.value());
            if (ident.use() != null) {
                identifier.setUse(ident.use());
            }
        }
        label(patient, patientLabels);

        List<Consent> fhirConsents = consents.stream().map(c -> consent(c, patientId, n)).toList();
        List<ServiceRequest> fhirReferrals = referrals.stream().map(r -> label(IpsFixtures.referral(n.apply(r.id()),
                patientId, n.apply("org-psych"), n.apply("org-a"), PLACEHOLDER_DAY, r.status()), r.labels())).toList();
        for (int i = 0; i < referrals.size(); i++) {
            fhirReferrals.get(i).setAuthoredOnElement(seconds(referrals.get(i).authored()));
        }
        List<EpisodeOfCare> fhirEpisodes = episodes.stream().map(e -> {
            EpisodeOfCare episode = IpsFixtures.episode(n.apply(e.id()), patientId, n.apply("org-psych"),
                    PLACEHOLDER_DAY, e.status());
            episode.setPeriod(new Window(e.start(), null).toFhir());
            return label(episode, e.labels());
        }).toList();
        List<CareTeam> fhirTeams = teams.stream().map(t -> careTeam(t, patientId, n)).toList();
        List<Appointment> appointments = new ArrayList<>();
        List<Goal> goals = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        for (Data d : data) {
            String id = n.apply(d.id());
            switch (d.type()) {
                case "Condition" -> {
                    Condition c = IpsFixtures.diagnosis(id, patientId, "F20.0", "Paranoid skizofreni", false);
                    c.setRecordedDateElement(seconds(d.time()));
                    conditions.add(label(c, d.labels()));
                }
                case "Goal" -> {
                    Goal g = IpsFixtures.employmentGoal(id, patientId, "Job i en butik");
                    g.setStart(new org.hl7.fhir.r4.model.DateType(Date.from(d.time())));
                    goals.add(label(g, d.labels()));
                }
                case "Appointment" -> appointments.add(label(IpsFixtures.conference(id, patientId, d.time(),
                        d.time().plus(Duration.ofHours(1))), d.labels()));
                case "Observation" -> {
                    Observation o = IpsFixtures.employmentOutcome(id, patientId, "ev-" + id, PLACEHOLDER_DAY);
                    o.setEffective(seconds(d.time()));
                    observations.add(label(o, d.labels()));
                }
                default -> throw new IllegalArgumentException(d.type());
            }
        }
        PatientSnapshot snapshot = new PatientSnapshot("ehr-gen", patient, fhirConsents, fhirReferrals, fhirEpisodes,
                fhirTeams, appointments, goals, conditions, refs);
        return new Built(snapshot, reverse, observations);
    }

    Built build() {
        return build(Map.of());
    }

    /** A built world: the snapshot, the way back from resource ids to logical ids, and the outcomes. */
    record Built(PatientSnapshot snapshot, Map<String, String> reverse, List<Observation> observations) {

        String logical(String id) {
            return id == null ? null : reverse.getOrDefault(id, id);
        }

        /** {@code Type/id} with the id made logical again. */
        String logicalReference(String reference) {
            if (reference == null) {
                return null;
            }
            int slash = reference.lastIndexOf('/');
            return slash < 0 ? reference : reference.substring(0, slash + 1) + logical(reference.substring(slash + 1));
        }

        List<? extends Resource> resourcesOf(DataCategory category) {
            return switch (category) {
                case CONTACT -> List.of(snapshot.patient());
                case REFERRAL -> Stream.concat(snapshot.referrals().stream(), snapshot.episodes().stream()).toList();
                case CARE_TEAM -> snapshot.careTeams();
                case CONFERENCES -> snapshot.appointments();
                case EMPLOYMENT_GOAL -> snapshot.goals();
                case DIAGNOSIS -> snapshot.conditions();
                case OUTCOMES -> observations;
            };
        }
    }

    static ConsentGate gate() {
        return new ConsentGate(GateWorld::configuredJobcenter, MAX_AGE);
    }

    /** Jobcenter A by SOR, jobcenter B by CVR; nothing else is configured. */
    static Optional<String> configuredJobcenter(String system, String value) {
        if (IpsCodes.SOR_SYSTEM.equals(system) && SOR_A.equals(value)) {
            return Optional.of("jc-a");
        }
        if (IpsCodes.CVR_SYSTEM.equals(system) && CVR_B.equals(value)) {
            return Optional.of("jc-b");
        }
        return Optional.empty();
    }

    /** The gate's decisions for this world at its {@code now} and action. */
    List<GateDecision> decide(Built built) {
        return gate().decide(built.snapshot(), now, action);
    }

    /**
     * What leaves the region under the gate's decisions: per jobcenter the identity, each shared category, and each
     * resource of a shared category that the share's policy lets go, by logical id.
     */
    static Set<String> exposure(Built built, List<GateDecision> decisions) {
        Set<String> items = new TreeSet<>();
        for (GateDecision decision : decisions) {
            if (!(decision instanceof Share share)) {
                continue;
            }
            String jc = share.jobcenterId();
            items.add(jc + " identity");
            for (DataCategory category : share.categories()) {
                items.add(jc + " category " + category.code());
                for (Resource resource : built.resourcesOf(category)) {
                    if (share.policy().allows(category, resource)) {
                        items.add(jc + " " + category.code() + " " + resource.fhirType() + "/"
                                + built.logical(resource.getIdElement().getIdPart()));
                    }
                }
            }
        }
        return items;
    }

    Set<String> exposure() {
        Built built = build();
        return exposure(built, decide(built));
    }

    /** The decisions in a form that does not depend on resource ids or order: ids made logical, details left out. */
    static Set<String> normalized(Built built, List<GateDecision> decisions) {
        return normalized(built, decisions, UnaryOperator.identity());
    }

    /** {@link #normalized(Built, List)}, with the deciding consent's logical id as {@code consentLabel} says. */
    static Set<String> normalized(Built built, List<GateDecision> decisions, UnaryOperator<String> consentLabel) {
        Set<String> lines = new TreeSet<>();
        for (GateDecision d : decisions) {
            String basis = d.consent() == null ? "-" : consentLabel.apply(built.logical(d.consent().consentId())) + "/"
                    + d.consent().version() + "/" + d.consent().givenOn() + "/" + d.consent().expiresOn();
            if (d instanceof Share share) {
                lines.add("share " + share.jobcenterId() + " " + new TreeSet<>(share.categories()) + " "
                        + built.logicalReference(share.consultantReference()) + " " + basis + " ended="
                        + share.ended());
            } else {
                Hold hold = (Hold) d;
                lines.add("hold " + hold.jobcenterId() + " " + hold.reason() + " " + basis);
            }
        }
        lines.addAll(exposure(built, decisions));
        return lines;
    }

    // ---- FHIR ----

    private static Consent consent(ConsentM c, String patientId, UnaryOperator<String> n) {
        Consent consent = IpsFixtures.consent(n.apply(c.id()), patientId).build();
        consent.setStatus(c.status());
        if (c.given() != null) {
            consent.setDateTimeElement(seconds(c.given()));
        }
        if (c.optOut()) {
            consent.setPolicyRule(new CodeableConcept(new Coding(IpsCodes.ACT_CODE_SYSTEM, "OPTOUT", null)));
        }
        consent.setProvision(c.root() == null ? null : provision(c.root(), true, n));
        return consent;
    }

    private static Consent.ProvisionComponent provision(Provision p, boolean root, UnaryOperator<String> n) {
        Consent.ProvisionComponent provision = new Consent.ProvisionComponent();
        provision.setType(p.type() == ConsentProvisionType.NULL ? null : p.type());
        for (String code : p.codes()) {
            provision.addCode(new CodeableConcept(new Coding(IpsCodes.CATEGORY_SYSTEM, code, null)));
        }
        for (String type : p.classes()) {
            provision.addClass_(new Coding(Provisions.RESOURCE_TYPES_SYSTEM, type, null));
        }
        for (String label : p.labels()) {
            provision.addSecurityLabel(new Coding(IpsCodes.ACT_CODE_SYSTEM, label, null));
        }
        if (p.period() != null) {
            provision.setPeriod(p.period().toFhir());
        }
        if (p.dataPeriod() != null) {
            provision.setDataPeriod(p.dataPeriod().toFhir());
        }
        for (String action : p.actions()) {
            provision.addAction(new CodeableConcept(new Coding(IpsCodes.CONSENT_ACTION_SYSTEM, action, null)));
        }
        for (Actor actor : p.actors()) {
            provision.addActor().setRole(new CodeableConcept(new Coding(IpsCodes.PARTICIPATION_TYPE_SYSTEM,
                    IpsCodes.INFORMATION_RECIPIENT, null))).setReference(reference(actor, n));
        }
        if (root) {
            provision.addPurpose(new Coding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_EMPLOYMENT_SUPPORT, null));
        }
        p.children().forEach(child -> provision.addProvision(provision(child, false, n)));
        return provision;
    }

    static Reference reference(Actor actor, UnaryOperator<String> n) {
        return switch (actor) {
            case ORG_A -> new Reference("Organization/" + n.apply("org-a"));
            case ORG_B -> new Reference("Organization/" + n.apply("org-b"));
            case ORG_A_BY_IDENTIFIER -> new Reference().setType("Organization")
                    .setIdentifier(new Identifier().setSystem(IpsCodes.SOR_SYSTEM).setValue(SOR_A));
            case ORG_B_BY_IDENTIFIER -> new Reference().setType("Organization")
                    .setIdentifier(new Identifier().setSystem(IpsCodes.CVR_SYSTEM).setValue(CVR_B));
            case ORG_UNKNOWN -> new Reference("Organization/" + n.apply("org-x"));
            case UNKNOWN_IDENTIFIER -> new Reference().setType("Organization")
                    .setIdentifier(new Identifier().setSystem(IpsCodes.SOR_SYSTEM).setValue(SOR_X));
            case ORG_MISSING -> new Reference("Organization/" + n.apply("org-gone"));
            case ORG_A_ON_OTHER_SERVER -> new Reference(OTHER_SERVER + "Organization/" + n.apply("org-a"));
            case CONSULTANT_P1 -> new Reference("Practitioner/" + n.apply("p1"));
            case CONSULTANT_R1 -> new Reference("PractitionerRole/" + n.apply("r1"));
            case CONSULTANT_R2 -> new Reference("PractitionerRole/" + n.apply("r2"));
            case PRACTITIONER_P2 -> new Reference("Practitioner/" + n.apply("p2"));
        };
    }

    private static CareTeam careTeam(Team t, String patientId, UnaryOperator<String> n) {
        CareTeam team = IpsFixtures.careTeam(n.apply(t.id()), patientId, null, null, null);
        team.setStatus(t.status());
        for (Participant p : t.participants()) {
            CareTeam.CareTeamParticipantComponent participant = team.addParticipant();
            participant.addRole(p.consultant()
                    ? new CodeableConcept(new Coding(IpsCodes.IPS_SYSTEM, IpsCodes.IPS_CONSULTANT, null))
                    : new CodeableConcept(new Coding("http://snomed.info/sct", "309343006", "Physician")));
            participant.setMember(new Reference(p.member().type + n.apply(p.member().id)));
            if (p.onBehalfOf() != null) {
                participant.setOnBehalfOf(new Reference("Organization/" + n.apply(p.onBehalfOf().id)));
            }
            if (p.period() != null) {
                participant.setPeriod(p.period().toFhir());
            }
        }
        return label(team, t.labels());
    }

    private static <T extends Resource> T label(T resource, Set<String> labels) {
        for (String label : labels) {
            resource.getMeta().addSecurity(IpsCodes.ACT_CODE_SYSTEM, label, null);
        }
        return resource;
    }

    private static void put(Map<String, Resource> refs, Resource r) {
        refs.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
    }

    static DateTimeType seconds(Instant instant) {
        DateTimeType t = new DateTimeType(Date.from(instant));
        t.setTimeZoneZulu(true);
        return t;
    }

    static final Set<DataCategory> ALL = EnumSet.allOf(DataCategory.class);
}
