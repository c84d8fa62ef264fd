package dk.ipsbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.notify.NotificationBodies.Input;
import dk.ipsbridge.notify.NotificationBodies.Seed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes the notification reader with generated and mutated bodies: valid R4 Backport bundles and rest-hooks, the
 * same mutated in their JSON tree, text and bytes, truncated, nested deep, as XML, and random JSON. Two promises
 * hold for every input: the reader answers with a notification or refuses with a reason (no other exception), and it
 * never marks a patient the input does not name. Valid inputs are read exactly. Prints the number of inputs run.
 *
 * <p>Named {@code *Test} so that Surefire's default includes run it with the unit tests.
 */
class NotificationFuzzTest {

    private static final NotificationReader READER = new NotificationReader(NotificationReaderTest.FHIR, 64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LongAdder INPUTS = new LongAdder();
    private static final LongAdder MARKING = new LongAdder();
    private static final Map<String, LongAdder> OUTCOMES = new ConcurrentHashMap<>();
    private static final AtomicLong STARTED = new AtomicLong();

    @BeforeContainer
    static void start() {
        STARTED.set(System.nanoTime());
    }

    @AfterContainer
    static void summary() {
        Map<String, Long> outcomes = new TreeMap<>();
        OUTCOMES.forEach((k, v) -> outcomes.put(k, v.sum()));
        System.out.printf("NotificationFuzzTest: %,d inputs in %.1f s; accepted %,d (%,d marking patients), "
                + "refused by reason %s; no other exception, no patient marked that the input does not name%n",
                INPUTS.sum(), (System.nanoTime() - STARTED.get()) / 1e9, outcomes.getOrDefault("accepted", 0L),
                MARKING.sum(), outcomes.entrySet().stream().filter(e -> !e.getKey().equals("accepted")).toList());
    }

    @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
    void validNotificationsAreReadExactly(@ForAll("valid") Seed seed) {
        Notification n = read(seed.input());
        assertThat(n).as("accepted").isNotNull();
        assertThat(n.patientIds()).isEqualTo(seed.patients());
    }

    @Property(tries = 10_000, edgeCases = EdgeCasesMode.NONE)
    void mutatedNotificationsAreReadOrRefusedAndMarkOnlyNamedPatients(@ForAll("mutated") Input input) {
        readSafely(input);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void truncatedNotificationsAreReadOrRefused(@ForAll("truncated") Input input) {
        readSafely(input);
    }

    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    void randomJsonIsReadOrRefused(@ForAll("randomJson") Input input) {
        readSafely(input);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void deepNestingIsRefusedBeforeFhirParsing(@ForAll("deep") Input input) {
        assertThat(refusal(input)).isEqualTo("json-limit");
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void xmlIsRefusedUnread(@ForAll("xml") Input input) {
        assertThat(refusal(input)).isEqualTo("xml-not-accepted");
    }

    @Provide
    Arbitrary<Seed> valid() {
        return NotificationBodies.valid();
    }

    @Provide
    Arbitrary<Input> mutated() {
        return NotificationBodies.mutated();
    }

    @Provide
    Arbitrary<Input> truncated() {
        return NotificationBodies.truncated();
    }

    @Provide
    Arbitrary<Input> randomJson() {
        return NotificationBodies.randomJson();
    }

    @Provide
    Arbitrary<Input> deep() {
        return NotificationBodies.deep();
    }

    @Provide
    Arbitrary<Input> xml() {
        return NotificationBodies.xml();
    }

    /** Read or refused, and whatever is marked is named in the input. */
    private static void readSafely(Input input) {
        Notification n = read(input);
        if (n != null && !n.patientIds().isEmpty()) {
            Set<String> strings = strings(input);
            assertThat(n.patientIds()).allSatisfy(id -> assertThat(strings)
                    .as("patient %s is named in the input", id)
                    .anyMatch(s -> s.equals(id) || s.contains("Patient/" + id)));
        }
    }

    private static String refusal(Input input) {
        read(input);
        return lastRefusal.get();
    }

    private static final ThreadLocal<String> lastRefusal = new ThreadLocal<>();

    /** The notification, or null when refused; any other exception fails the property. */
    private static Notification read(Input input) {
        INPUTS.increment();
        lastRefusal.set(null);
        try {
            Notification n = switch (input.method()) {
                case "PUT" -> READER.put(input.body(), input.contentType(), input.type(), input.id());
                default -> READER.post(input.body(), input.contentType());
            };
            outcome("accepted");
            if (!n.patientIds().isEmpty()) {
                MARKING.increment();
            }
            return n;
        } catch (RejectedNotification e) {
            assertThat(e.status()).isBetween(400, 499);
            assertThat(e.getMessage()).doesNotContain("0101901234");
            outcome(e.reason());
            lastRefusal.set(e.reason());
            return null;
        }
    }

    private static void outcome(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        Statistics.collect(outcome);
    }

    /**
     * What an input names: every scalar value as text (HAPI reads {@code "id": -1} as the id "-1"), and the path's id.
     */
    private static Set<String> strings(Input input) {
        Set<String> strings = new HashSet<>();
        if (input.id() != null) {
            strings.add(input.id());
        }
        try {
            collect(JSON.readTree(input.body()), strings);
        } catch (Exception e) {
            // not JSON: only the path can name a patient
        }
        return strings;
    }

    private static void collect(JsonNode node, Set<String> strings) {
        if (node.isValueNode()) {
            strings.add(node.asText());
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            collect(it.next(), strings);
        }
    }
}
