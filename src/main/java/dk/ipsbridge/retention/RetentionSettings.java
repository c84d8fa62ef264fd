package dk.ipsbridge.retention;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long personal data kept for an operator stays ({@code ips.retention.*}).
 *
 * @param failedWork how long a failed record, and a delivery given up, keep the message they are about: after this
 *                   long since it last failed, an open record's original and a failed delivery's payload are dropped,
 *                   and a closed record is deleted
 * @param interval   how often the {@code personal-data-retention} route looks
 */
@Validated
@ConfigurationProperties("ips.retention")
public record RetentionSettings(
        @DefaultValue("30d") @DurationMin(hours = 1) Duration failedWork,
        @DefaultValue("1h") @DurationMin(minutes = 1) Duration interval) {
}
