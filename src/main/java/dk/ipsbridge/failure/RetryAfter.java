package dk.ipsbridge.failure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP Retry-After header: delay seconds or an HTTP date. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The delay asked for, or null when the header is absent or unreadable (a negative number, garbage). It is not
     * capped here: {@link Backoff#delay} caps it at {@code ips.operations.max-retry-backoff}.
     */
    public static Duration parse(String header) {
        return parse(header, Instant.now());
    }

    static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // any number of digits is a delay, however long: too many for a long is as long as a delay can be
            return Duration.ofSeconds(value.length() <= 18 ? Long.parseLong(value) : Long.MAX_VALUE);
        }
        try {
            Duration d = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
