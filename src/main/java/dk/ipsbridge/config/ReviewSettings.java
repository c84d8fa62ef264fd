package dk.ipsbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Deciding patients ({@code ips.operations.review-*}, {@code recheck-interval}).
 *
 * @param reviewInterval  how often the review queue is read (the {@code patient-review} route's timer)
 * @param reviewBatch     patients claimed per round
 * @param recheckInterval every shared patient is read again from the EHR at least this often, whatever seemed to
 *                        change: a deletion polling cannot see takes effect within it
 */
@Validated
@ConfigurationProperties("ips.operations")
public record ReviewSettings(
        @DefaultValue("250ms") @DurationMin(millis = 10) Duration reviewInterval,
        @DefaultValue("50") @Min(1) @Max(10_000) int reviewBatch,
        @DefaultValue("24h") @DurationMin(minutes = 1) Duration recheckInterval) {
}
