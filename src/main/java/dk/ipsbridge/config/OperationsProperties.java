package dk.ipsbridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** HTTP towards the EHR and the jobcenters ({@code ips.operations.http-timeout}, {@code max-response-bytes}). */
@Validated
@ConfigurationProperties("ips.operations")
public record OperationsProperties(
        @DefaultValue("10s") Duration httpTimeout,
        @DefaultValue("10485760") @Min(1024) long maxResponseBytes) {
}
