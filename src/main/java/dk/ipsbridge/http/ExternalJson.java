package dk.ipsbridge.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one way to make an {@link ObjectMapper} for JSON read from outside (EHR answers, jobcenter answers,
 * notifications, failed records' originals). Such input is parsed into trees, never into typed objects chosen by the
 * input:
 * <ul>
 * <li>nesting at most {@value #MAX_NESTING_DEPTH} deep (or as configured), numbers at most
 * {@value #MAX_NUMBER_LENGTH} characters, strings at most {@value #MAX_STRING_LENGTH}, names at most
 * {@value #MAX_NAME_LENGTH} (a {@code StreamConstraintsException} names only the numbers);</li>
 * <li>a duplicate key and content after the JSON value are errors, so that no other reader of the same bytes sees
 * other values than the ones checked;</li>
 * <li>no default typing, and no source excerpt in exception messages (they may quote personal data).</li>
 * </ul>
 */
public final class ExternalJson {

    public static final int MAX_NESTING_DEPTH = 64;
    public static final int MAX_NUMBER_LENGTH = 1000;
    public static final int MAX_STRING_LENGTH = 20_000_000;
    public static final int MAX_NAME_LENGTH = 50_000;

    private ExternalJson() {
    }

    /** A reader with the default limits, made anew: keep it in a field (a configured mapper is thread-safe). */
    public static ObjectMapper mapper() {
        return mapper(MAX_NESTING_DEPTH);
    }

    /** A reader with another nesting limit ({@code ips.notifications.max-nesting-depth}). */
    public static ObjectMapper mapper(int maxNestingDepth) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(limits)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.deactivateDefaultTyping();
        return mapper;
    }
}
