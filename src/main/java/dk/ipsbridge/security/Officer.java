package dk.ipsbridge.security;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * A consent officer and what they may see. An officer may be limited to jobcenters ({@code JOBCENTER_<id>}
 * authorities, from {@code ips.security.users[n].jobcenters} or the OpenID Connect claim {@code ips_jobcenters}) and to
 * regions ({@code REGION_<code>}, from {@code region} or {@code ips_region}). An officer with neither sees every
 * jobcenter of the region this adapter serves; one limited to another region sees nothing.
 *
 * @param name       the username, as the ledger records who looked
 * @param jobcenters the jobcenters whose entries the officer may see, when {@code unlimited} is false
 * @param unlimited  true for an officer limited to no jobcenter (and not to another region)
 */
public record Officer(String name, Set<String> jobcenters, boolean unlimited) {

    public static final String JOBCENTER = "JOBCENTER_";
    public static final String REGION = "REGION_";

    public Officer {
        jobcenters = Set.copyOf(jobcenters);
    }

    /** The officer behind a request to an adapter that serves {@code servedRegion}. */
    public static Officer of(Authentication authentication, String servedRegion) {
        Set<String> jobcenters = new TreeSet<>();
        Set<String> regions = new TreeSet<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name.startsWith(JOBCENTER)) {
                jobcenters.add(name.substring(JOBCENTER.length()));
            } else if (name.startsWith(REGION)) {
                regions.add(name.substring(REGION.length()));
            }
        }
        if (!regions.isEmpty() && !regions.contains(servedRegion)) {
            return new Officer(authentication.getName(), Set.of(), false);
        }
        return new Officer(authentication.getName(), jobcenters, jobcenters.isEmpty());
    }

    /** An officer who sees everything this adapter serves. */
    public static Officer unlimited(String name) {
        return new Officer(name, Set.of(), true);
    }

    /** Whether the officer may see what concerns this jobcenter; nothing with no jobcenter unless unlimited. */
    public boolean covers(String jobcenterId) {
        return unlimited || jobcenterId != null && jobcenters.contains(jobcenterId);
    }

    /** Whether the officer may see all of these. */
    public boolean coversAll(Collection<String> jobcenterIds) {
        return jobcenterIds.stream().allMatch(this::covers);
    }
}
