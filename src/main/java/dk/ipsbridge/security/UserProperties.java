package dk.ipsbridge.security;

import java.nio.file.Path;
import java.util.List;

import dk.ipsbridge.patient.Redacted;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The local users ({@code ips.security.users}), for the demo and for sites without single sign-on (which
 * {@link OidcProperties} adds beside them): a bcrypt password hash given in the environment
 * ({@code IPS_SECURITY_USERS_0_PASSWORD_HASH}) or in a file ({@code password-hash-file}, e.g. a mounted secret); never
 * in the repository. Roles, an officer's scope ({@link Scopes}) and an EHR user's sources become granted authorities.
 */
@Validated
@ConfigurationProperties("ips.security")
record UserProperties(@DefaultValue List<@Valid User> users) {

    public static final String OFFICER = "OFFICER";
    public static final String OPERATOR = "OPERATOR";
    public static final String EHR = "EHR";

    /** Prefix of the authority that lets an EHR user notify for one source: {@code SOURCE_ehr-north}. */
    static final String SOURCE_PREFIX = "SOURCE_";

    /** The granted authority of a role: {@code ROLE_OFFICER}. */
    static String authority(String role) {
        return "ROLE_" + role;
    }

    /**
     * @param roles {@code OFFICER} (consent officers: preview, ledger) and/or {@code OPERATOR} (regional IT: status,
     *              failed records, metrics), or {@code EHR} (an EHR's Subscriptions notifying {@code /fhir/notify/**},
     *              and nothing else)
     * @param jobcenters an officer limited to these jobcenters (ids as {@code ips.jobcenters[n].id}); none: any
     * @param region     an officer limited to this region ({@code DK-81} … {@code DK-85}); none: any
     * @param sources    an EHR user: the sources ({@code ips.sources[n].id}) whose notifications it may send (C17);
     *                   required with the role {@code EHR}
     */
    public record User(
            @NotBlank String username,
            String passwordHash,
            Path passwordHashFile,
            @NotEmpty List<@Pattern(regexp = "OFFICER|OPERATOR|EHR", message = "must be OFFICER, OPERATOR or EHR") String> roles,
            @DefaultValue List<@Pattern(regexp = Scopes.JOBCENTER_ID, message = "must be 1-32 of a-z, 0-9 and -") String> jobcenters,
            @Pattern(regexp = Scopes.REGION_CODE, message = "must be one of DK-81, DK-82, DK-83, DK-84, DK-85") String region,
            @DefaultValue List<@Pattern(regexp = Scopes.JOBCENTER_ID, message = "must be 1-32 of a-z, 0-9 and -") String> sources) {

        @Override
        public String toString() {
            return Redacted.toString(this, "passwordHash");
        }
    }
}
