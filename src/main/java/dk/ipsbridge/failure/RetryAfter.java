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

    /** The delay asked for, or null when the header is absent or unreadable. */
    public static Duration parse(String header) {
        return parse(header, Instant.now());
    }

    static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit) && value.length() < 10) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration d = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
