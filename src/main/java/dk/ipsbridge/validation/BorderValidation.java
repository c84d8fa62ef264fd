package dk.ipsbridge.validation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collector;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationOptions;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dk.ipsbridge.config.ValidationSettings;
import dk.ipsbridge.config.ValidationSettings.Mode;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Inbound FHIR checked against the IPS profiles at the border ({@code ips.validation.mode}). Only the resources that
 * decide or are sent are checked, each against the profile of its IPS role: the IPS consents ({@code ips-consent}),
 * the referrals ({@code ips-referral}, {@code ips-episode-of-care}), the care teams with an IPS consultant
 * ({@code ips-care-team}), the treatment conferences ({@code ips-conference-appointment}), the employment goals
 * ({@code ips-employment-goal}) and the Patient, against FHIR R4's Patient: the CPR rules of contract C1 (two CPRs of
 * different use are allowed, only a usable one is sent) are wider than DK Core's one CPR identifier, and the gate
 * holds a patient without exactly one usable, valid CPR itself ({@code no-cpr}, {@code invalid-cpr},
 * {@code ambiguous-cpr}).
 *
 * <p>A result is kept per resource content and profile (a SHA-256 of both): an unchanged resource is validated once,
 * a changed one again, whatever its {@code versionId} says. The validator is built on first use, or in the background
 * once the adapter is ready; with mode {@code off} it is never built.
 */
@Component
public class BorderValidation {

    private static final Logger log = LoggerFactory.getLogger(BorderValidation.class);
    private static final String PATIENT = "http://hl7.org/fhir/StructureDefinition/Patient";
    /** Each profile of a role, with its resource type: the snapshots the validator generates at first use. */
    private static final Map<String, String> WARM_UP = Map.of("Patient", PATIENT, "Consent", profile("ips-consent"),
            "ServiceRequest", profile("ips-referral"), "EpisodeOfCare", profile("ips-episode-of-care"),
            "CareTeam", profile("ips-care-team"), "Appointment", profile("ips-conference-appointment"),
            "Goal", profile("ips-employment-goal"));

    /** An unmodifiable list; the one empty list for a conforming resource, which most results are. */
    private static final Collector<Issue, ?, List<Issue>> NONE_SHARED = Collectors.collectingAndThen(
            Collectors.toList(), l -> l.isEmpty() ? List.of() : List.copyOf(l));

    private final FhirContext fhir;
    private final Mode mode;
    private final Cache<Key, List<Issue>> results;
    private volatile FhirValidator validator;

    public BorderValidation(FhirContext fhir, ValidationSettings settings) {
        this.fhir = fhir;
        this.mode = settings.mode();
        // eviction on the caller's thread: the size holds at once (a size of 0 keeps nothing)
        this.results = Caffeine.newBuilder().maximumSize(settings.cacheSize()).executor(Runnable::run).build();
    }

    /** One error of a resource: where (a FHIRPath location, no value) and what (the validator's message). */
    public record Issue(String location, String message) {
    }

    /** A resource that fails its profile. */
    public record Invalid(String reference, String profile, List<Issue> errors) {

        /** The resource, profile, error count and locations: no value of the resource. */
        public String summary() {
            return reference + " fails " + profile.substring(profile.lastIndexOf('/') + 1) + ": " + errors.size()
                    + (errors.size() == 1 ? " error at " : " errors at ")
                    + errors.stream().map(Issue::location).distinct().collect(Collectors.joining(", "));
        }
    }

    /**
     * What the validation of one patient's resources found; empty when all conform or validation is off.
     *
     * @param operationOutcome the errors as one OperationOutcome (JSON), each issue naming its resource, for the failed
     *                         record (it may quote values); null when there are none
     */
    public record Findings(List<Invalid> invalid, String operationOutcome) {

        public static final Findings NONE = new Findings(List.of(), null);

        public Findings {
            invalid = List.copyOf(invalid);
        }

        public boolean any() {
            return !invalid.isEmpty();
        }

        /** For the decision and the failed record's message: no value of any resource. */
        public String summary() {
            return invalid.stream().map(Invalid::summary).collect(Collectors.joining("; "));
        }
    }

    public Mode mode() {
        return mode;
    }

