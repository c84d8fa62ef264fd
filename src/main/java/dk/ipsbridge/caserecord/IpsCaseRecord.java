package dk.ipsbridge.caserecord;

import java.util.List;

import dk.ipsbridge.patient.Redacted;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The jobcenter API's {@code IpsCaseRecord} ({@code jobcenter-case-api.yaml}), as Java records that any Jackson
 * {@code ObjectMapper} writes as the contract's JSON.
 *
 * <p>An absent (null) part means "not shared"; nulls, empty strings and empty optional arrays are omitted when
 * written. Dates are {@code yyyy-MM-dd} strings and date-times ISO-8601 strings in UTC, already formatted, so the
 * JSON does not depend on how the mapper is configured.
 *
 * @param caseId               stable id chosen by the sender, never derived from the CPR number
 * @param revision             increases with every change the sender makes, at least 1
 * @param region               {@code DK-81} .. {@code DK-85}
 * @param status               {@code referred}, {@code active} or {@code ended}
 * @param citizen              identity, always; contact details only with category {@code contact}
 * @param referral             only with category {@code referral}
 * @param consultant           the IPS consultant the consent and care team name, when there is one
 * @param treatmentTeam        only with category {@code care-team}
 * @param treatmentConferences only with category {@code conferences}
 * @param employmentGoal       only with category {@code employment-goal}
 * @param diagnoses            only with category {@code diagnosis}
 * @param consent              the consent the sharing rests on, always
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IpsCaseRecord(
        String caseId,
        long revision,
        String region,
        String status,
        Citizen citizen,
        Referral referral,
        Consultant consultant,
        List<TeamMember> treatmentTeam,
        List<Conference> treatmentConferences,
        EmploymentGoal employmentGoal,
        List<Diagnosis> diagnoses,
        ConsentSummary consent) {

    public static final String STATUS_REFERRED = "referred";
    public static final String STATUS_ACTIVE = "active";
    public static final String STATUS_ENDED = "ended";

    public IpsCaseRecord {
        treatmentTeam = copyOrNull(treatmentTeam);
        treatmentConferences = copyOrNull(treatmentConferences);
        diagnoses = copyOrNull(diagnoses);
    }

    /** The same record with another revision. */
    public IpsCaseRecord withRevision(long newRevision) {
        return new IpsCaseRecord(caseId, newRevision, region, status, citizen, referral, consultant, treatmentTeam,
                treatmentConferences, employmentGoal, diagnoses, consent);
    }

    /** Ids only: the record holds a CPR number, names and possibly diagnoses, which must never reach a log. */
    @Override
    public String toString() {
        return "IpsCaseRecord[caseId=" + caseId + ", revision=" + revision + ", region=" + region + ", status="
                + status + "]";
    }

    private static <T> List<T> copyOrNull(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    /** Identity always; {@code phone}, {@code email} and {@code address} only with category {@code contact}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Citizen(String cpr, String givenName, String familyName, String phone, String email,
            Address address) {

        /** Identity only. */
        public Citizen(String cpr, String givenName, String familyName) {
            this(cpr, givenName, familyName, null, null, null);
        }

        @Override
        public String toString() {
            return "Citizen[redacted]";
        }
    }

    /** A Danish address; {@code municipalityCode} is the DK Core municipality code. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Address(String line, String postalCode, String city, String municipalityCode) {
    }

    /**
     * The IPS referral; {@code referredOn} is {@code yyyy-MM-dd}; {@code programme} the IPS track (C14):
     * {@code ips-general}, {@code ips-ptsd} or {@code ips-substance-use}.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Referral(String referredOn, String programme, ReferringUnit referringUnit, Contact contact) {
    }

    /** The treating unit that referred, by SOR code and name. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ReferringUnit(String sor, String name) {
    }

    /** A person to contact about the referral. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Contact(String name, String phone, String email) {
        @Override
        public String toString() {
            return Redacted.toString(this, "name", "phone", "email");
        }
    }

    /** The IPS consultant. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Consultant(String id, String name) {
        @Override
        public String toString() {
            return Redacted.toString(this, "name");
        }
    }

    /** A member of the treatment team other than the IPS consultant. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TeamMember(String role, String name, String phone) {
        @Override
        public String toString() {
            return Redacted.toString(this, "name", "phone");
        }
    }

    /** A treatment conference; {@code start} and {@code end} are ISO-8601 date-times in UTC. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Conference(String start, String end, String location) {
    }

    /** The citizen's employment goal, as free text. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record EmploymentGoal(String text) {
        @Override
        public String toString() {
            return Redacted.toString(this, "text");
        }
    }

    /** One coding of a diagnosis. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Diagnosis(String system, String code, String display) {
    }

    /**
     * The consent the sharing rests on; dates are {@code yyyy-MM-dd}. {@code categories} is written even when
     * empty, as the contract requires it.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ConsentSummary(String consentId, String consentVersion, String givenOn, String expiresOn,
            @JsonInclude(JsonInclude.Include.ALWAYS) List<String> categories) {

        public ConsentSummary {
            categories = categories == null ? List.of() : List.copyOf(categories);
        }
    }
}
