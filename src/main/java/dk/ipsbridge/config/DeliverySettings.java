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
 */
@Validated
@ConfigurationProperties("ips.operations")
public record DeliverySettings(
        @DefaultValue("1s") @DurationMin(millis = 10) Duration deliveryInterval,
        @DefaultValue("50") @Min(1) @Max(10_000) int deliveryBatch,
        @DefaultValue("8") @Min(1) int maxDeliveryAttempts) {
}
