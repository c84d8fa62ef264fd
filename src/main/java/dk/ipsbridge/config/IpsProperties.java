package dk.ipsbridge.config;

import java.net.URI;
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

    /** A regional EHR that speaks FHIR R4. */
    public record Source(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "must be 1-32 of a-z, 0-9 and -") String id,
            @NotNull(message = "set the FHIR base URL of this EHR source") URI fhirBaseUrl,
            @DefaultValue("30s") Duration pollInterval,
            @DefaultValue("100") @Min(1) int pageSize) {
    }

    /** A jobcenter's IPS case API and the organisation identifiers by which consents name it. */
    public record Jobcenter(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}", message = "must be 1-32 of a-z, 0-9 and -") String id,
            String name,
            @NotNull(message = "set the base URL of this jobcenter's case API") URI baseUrl,
            @NotEmpty(message = "list the organisation identifiers (system|value) that name this jobcenter in consents")
            List<@Pattern(regexp = "[^|\\s]+\\|[^|\\s]+", message = "must be system|value") String> organizationIdentifiers) {

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
     * Danish rules for consent.
     *
     * @param maxAge             a consent lapses at the latest this long after it was given
     * @param expiryWarningDays  a shared case is listed as expiring this many days before its consent lapses
     */
    public record Consent(@DefaultValue("P12M") Period maxAge, @DefaultValue("30") @Min(0) int expiryWarningDays) {
    }
}
