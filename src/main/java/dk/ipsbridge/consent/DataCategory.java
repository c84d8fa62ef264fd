package dk.ipsbridge.consent;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The data categories a citizen can tick on the consent form ({@code cat#} codes of the EHR contract), and the FHIR
 * resource types that hold each one's data, which is what a provision's {@code class} names.
 */
public enum DataCategory {
    CONTACT("contact", "Patient"),
    REFERRAL("referral", "ServiceRequest", "EpisodeOfCare"),
    CARE_TEAM("care-team", "CareTeam"),
    CONFERENCES("conferences", "Appointment"),
    EMPLOYMENT_GOAL("employment-goal", "Goal"),
    DIAGNOSIS("diagnosis", "Condition"),
    OUTCOMES("outcomes", "Observation");

    private final String code;
    private final Set<String> resourceTypes;

    DataCategory(String code, String... resourceTypes) {
        this.code = code;
        this.resourceTypes = Set.of(resourceTypes);
    }

    /** The code as written in the EHR and in the jobcenter API. */
    public String code() {
        return code;
    }

    /**
     * The FHIR resource types whose instances carry this category's data: {@code contact} is the Patient (its
     * telecom and address), {@code referral} a ServiceRequest or EpisodeOfCare, {@code outcomes} an Observation.
     */
    /** False for contact details only: they have no clinical time, so no {@code dataPeriod} applies (C10). */
    public boolean dated() {
        return this != CONTACT;
    }

    public Set<String> resourceTypes() {
        return resourceTypes;
    }

    public static Optional<DataCategory> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }

    /** The categories whose data lives in any of {@code types}; types no category uses add nothing. */
    public static Set<DataCategory> ofResourceTypes(Collection<String> types) {
        Set<DataCategory> result = EnumSet.noneOf(DataCategory.class);
        for (DataCategory category : values()) {
            if (category.resourceTypes.stream().anyMatch(types::contains)) {
                result.add(category);
            }
        }
        return result;
    }

    /** True when some category's data lives in resources of {@code type}. */
    static boolean isKnownType(String type) {
        return Arrays.stream(values()).anyMatch(c -> c.resourceTypes.contains(type));
    }
}
