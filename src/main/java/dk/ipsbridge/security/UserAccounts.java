package dk.ipsbridge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/** The local users of {@code ips.security.users}: bcrypt hashes, roles and scopes as granted authorities. */
final class UserAccounts {

    private static final Logger log = LoggerFactory.getLogger(UserAccounts.class);

    private UserAccounts() {
    }

    static UserDetailsService of(UserProperties properties) {
        List<UserDetails> users = properties.users().stream().map(UserAccounts::user).toList();
        if (users.isEmpty()) {
            log.warn("No local users configured (ips.security.users): only OpenID Connect users, if configured, may log in");
        }
        // Not the manager itself: as a UserDetailsPasswordService it would re-hash every password below bcrypt cost 10
        // in memory at the first login, and every request after would pay cost 10. The configured hash is what counts;
        // a long random machine password (the EHR's) may use a low cost and keep each notification cheap.
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager(users);
        return manager::loadUserByUsername;
    }

    private static UserDetails user(UserProperties.User user) {
        String hash = user.passwordHash();
        if (user.passwordHashFile() != null) {
            try {
                hash = Files.readString(user.passwordHashFile()).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the password hash file of user " + user.username(), e);
            }
        }
        if (hash == null || !hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new IllegalStateException("user " + user.username()
                    + " needs a bcrypt password-hash (from the environment) or password-hash-file");
        }
        if (user.roles().contains(UserProperties.EHR) && user.sources().isEmpty()) {
            throw new IllegalStateException("user " + user.username() + " has the role EHR and needs "
                    + "ips.security.users[n].sources: the sources whose notifications it sends");
        }
        List<GrantedAuthority> authorities = new ArrayList<>(Scopes.authorities(user.jobcenters(), user.region()));
        user.roles().forEach(role -> authorities.add(new SimpleGrantedAuthority(UserProperties.authority(role))));
        user.sources().forEach(source -> authorities.add(new SimpleGrantedAuthority(UserProperties.SOURCE_PREFIX + source)));
        return User.withUsername(user.username()).password(hash).authorities(authorities).build();
    }
}
