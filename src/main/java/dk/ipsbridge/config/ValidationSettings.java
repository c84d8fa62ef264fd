package dk.ipsbridge.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Validation of inbound FHIR against the IPS profiles ({@code ips.validation.*}, {@code fhir-profiles/README.md}).
 *
 * @param mode      {@code enforce} (the default): a patient whose resources fail their profile shares nothing until
 *                  they are fixed; {@code report}: the failure is recorded, the decision is made as if none;
 *                  {@code off}: no validation, and the validator is never built
 * @param cacheSize validation results kept, one per resource content and profile
 */
@Validated
@ConfigurationProperties("ips.validation")
public record ValidationSettings(
        @DefaultValue("enforce") @NotNull Mode mode,
        @DefaultValue("100000") @Min(0) long cacheSize) {

    public enum Mode { ENFORCE, REPORT, OFF }
}