    /** The resources of this patient that decide or are sent and fail the profile of their role. */
    public Findings check(PatientSnapshot snapshot) {
        if (mode == Mode.OFF) {
            return Findings.NONE;
        }
        List<Invalid> invalid = new ArrayList<>();
        roles(snapshot).forEach((resource, profile) -> {
            List<Issue> errors = errors(resource, profile);
            if (!errors.isEmpty()) {
                invalid.add(new Invalid(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), profile,
                        errors));
            }
        });
        if (invalid.isEmpty()) {
            return Findings.NONE;
        }
        OperationOutcome outcome = new OperationOutcome();
        invalid.forEach(i -> i.errors().forEach(e -> outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(i.reference() + " (" + i.profile() + "): " + e.message())
                .addExpression(e.location())));
        return new Findings(invalid, fhir.newJsonParser().encodeResourceToString(outcome));
    }

    /** The resources of the snapshot in an IPS role, each with its profile. */
    public static Map<Resource, String> roles(PatientSnapshot s) {
        Map<Resource, String> roles = new LinkedHashMap<>();
        roles.put(s.patient(), PATIENT);
        s.consents().stream().filter(BorderValidation::isIpsConsent).forEach(c -> roles.put(c, profile("ips-consent")));
        s.referrals().stream().filter(r -> has(r.getCode(), IpsCodes.IPS_REFERRAL))
                .forEach(r -> roles.put(r, profile("ips-referral")));
        s.episodes().stream().filter(e -> e.getType().stream().anyMatch(t -> has(t, IpsCodes.IPS_REFERRAL)))
                .forEach(e -> roles.put(e, profile("ips-episode-of-care")));
        s.careTeams().stream().filter(t -> t.getParticipant().stream()
                        .anyMatch(p -> p.getRole().stream().anyMatch(r -> has(r, IpsCodes.IPS_CONSULTANT))))
                .forEach(t -> roles.put(t, profile("ips-care-team")));
        s.appointments().stream().filter(a -> a.getServiceType().stream()
                        .anyMatch(t -> has(t, IpsCodes.TREATMENT_CONFERENCE)))
                .forEach(a -> roles.put(a, profile("ips-conference-appointment")));
        s.goals().stream().filter(g -> g.getCategory().stream().anyMatch(c -> has(c, IpsCodes.EMPLOYMENT_GOAL)))
                .forEach(g -> roles.put(g, profile("ips-employment-goal")));
        return roles;
    }

    private static String profile(String id) {
        return IpsProfiles.CANONICAL + id;
    }

    private static boolean isIpsConsent(Consent c) {
        return c.getCategory().stream().anyMatch(cc -> has(cc, IpsCodes.IPS_DATA_SHARING));
    }

    private static boolean has(CodeableConcept concept, String ipsCode) {
        return concept.getCoding().stream()
                .anyMatch(c -> IpsCodes.IPS_SYSTEM.equals(c.getSystem()) && ipsCode.equals(c.getCode()));
    }

    private List<Issue> errors(Resource resource, String profile) {
        String json = fhir.newJsonParser().encodeResourceToString(resource);
        Key key = Key.of(profile + '\n' + json);
        List<Issue> known = results.getIfPresent(key);
        if (known != null) {
            return known;
        }
        // outside the cache's atomic compute: a validation (or the validator's build) does not block other keys
        List<Issue> errors = validate(json, profile);
        results.put(key, errors);
        return errors;
    }

    /** A SHA-256 of profile and content, as four longs (a result costs the cache about 100 bytes). */
    private record Key(long a, long b, long c, long d) {

        static Key of(String profileAndContent) {
            try {
                ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                        .digest(profileAndContent.getBytes(StandardCharsets.UTF_8)));
                return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java", e);
            }
        }
    }

    private List<Issue> validate(String json, String profile) {
        return validator().validateWithResult(json, new ValidationOptions().addProfile(profile)).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> new Issue(m.getLocationString(), m.getMessage())).collect(NONE_SHARED);
    }

    private FhirValidator validator() {
        FhirValidator v = validator;
        if (v == null) {
            synchronized (this) {
                if (validator == null) {
                    long start = System.nanoTime();
                    validator = IpsProfiles.validator(fhir);
                    log.info("FHIR validator for the IPS profiles built in {} ms", (System.nanoTime() - start) / 1_000_000);
                }
                v = validator;
            }
        }
        return v;
    }

    /** Builds the validator and validates one resource in the background, so that the first patient waits less. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (mode == Mode.OFF) {
            return;
        }
        Thread warm = new Thread(() -> {
            try {
                WARM_UP.forEach((type, profile) -> validate("{\"resourceType\":\"" + type + "\"}", profile));
            } catch (RuntimeException e) {
                log.warn("The FHIR validator could not be warmed up ({}); it is built at the first patient",
                        e.getClass().getSimpleName());
            }
        }, "fhir-validator-warm-up");
        warm.setDaemon(true);
        warm.start();
    }
}
