package dk.ipsbridge.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What an officer may look at: the jobcenters and the region he is limited to, carried as granted authorities
 * {@code JOBCENTER_<id>} and {@code REGION_<code>}. Local users get them from {@code ips.security.users[n].jobcenters}
 * and {@code .region}, OpenID Connect users from the claims {@code ips_jobcenters} and {@code ips_region}. An officer
 * with neither is unscoped and sees everything, as before scoping existed.
 *
 * @param jobcenters the jobcenter ids the officer is limited to; empty: any jobcenter
 * @param region     the region code the officer is limited to; empty: any region
 */
public record Scopes(Set<String> jobcenters, Optional<String> region) {

    /** Prefix of the authority that limits its holder to one jobcenter: {@code JOBCENTER_jc-aarhus}. */
    public static final String JOBCENTER_PREFIX = "JOBCENTER_";
    /** Prefix of the authority that limits its holder to one region: {@code REGION_DK-82}. */
    public static final String REGION_PREFIX = "REGION_";
    /** A jobcenter id, as {@code ips.jobcenters[n].id}. */
    public static final String JOBCENTER_ID = "[a-z0-9][a-z0-9-]{0,31}";
    /** A Danish region code. */
    public static final String REGION_CODE = "DK-8[1-5]";

    private static final Pattern JOBCENTER = Pattern.compile(JOBCENTER_ID);
    private static final Pattern REGION = Pattern.compile(REGION_CODE);

    public Scopes {
        jobcenters = Set.copyOf(jobcenters);
    }

    /** The scope of whoever holds these authorities; two region authorities are refused, never widened. */
    public static Scopes of(Collection<? extends GrantedAuthority> authorities) {
        Set<String> jobcenters = new TreeSet<>();
        Set<String> regions = new TreeSet<>();
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (name == null) {
                continue;
            }
            if (name.startsWith(JOBCENTER_PREFIX)) {
                jobcenters.add(name.substring(JOBCENTER_PREFIX.length()));
            } else if (name.startsWith(REGION_PREFIX)) {
                regions.add(name.substring(REGION_PREFIX.length()));
            }
        }
        if (regions.size() > 1) {
            throw new IllegalStateException("an officer has more than one region authority");
        }
        return new Scopes(jobcenters, regions.stream().findFirst());
    }

    /** The authorities that limit their holder to these jobcenters and region; invalid ids and codes are refused. */
    public static List<GrantedAuthority> authorities(Collection<String> jobcenters, String region) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String jobcenter : jobcenters) {
            if (jobcenter == null || !JOBCENTER.matcher(jobcenter).matches()) {
                throw new IllegalArgumentException("a jobcenter scope must match " + JOBCENTER_ID);
            }
            authorities.add(new SimpleGrantedAuthority(JOBCENTER_PREFIX + jobcenter));
        }
        if (region != null) {
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("a region scope must match " + REGION_CODE);
            }
            authorities.add(new SimpleGrantedAuthority(REGION_PREFIX + region));
        }
        return authorities;
    }

    /** Neither jobcenters nor region: sees all. */
    public boolean unscoped() {
        return jobcenters.isEmpty() && region.isEmpty();
    }

    /** Whether a case of this jobcenter is within the jobcenter limit (always, when there is none). */
    public boolean allowsJobcenter(String jobcenterId) {
        return jobcenters.isEmpty() || jobcenters.contains(jobcenterId);
    }

    /** Whether this region is within the region limit (always, when there is none). */
    public boolean allowsRegion(String regionCode) {
        return region.isEmpty() || region.get().equals(regionCode);
    }
}
