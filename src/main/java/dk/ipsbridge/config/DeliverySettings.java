package dk.ipsbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Delivering to the jobcenters ({@code ips.operations.delivery-*}, {@code max-delivery-attempts}).
 *
 * @param deliveryInterval    how often each jobcenter's outbox is read (the {@code jobcenter-deliver-<id>} timer)
 * @param deliveryBatch       deliveries claimed per jobcenter and round
 * @param maxDeliveryAttempts after this many failed attempts a delivery becomes a failed record
 * @param deliveryConcurrency cases sent to one jobcenter at a time (a case's own messages always go in order)
 * @param deliveryReadMaxAge  a case record goes out without another EHR read while the read it was decided from began
 *                            at most this long ago; an older one (a retry, a backlog, a paused jobcenter) is read and
 *                            decided again first
 */
@Validated
@ConfigurationProperties("ips.operations")
public record DeliverySettings(
        @DefaultValue("250ms") @DurationMin(millis = 10) Duration deliveryInterval,
        @DefaultValue("50") @Min(1) @Max(10_000) int deliveryBatch,
        @DefaultValue("8") @Min(1) int maxDeliveryAttempts,
        @DefaultValue("4") @Min(1) @Max(64) int deliveryConcurrency,
        @DefaultValue("10s") Duration deliveryReadMaxAge) {
}
