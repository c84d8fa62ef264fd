package dk.ipsbridge.cluster;

import java.time.Duration;

import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * This adapter among the instances that share one database ({@code ips.cluster.*}).
 *
 * @param instanceId how this instance signs its claims and locks (at most 64 letters, digits, {@code .-_:}); empty means
 *                   host name, process id and a random part
 * @param lease      how long a claim or a lock holds without renewal: when an instance dies, another takes its work
 *                   over at the latest this long after. At least 30 s (ShedLock renews locks at half of it).
 */
@Validated
@ConfigurationProperties("ips.cluster")
record ClusterProperties(
        @DefaultValue("") @Pattern(regexp = "[A-Za-z0-9._:-]{0,64}") String instanceId,
        @DefaultValue("30s") @DurationMin(seconds = 30) Duration lease) {
}
