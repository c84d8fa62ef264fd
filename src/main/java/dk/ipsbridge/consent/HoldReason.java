package dk.ipsbridge.consent;

/**
 * Why nothing (more) is shared with a jobcenter, or why one data category is not. The code is what the decision
 * record, the demo page and the consent officer see; {@link #withdrawalReason()} is what the jobcenter is told when a
 * shared case stops.
 *
 * <p>Two kinds: most reasons hold a whole case ({@link GateDecision.Hold}); the {@link #perCategory()} ones
 * ({@code category-not-consented}, {@code category-denied}) only say why one category of a case that is shared is
 * left out ({@link GateDecision.Withheld}). A category reason never holds a case and never causes a withdrawal: the
 * record is sent again without that part.
 */
public enum HoldReason {
    NO_CONSENT("no-consent", "consent-withdrawn"),
    CONSENT_WITHDRAWN("consent-withdrawn", "consent-withdrawn"),
    CONSENT_REJECTED("consent-rejected", "consent-rejected"),
    CONSENT_ENTERED_IN_ERROR("consent-entered-in-error", "entered-in-error"),
    CONSENT_NOT_ACTIVE("consent-not-active", "consent-withdrawn"),
    CONSENT_NOT_YET_VALID("consent-not-yet-valid", "consent-withdrawn"),
    CONSENT_EXPIRED("consent-expired", "consent-expired"),
    CONSENT_LAPSED("consent-lapsed", "consent-expired"),
    CONSENT_DENIED("consent-denied", "consent-withdrawn"),
    /** A consent that cannot be read: nothing more is shared, and what was shared is suspended, not withdrawn. */
    CONSENT_UNREADABLE("consent-unreadable", null),
    /** C6: the newest consent was given more than 5 minutes in the future; suspended until it is corrected. */
    CONSENT_INVALID("consent-invalid", null),
    DISCLOSURE_NOT_PERMITTED("disclosure-not-permitted", "consent-withdrawn"),
    /** The deciding consent does not let the region collect from this jobcenter (action {@code collect}). */
    COLLECTION_NOT_PERMITTED("collection-not-permitted", "consent-withdrawn"),
    UNKNOWN_RECIPIENT("unknown-recipient", "recipient-changed"),
    RECIPIENT_NOT_IN_CARE_TEAM("recipient-not-in-care-team", "recipient-changed"),
    /** The consent names a jobcenter outside the source's agreements ({@code ips.sources[n].jobcenters}). */
    RECIPIENT_NOT_AGREED("recipient-not-agreed", "recipient-changed"),
    NO_CPR("no-cpr", null),
    INVALID_CPR("invalid-cpr", null),
    /** C1: two or more different usable CPR numbers on one patient; held for manual handling. */
    AMBIGUOUS_CPR("ambiguous-cpr", null),
    /**
     * A resource that decides or is sent fails the IPS profile of its role ({@code ips.validation.mode} enforce):
     * suspended until the EHR corrects it.
     */
    RESOURCE_INVALID("resource-invalid", null),
    NO_ACTIVE_REFERRAL("no-active-referral", "referral-ended"),
    /** C13: the referral was revoked (ServiceRequest) or cancelled (EpisodeOfCare). */
    REFERRAL_ENDED("referral-ended", "referral-ended"),
    /** C13: the referral was entered in error. */
    REFERRAL_ENTERED_IN_ERROR("referral-entered-in-error", "entered-in-error"),
    /**
     * Per category: no provision that applies to this jobcenter, action and time names the category, or its
     * {@code class} leaves the category's resource types out. Never a whole-case hold.
     */
    CATEGORY_NOT_CONSENTED("category-not-consented", "consent-withdrawn"),
    /** Per category: a nested deny provision carves the category out (by {@code code} or {@code class}). */
    CATEGORY_DENIED("category-denied", "consent-withdrawn");

    private final String code;
    private final String withdrawalReason;

    HoldReason(String code, String withdrawalReason) {
        this.code = code;
        this.withdrawalReason = withdrawalReason;
    }

    public String code() {
        return code;
    }

    /** The reason with this code, as stored with a case. */
    public static java.util.Optional<HoldReason> ofCode(String code) {
        return java.util.Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }

    /**
     * The {@code Withdrawal.reason} of the jobcenter API for a case that was shared and now is held for this reason;
     * null for a reason that is no decision of the citizen's but data an operator must fix (an unreadable or invalid
     * consent, a missing, invalid or ambiguous CPR): the case is then suspended, nothing more is sent, and no
     * withdrawal tells the jobcenter something untrue. Unused for a {@link #perCategory()} reason, which never
     * withdraws a case.
     */
    public String withdrawalReason() {
        return withdrawalReason;
    }

    /** Bad input an operator must look at (and can replay once fixed), as opposed to a decision the citizen made. */
    public boolean needsOperator() {
        return this == CONSENT_UNREADABLE || this == CONSENT_INVALID || this == UNKNOWN_RECIPIENT
                || this == RECIPIENT_NOT_AGREED
                || this == INVALID_CPR || this == NO_CPR || this == AMBIGUOUS_CPR || this == RESOURCE_INVALID;
    }

    /** True for a reason that leaves out one category of a shared case, false for one that holds the whole case. */
    public boolean perCategory() {
        return this == CATEGORY_NOT_CONSENTED || this == CATEGORY_DENIED;
    }
}
