package dk.ipsbridge.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where data comes from and where it may go ({@code ips.*} in {@code config/application.yml}). The adapter refuses to
 * start when a source or a jobcenter is missing, naming the missing setting.
 */
@Validated
@ConfigurationProperties("ips")
public record IpsProperties(
        @NotNull(message = "set ips.region to the region's code, DK-81 to DK-85")
        @Pattern(regexp = "DK-8[1-5]", message = "must be one of DK-81, DK-82, DK-83, DK-84, DK-85") String region,
        @NotEmpty(message = "configure at least one EHR source: ips.sources[0].id and ips.sources[0].fhir-base-url")
        List<@Valid Source> sources,
        @NotEmpty(message = "configure at least one jobcenter: ips.jobcenters[0].id, ips.jobcenters[0].base-url and "
                + "ips.jobcenters[0].organization-identifiers")
        List<@Valid Jobcenter> jobcenters,
        @DefaultValue @Valid Consent consent) {

    /**
     * A regional EHR that speaks FHIR R4.
     *
     * @param tls   the client certificate and trust for calls to it (none: the JDK's trusted CAs, no certificate)
     * @param smart SMART Backend Services tokens for calls to it, or null for none
     * @param programme     the IPS track of a referral that names none (C14): {@code ips-general}, {@code ips-ptsd}
     *                      (trauma and refugee track) or {@code ips-substance-use}
     * @param jobcenters    the jobcenters this source has agreements with (ids of {@code ips.jobcenters}); empty: all.
     *                      A consent naming another is held with {@code recipient-not-agreed}
     * @param consentMaxAge how long after it was given a consent of this source lapses, where its legal basis differs
     *                      from {@code ips.consent.max-age}; null: that one
     */
    public record Source(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "must be 1-32 of a-z, 0-9 and -") String id,
            @NotNull(message = "set the FHIR base URL of this EHR source") URI fhirBaseUrl,
            @DefaultValue("30s") Duration pollInterval,
            @DefaultValue("100") @Min(1) int pageSize,
            @DefaultValue @Valid Tls tls,
            @Valid Smart smart,
            @DefaultValue(GENERAL_PROGRAMME) @Pattern(regexp = "ips-general|ips-ptsd|ips-substance-use",
                    message = "must be one of ips-general, ips-ptsd, ips-substance-use") String programme,
            @DefaultValue List<String> jobcenters,
            Period consentMaxAge) {

        /** The general psychiatry track, the default programme of a source. */
        public static final String GENERAL_PROGRAMME = "ips-general";

        @ConstructorBinding
        public Source {
            jobcenters = jobcenters == null ? List.of() : List.copyOf(jobcenters);
        }

        /** A source without TLS settings or tokens, in the general programme, with every jobcenter. */
        public Source(String id, URI fhirBaseUrl, Duration pollInterval, int pageSize) {
            this(id, fhirBaseUrl, pollInterval, pageSize, Tls.NONE, null);
        }

        /** A source in the general programme, with every jobcenter. */
        public Source(String id, URI fhirBaseUrl, Duration pollInterval, int pageSize, Tls tls, Smart smart) {
            this(id, fhirBaseUrl, pollInterval, pageSize, tls, smart, GENERAL_PROGRAMME, List.of(), null);
        }
    }

    /**
     * A jobcenter's IPS case API and the organisation identifiers by which consents name it.
     *
     * @param tls   the client certificate and trust for calls to it (none: the JDK's trusted CAs, no certificate)
     * @param oauth OAuth 2.0 client credentials for calls to it, or null for none
     */
    public record Jobcenter(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "must be 1-32 of a-z, 0-9 and -") String id,
            String name,
            @NotNull(message = "set the base URL of this jobcenter's case API") URI baseUrl,
            @NotEmpty(message = "list the organisation identifiers (system|value) that name this jobcenter in consents")
            List<@Pattern(regexp = "[^|\\s]+\\|[^|\\s]+", message = "must be system|value") String> organizationIdentifiers,
            @DefaultValue @Valid Tls tls,
            @Valid OAuth oauth) {

        @ConstructorBinding
        public Jobcenter {
        }

        /** A jobcenter without TLS settings or tokens. */
        public Jobcenter(String id, String name, URI baseUrl, List<String> organizationIdentifiers) {
            this(id, name, baseUrl, organizationIdentifiers, Tls.NONE, null);
        }

        public String displayName() {
            return name == null || name.isBlank() ? id : name;
        }

        /** The URL of a path of this jobcenter's case API ({@code cases/ips-abc}, {@code outcomes?after=...}). */
        public String url(String path) {
            String base = baseUrl.toString();
            return (base.endsWith("/") ? base : base + "/") + path;
        }
    }

    /**
     * The client side of TLS towards one EHR or jobcenter ({@code ips.sources[n].tls.*}, {@code ips.jobcenters[n].tls.*}):
     * the client certificate as a PKCS#12 key store or as PEM files, and the certificates trusted as the server's,
     * as a PKCS#12 trust store or a PEM file; unset, the JDK's trusted CAs. Passwords come from files.
     */
    public record Tls(Path keyStore, Path keyStorePasswordFile, Path trustStore, Path trustStorePasswordFile,
            Path certificate, Path privateKey, Path trustCertificates) {

        public static final Tls NONE = new Tls(null, null, null, null, null, null, null);
    }

    /**
     * OAuth 2.0 client credentials towards a jobcenter ({@code ips.jobcenters[n].oauth.*}): the client authenticates
     * with a secret read from {@code client-secret-file}, or with a client assertion signed by the key in
     * {@code private-key-jwt} (a PEM file), one of the two.
     */
    public record OAuth(
            @NotNull(message = "set the jobcenter's token endpoint") URI tokenUrl,
            @NotBlank(message = "set the client id the jobcenter registered") String clientId,
            Path clientSecretFile,
            Path privateKeyJwt,
            @DefaultValue("ips-cases") String scope) {
    }

    /**
     * SMART Backend Services towards an EHR ({@code ips.sources[n].smart.*}): client credentials with a
     * {@code private_key_jwt} client assertion signed by {@code private-key} (a PEM file, EC P-384 for ES384 or RSA
     * for RS384).
     */
    public record Smart(
            @NotNull(message = "set the EHR's token endpoint") URI tokenUrl,
            @NotBlank(message = "set the client id the EHR registered") String clientId,
            @NotNull(message = "set the PEM file of the key that signs client assertions") Path privateKey,
            @NotBlank(message = "set the SMART scopes to ask for, such as system/*.rs") String scope) {
    }

    /**
     * Danish rules for consent.
     *
     * @param maxAge             a consent lapses at the latest this long after it was given
     * @param expiryWarningDays  a shared case is listed as expiring this many days before its consent lapses
     */
    public record Consent(@DefaultValue("P12M") Period maxAge, @DefaultValue("30") @Min(0) int expiryWarningDays) {
    }
}
