package dk.ipsbridge.consent;

import java.util.Optional;

/**
 * Resolves an organisation identifier to a configured jobcenter id.
 *
 * <p>The gate asks with every identifier an Organization carries (SOR, CVR, KOMBIT or any other system), in the
 * order the EHR gives them, and takes the first answer.
 */
@FunctionalInterface
public interface JobcenterResolver {

    /**
     * @param system the identifier's system, never null
     * @param value  the identifier's value, never null
     * @return the configured jobcenter id, or empty when no jobcenter is configured for this identifier
     */
    Optional<String> jobcenterFor(String system, String value);
}
