package dk.ipsbridge.notify;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what the notification endpoint reads ({@code ips.notifications.*}).
 *
 * @param maxBodyBytes    a larger body is refused while it is read (413), whatever its Content-Length says
 * @param maxNestingDepth JSON nested deeper is refused before anything is parsed as FHIR
 */
@Validated
@ConfigurationProperties("ips.notifications")
record NotifyProperties(
        @DefaultValue("10485760") @Min(1024) long maxBodyBytes,
        @DefaultValue("64") @Min(8) int maxNestingDepth) {
}
