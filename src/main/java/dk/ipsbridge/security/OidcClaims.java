package dk.ipsbridge.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.ClaimAccessor;

/**
 * The authorities of an OpenID Connect user, from his ID token or access token: the roles in the roles claim that the
 * adapter knows ({@code OFFICER}, {@code OPERATOR}: an EHR never logs in this way), and his scope from
 * {@code ips_jobcenters} and {@code ips_region}. A scope claim that cannot be read refuses the login rather than leave
 * the officer unscoped.
 */
final class OidcClaims {

    static final String JOBCENTERS = "ips_jobcenters";
    static final String REGION = "ips_region";
    private static final Set<String> ROLES = Set.of(UserProperties.OFFICER, UserProperties.OPERATOR);

    private OidcClaims() {
    }

    /** @throws IllegalArgumentException when a claim is of the wrong type or a scope value is invalid */
    static List<GrantedAuthority> authorities(ClaimAccessor claims, String rolesClaim) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        strings(claims, rolesClaim).stream().filter(ROLES::contains)
                .forEach(role -> authorities.add(new SimpleGrantedAuthority(UserProperties.authority(role))));
        List<String> region = strings(claims, REGION);
        if (region.size() > 1) {
            throw new IllegalArgumentException("the claim " + REGION + " names more than one region");
        }
        authorities.addAll(Scopes.authorities(strings(claims, JOBCENTERS), region.isEmpty() ? null : region.get(0)));
        return authorities;
    }

    /** A claim as strings: absent is none, a string is one, an array of strings is each. */
    private static List<String> strings(ClaimAccessor claims, String name) {
        Object value = claims.getClaims().get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String string) {
            return List.of(string);
        }
        if (value instanceof Collection<?> values && values.stream().allMatch(String.class::isInstance)) {
            return values.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException("the claim " + name + " is neither a string nor an array of strings");
    }
}
