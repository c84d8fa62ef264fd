package dk.ipsbridge.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what comes in ({@code ips.security.*}).
 *
 * @param loginMaxFailures failed password logins (per username and per client address) within {@code login-window}
 *                         after which further attempts get 429 until the window has passed
 * @param loginWindow      how far back failed logins count, and so how long a lock lasts
 * @param maxJsonBody      the largest JSON body the API takes; a larger one gets 413
 */
@Validated
@ConfigurationProperties("ips.security")
record InboundProperties(
        @DefaultValue("5") @Min(1) int loginMaxFailures,
        @DefaultValue("15m") @NotNull Duration loginWindow,
        @DefaultValue("1MB") @NotNull DataSize maxJsonBody) {

    InboundProperties {
        if (loginWindow.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ips.security.login-window must be at least 1s");
        }
        if (maxJsonBody.toBytes() < 1024) {
            throw new IllegalArgumentException("ips.security.max-json-body must be at least 1KB");
        }
    }
}
