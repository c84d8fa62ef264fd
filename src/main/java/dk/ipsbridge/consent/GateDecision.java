package dk.ipsbridge.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The consent gate's answer for one patient, one recipient jobcenter and one action. */
public sealed interface GateDecision {

    /** The configured jobcenter id this decision is about, or null when no recipient could be determined. */
    String jobcenterId();

    /** The Consent that decided, or null when none did (no consent, no CPR...). */
    ConsentBasis consent();

    /**
     * Share the identity plus exactly {@code categories} with the jobcenter, and of each category only the
     * resources {@code policy} allows.
     *
     * @param consultantReference {@code Practitioner/<id>} or {@code PractitionerRole/<id>} of the patient's current
     *                            IPS consultant in the CareTeam, or null when there is none
     * @param withheld            for every category not in {@code categories}, why not; completed by the
     *                            constructor, so that shared and withheld together are always all categories
     * @param policy              which resources of a shared category may go ({@code securityLabel},
     *                            {@code dataPeriod}, {@code class}); null means {@link DataPolicy#failClosed}
     * @param at                  the instant the decision is for (whose treatment team is current); null counts
     *                            only team members without a period
     * @param ended               the IPS course in psychiatry has ended (referral completed, C13): the record goes
     *                            once more with {@code status: ended}, and nothing after it
     */
    record Share(String jobcenterId, ConsentBasis consent, Set<DataCategory> categories, String consultantReference,
            Map<DataCategory, Withheld> withheld, DataPolicy policy, Instant at, boolean ended)
            implements GateDecision {

        private static final Withheld NOT_SHARED = new Withheld(HoldReason.CATEGORY_NOT_CONSENTED,
                "Not among the categories this decision shares");

        /**
         * @throws IllegalArgumentException when a category is both shared and withheld
         */
        public Share {
            categories = Set.copyOf(categories);
            Map<DataCategory, Withheld> all = new EnumMap<>(DataCategory.class);
            if (withheld != null) {
                all.putAll(withheld);
            }
            for (DataCategory category : DataCategory.values()) {
                if (categories.contains(category) && all.containsKey(category)) {
                    throw new IllegalArgumentException("category both shared and withheld: " + category.code());
                }
                if (!categories.contains(category)) {
                    all.putIfAbsent(category, NOT_SHARED);
                }
            }
            withheld = Collections.unmodifiableMap(all);
            policy = policy != null ? policy : DataPolicy.failClosed(categories);
        }

        /**
         * A share of {@code categories} whose every other category is withheld as {@code category-not-consented},
         * under the fail-closed default policy: no PSY-labelled resource, no time restriction.
         */
        public Share(String jobcenterId, ConsentBasis consent, Set<DataCategory> categories,
                String consultantReference) {
            this(jobcenterId, consent, categories, consultantReference, Map.of(), null, null, false);
        }
    }

    /**
     * Share nothing with this jobcenter, for {@code reason}; {@code detail} says what, without personal data.
     *
     * @throws IllegalArgumentException for a {@link HoldReason#perCategory()} reason, which holds no whole case
     */
    record Hold(String jobcenterId, ConsentBasis consent, HoldReason reason, String detail) implements GateDecision {
        public Hold {
            if (reason != null && reason.perCategory()) {
                throw new IllegalArgumentException(reason.code() + " holds a category, not a case");
            }
        }
    }

    /**
     * Why one category of a {@link Share} is not shared.
     *
     * @param reason {@link HoldReason#CATEGORY_NOT_CONSENTED} or {@link HoldReason#CATEGORY_DENIED}
     * @param detail what in the consent decided it, without personal data
     */
    record Withheld(HoldReason reason, String detail) {
        public Withheld {
            Objects.requireNonNull(reason, "reason");
            if (!reason.perCategory()) {
                throw new IllegalArgumentException(reason.code() + " is not a category reason");
            }
        }
    }

    /**
     * The Consent a decision rests on.
     *
     * @param consentId logical id of the Consent
     * @param version   {@code meta.versionId}, or null when the EHR gives none
     * @param givenOn   the date of {@code Consent.dateTime}
     * @param expiresOn the last day the consent is in force (sharing stops at 00:00 Danish time after it): the
     *                  earlier of the last day of {@code provision.period} and the day before the Danish one-year
     *                  lapse from {@code dateTime}
     */
    record ConsentBasis(String consentId, String version, LocalDate givenOn, LocalDate expiresOn) {
    }
}
