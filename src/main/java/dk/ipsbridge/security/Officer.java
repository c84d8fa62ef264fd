package dk.ipsbridge.security;

import java.util.Set;

import org.springframework.security.core.Authentication;

/**
 * A consent officer and what they may see, from their {@link Scopes} in the region this adapter serves. An officer
 * limited to neither jobcenters nor region sees every jobcenter of the served region; one limited to another region
 * sees nothing.
 *
 * @param name       the username, as the ledger records who looked
 * @param jobcenters the jobcenters whose entries the officer may see, when {@code unlimited} is false
 * @param unlimited  true for an officer limited to no jobcenter (and not to another region)
 */
public record Officer(String name, Set<String> jobcenters, boolean unlimited) {

    public Officer {
        jobcenters = Set.copyOf(jobcenters);
    }

    /** The officer behind a request to an adapter that serves {@code servedRegion}. */
    public static Officer of(Authentication authentication, String servedRegion) {
        Scopes scopes = Scopes.of(authentication.getAuthorities());
        if (!scopes.allowsRegion(servedRegion)) {
            return new Officer(authentication.getName(), Set.of(), false);
        }
        return new Officer(authentication.getName(), scopes.jobcenters(), scopes.jobcenters().isEmpty());
    }

    /** An officer who sees everything this adapter serves. */
    public static Officer unlimited(String name) {
        return new Officer(name, Set.of(), true);
    }

    /** Whether the officer may see what concerns this jobcenter; nothing with no jobcenter unless unlimited. */
    public boolean covers(String jobcenterId) {
        return unlimited || jobcenterId != null && jobcenters.contains(jobcenterId);
    }
}
