package dk.ipsbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** How hard the adapter works and how it backs off ({@code ips.operations.*}). */
@Validated
@ConfigurationProperties("ips.operations")
public record OperationsProperties(
        @DefaultValue("2s") Duration reviewInterval,
        @DefaultValue("50") @Min(1) int reviewBatch,
        @DefaultValue("1s") Duration deliveryInterval,
        @DefaultValue("50") @Min(1) int deliveryBatch,
        @DefaultValue("8") @Min(1) int maxDeliveryAttempts,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("10m") Duration maxRetryBackoff,
        @DefaultValue("1000") @Min(1) int maxPagesPerPoll,
        @DefaultValue("1h") Duration expiryScanInterval,
        @DefaultValue("5m") Duration outcomeInterval,
        @DefaultValue("1h") Duration reconcileInterval,
        @DefaultValue("500") @Min(1) int reconcileBatch,
        @DefaultValue("1s") Duration pollCheckInterval,
        @DefaultValue("24h") Duration recheckInterval) {
}
