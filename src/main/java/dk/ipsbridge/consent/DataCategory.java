package dk.ipsbridge.consent;

import java.util.Arrays;
import java.util.Optional;

/** The data categories a citizen can tick on the consent form ({@code cat#} codes of the EHR contract). */
public enum DataCategory {
    CONTACT("contact"),
    REFERRAL("referral"),
    CARE_TEAM("care-team"),
    CONFERENCES("conferences"),
    EMPLOYMENT_GOAL("employment-goal"),
    DIAGNOSIS("diagnosis"),
    OUTCOMES("outcomes");

    private final String code;

    DataCategory(String code) {
        this.code = code;
    }

    /** The code as written in the EHR and in the jobcenter API. */
    public String code() {
        return code;
    }

    public static Optional<DataCategory> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }
}
