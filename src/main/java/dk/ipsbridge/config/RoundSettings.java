package dk.ipsbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The rounds that read a feed or scan the store ({@code ips.operations.*}).
 *
 * @param pollCheckInterval  how often each EHR source is checked for being due
 * @param maxPagesPerPoll    pages read per feed and round at most (an EHR search, a patient's search, an outcomes
 *                           feed): a paging loop stops there
 * @param outcomeInterval    how often the jobcenters' outcomes feeds are read
 * @param reconcileInterval  how often what the jobcenters hold is compared with what they should hold
 * @param reconcileBatch     cases compared per round
 * @param expiryScanInterval how often shared cases whose consent lapses soon are listed
 * @param metricsInterval    how often the store's gauges (queues, delivery lag, cases, polling, ledger) are read
 */
@Validated
@ConfigurationProperties("ips.operations")
public record RoundSettings(
        @DefaultValue("1s") @DurationMin(millis = 10) Duration pollCheckInterval,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxPagesPerPoll,
        @DefaultValue("5m") @DurationMin(millis = 10) Duration outcomeInterval,
        @DefaultValue("1h") @DurationMin(millis = 10) Duration reconcileInterval,
        @DefaultValue("500") @Min(1) @Max(100_000) int reconcileBatch,
        @DefaultValue("1h") @DurationMin(millis = 10) Duration expiryScanInterval,
        @DefaultValue("15s") @DurationMin(millis = 10) Duration metricsInterval) {
}
