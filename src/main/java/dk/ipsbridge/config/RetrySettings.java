package dk.ipsbridge.config;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Backing off from a system that is unavailable ({@code ips.operations.retry-backoff}, {@code max-retry-backoff}).
 *
 * @param retryBackoff    the first wait; it doubles with every attempt
 * @param maxRetryBackoff the longest wait: the backoff stops growing there, and a {@code Retry-After} asking for longer
 *                        is cut to it
 */
@Validated
@ConfigurationProperties("ips.operations")
public record RetrySettings(
        @DefaultValue("2s") @DurationMin(millis = 1) Duration retryBackoff,
        @DefaultValue("10m") @DurationMin(millis = 1) Duration maxRetryBackoff) {
}
