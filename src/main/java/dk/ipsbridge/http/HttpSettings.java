package dk.ipsbridge.http;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The limits of every HTTP call to an EHR or a jobcenter ({@code ips.operations.http-timeout},
 * {@code ips.operations.max-response-bytes}; the names are kept from before there was an HTTP package).
 *
 * @param httpTimeout      the whole call: connecting, the response headers and the whole body
 * @param maxResponseBytes the largest body read; a larger one is bad input ({@code response-too-large})
 */
@Validated
@ConfigurationProperties("ips.operations")
public record HttpSettings(
        @DefaultValue("10s") @DurationMin(millis = 100) Duration httpTimeout,
        @DefaultValue("10485760") @Min(1024) long maxResponseBytes) {
}
