package dk.ipsbridge.consent;

import java.time.Period;
import java.util.Objects;
import java.util.Set;

/**
 * What one EHR source has agreed with the jobcenters ({@code ips.sources[n].jobcenters}, {@code ...consent-max-age}):
 * the jobcenters its patients' data may go to, and how long after it was given a consent lapses under its legal
 * basis. A consent naming a jobcenter outside the agreement shares nothing with it ({@code recipient-not-agreed}).
 *
 * @param jobcenters    the jobcenter ids the source may send to; null: every configured jobcenter
 * @param maxConsentAge how long after it was given a consent lapses
 */
public record SourceAgreement(Set<String> jobcenters, Period maxConsentAge) {

    public SourceAgreement {
        jobcenters = jobcenters == null ? null : Set.copyOf(jobcenters);
        Objects.requireNonNull(maxConsentAge, "maxConsentAge");
        if (maxConsentAge.isZero() || maxConsentAge.isNegative()) {
            throw new IllegalArgumentException("maxConsentAge must be positive");
        }
    }

    /** Every jobcenter, under this maximum consent age. */
    public static SourceAgreement all(Period maxConsentAge) {
        return new SourceAgreement(null, maxConsentAge);
    }

    boolean agreed(String jobcenterId) {
        return jobcenters == null || jobcenters.contains(jobcenterId);
    }
}
