package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the parsing of EHR answers: random text and bytes, and search Bundles of the synthetic cohort mutated
 * (fields deleted, duplicated, given wrong types, CPR-shaped or huge values, deep nesting, unicode, markup, cut
 * short). Whatever comes, parsing ends within {@value #SECONDS_PER_INPUT} s and either reads a page or throws a
 * {@link BadInputException} with a reason from a fixed set whose message quotes no CPR-shaped digits; a page never
 * holds more resources and bad entries than the Bundle has entries. A smaller round goes over real HTTP with fuzzed
 * status codes and content types.
 *
 * <p>jqwik's own report is off for passing properties here ({@code jqwik.reporting.onlyfailures}), so
 * {@link ReportTries} prints the tries and checks of each, and {@link #summary} the totals.
 */
@AddLifecycleHook(value = EhrResponseFuzzTest.ReportTries.class, propagateTo = PropagationMode.DIRECT_DESCENDANTS)
class EhrResponseFuzzTest {

    static final int SECONDS_PER_INPUT = 5;

    /** The reasons parsing may give; over HTTP also {@code response-too-large} and {@code ehr-http-<status>}. */
    private static final Set<String> PARSE_REASONS = Set.of("malformed-response", "unexpected-resource-type",
            "xml-not-accepted", "json-limit-exceeded", "unreadable-resource");
    private static final Pattern CPR_LIKE = Pattern.compile("(?<!\\d)\\d{6}-?\\d{4}(?!\\d)");
    private static final List<String> CPRS = List.of("0101901234", "311299-4321", "2902883333");
    private static final List<String> TYPES = List.of("Patient", "Consent", "ServiceRequest", "EpisodeOfCare",
            "CareTeam", "Appointment", "Goal", "Organization", "Practitioner", "PractitionerRole", "OperationOutcome");

    private static final ObjectMapper LENIENT = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The cohort's resources as JSON, each parsed once: the raw material of the mutated Bundles. */
    private static final List<ObjectNode> FIXTURES = fixtures();

    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static final AtomicLong PARSED = new AtomicLong();
    private static final AtomicLong UNAVAILABLE = new AtomicLong();
    private static final AtomicLong OVER_HTTP = new AtomicLong();
    private static final long STARTED = System.nanoTime();

    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ehr-fuzz");
        t.setDaemon(true);
        return t;
    });

    /** The EHR of the HTTP round, one for the whole class. */
    private static final CannedHttp EHR = new CannedHttp();

    private final EhrClient client = CannedHttp.client(CannedHttp.TEN_MB);

    // --- properties ------------------------------------------------------------------------------------------------

    @Property(tries = 30_000, shrinking = ShrinkingMode.OFF)
    void aSearchPageIsReadOrRejectedWithAReason(@ForAll("answers") String body) {
        Object outcome = within(() -> client.parsePage(body, "Consent search"));
        if (outcome instanceof EhrClient.Page page) {
            int entries = entryCount(body);
            assertThat(page.resources().size() + page.badEntries().size()).isLessThanOrEqualTo(entries);
            page.badEntries().forEach(bad -> assertThat(bad.resourceType() + "/" + bad.id() + " " + bad.problem())
                    .doesNotContainPattern(CPR_LIKE));
        }
        count(outcome, PARSE_REASONS);
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.OFF)
    void aReadIsTheResourceAskedForOrRejectedWithAReason(@ForAll("reads") Tuple.Tuple2<String, String> read) {
        String body = read.get1();
        String type = read.get2();
        Object outcome = within(() -> client.parseResource(body, type, type + " read"));
        if (!(outcome instanceof BadInputException)) {
            assertThat(((org.hl7.fhir.r4.model.Resource) outcome).fhirType()).isEqualTo(type);
        }
        count(outcome, PARSE_REASONS);
    }

    @Property(tries = 2_000, shrinking = ShrinkingMode.OFF)
    void overHttpAnAnswerIsAPageBadInputOrUnavailable(@ForAll("answers") String body,
            @ForAll("statuses") int status, @ForAll("contentTypes") String contentType) {
        EHR.answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        Object outcome = within(() -> {
            try {
                return client.search(EHR.source(), "Consent", Map.of("_count", "10"));
            } catch (UnavailableException e) {
                return e;
            }
        });
        boolean ok = status >= 200 && status <= 299;
        assertThat(outcome instanceof UnavailableException).as("unavailable only for 429 and 5xx")
                .isEqualTo(status == 429 || status >= 500);
        if (ok && contentType != null && contentType.toLowerCase().contains("xml")) {
            assertThat(outcome).isInstanceOfSatisfying(BadInputException.class,
                    e -> assertThat(e.reason()).isEqualTo("xml-not-accepted"));
        }
        OVER_HTTP.incrementAndGet();
        if (outcome instanceof UnavailableException) {
            INPUTS.incrementAndGet();
            UNAVAILABLE.incrementAndGet();
            Statistics.label("outcome").collect("unavailable");
            return;
        }
        Set<String> reasons = new HashSet<>(PARSE_REASONS);
        reasons.add(ok ? "response-too-large" : "ehr-http-" + status);
        count(outcome, reasons);
    }

    // --- inputs ----------------------------------------------------------------------------------------------------

    /** What an EHR might answer a search with: mostly mutated Bundles, some noise. */
    @Provide
    Arbitrary<String> answers() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(300)),
                Tuple.of(2, Arbitraries.strings().withChars("{}[]\":,.-+eE0123456789 \\ntruefalsenul<>?!&;'")
                        .ofMaxLength(300)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                        .map(b -> new String(b, StandardCharsets.UTF_8))),
                Tuple.of(15, Arbitraries.randomValue(r -> mutated(bundle(r), r))));
    }

    /**
     * A read: what an EHR might answer (one mutated resource, mostly of the type asked for, or a search answer) and
     * the type asked for.
     */
    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> reads() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.entries(answers(), Arbitraries.of(TYPES)).map(e -> Tuple.of(e.getKey(),
                        e.getValue()))),
                Tuple.of(4, Arbitraries.randomValue(r -> {
                    ObjectNode resource = pick(FIXTURES, r).deepCopy();
                    String type = r.nextInt(4) == 0 ? pick(TYPES, r) : resource.path("resourceType").asText();
                    return Tuple.of(r.nextInt(5) == 0 ? resource.toString() : mutated(resource, r), type);
                })));
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(200)),
                Tuple.of(3, Arbitraries.of(201, 204, 301, 304, 400, 401, 404, 410, 429, 500, 502, 503)),
                Tuple.of(1, Arbitraries.integers().between(200, 599)));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/fhir+json;charset=utf-8", "application/json", "application/fhir+xml",
                "text/xml", "text/html", "application/octet-stream", "", "APPLICATION/FHIR+XML", null);
    }

    private static List<ObjectNode> fixtures() {
        FhirContext fhir = FhirContext.forR4Cached();
        List<ObjectNode> nodes = new ArrayList<>();
        for (var resource : SyntheticCohort.create(Instant.parse("2026-03-01T08:00:00Z")).resources()) {
            try {
                nodes.add((ObjectNode) LENIENT.readTree(fhir.newJsonParser().encodeResourceToString(resource)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return nodes;
    }

    /** A searchset of 0 to 6 of the cohort's resources, sometimes with a next link. */
    private static ObjectNode bundle(Random r) {
        ObjectNode bundle = NODES.objectNode().put("resourceType", "Bundle").put("type", "searchset");
        ArrayNode entries = bundle.putArray("entry");
        for (int i = r.nextInt(7); i > 0; i--) {
            entries.addObject().set("resource", pick(FIXTURES, r).deepCopy());
        }
        if (r.nextBoolean()) {
            bundle.putArray("link").addObject().put("relation", "next")
                    .put("url", "http://localhost/fhir?p=" + r.nextInt());
        }
        return bundle;
    }

    /** One to four mutations of the tree, then sometimes one of the text. */
    private static String mutated(ObjectNode root, Random r) {
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            mutate(root, r);
        }
        String text = root.toString();
        return r.nextInt(3) == 0 ? mutatedText(text, r) : text;
    }

    private static void mutate(ObjectNode root, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = pick(containers, r);
        if (target instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = pick(names, r);
            switch (r.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(name, value(r));
                case 2 -> object.set(name + (r.nextBoolean() ? "" : "_"), object.get(name).deepCopy());
                default -> object.set(r.nextBoolean() ? "resourceType" : "id", value(r));
            }
        } else if (target instanceof ArrayNode array && array.size() > 0) {
            int i = r.nextInt(array.size());
            switch (r.nextInt(3)) {
                case 0 -> array.add(array.get(i).deepCopy());
                case 1 -> array.set(i, value(r));
                default -> array.remove(i);
            }
        } else if (target instanceof ObjectNode object) {
            object.set("resourceType", value(r));
        }
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    /** A value of any type, often one a field does not expect. */
    private static JsonNode value(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.numberNode(r.nextLong());
            case 3 -> NODES.numberNode(new BigDecimal("9".repeat(1 + r.nextInt(1500)) + "e" + (r.nextInt(2_000_000)
                    - 1_000_000)));
            case 4 -> NODES.textNode(pick(CPRS, r));
            case 5 -> NODES.textNode(pick(TYPES, r));
            case 6 -> NODES.textNode("Patient/" + pick(CPRS, r));
            case 7 -> NODES.textNode("\u0000\uD800\u202E\uFEFF" + "å".repeat(r.nextInt(5)) + "\uDBFF\uDFFF");
            case 8 -> NODES.textNode("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
            case 9 -> nested(1 + r.nextInt(100));
            case 10 -> NODES.objectNode();
            case 11 -> NODES.arrayNode();
            case 12 -> NODES.textNode("x".repeat(r.nextInt(10_000)));
            default -> pick(FIXTURES, r).deepCopy();
        };
    }

    private static JsonNode nested(int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("n", node);
        }
        return node;
    }

    private static String mutatedText(String text, Random r) {
        int at = text.isEmpty() ? 0 : r.nextInt(text.length());
        return switch (r.nextInt(7)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + (char) r.nextInt(0x3000) + text.substring(at);
            case 2 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + r.nextInt(20)));
            case 3 -> "\uFEFF  " + text;
            case 4 -> "<?xml version=\"1.0\"?>" + text;
            case 5 -> text + "}garbage";
            default -> text.replaceFirst("\"resourceType\"", "\"resourceType\":\"Patient\",\"resourceType\"");
        };
    }

    private static <T> T pick(List<T> list, Random r) {
        return list.get(r.nextInt(list.size()));
    }

    // --- checks ----------------------------------------------------------------------------------------------------

    /** What {@code parse} returned, or the {@link BadInputException} it threw; fails on anything else or a hang. */
    private static Object within(Supplier<Object> parse) {
        Future<Object> result = WORKER.submit(() -> {
            try {
                return parse.get();
            } catch (BadInputException e) {
                return e;
            }
        });
        try {
            return result.get(SECONDS_PER_INPUT, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("parsing took longer than " + SECONDS_PER_INPUT + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("parsing threw " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void count(Object outcome, Set<String> reasons) {
        INPUTS.incrementAndGet();
        if (outcome instanceof BadInputException e) {
            assertThat(e.reason()).isIn(reasons);
            assertThat(e.getMessage()).doesNotContainPattern(CPR_LIKE);
            REJECTED.incrementAndGet();
            Statistics.label("outcome").collect(e.reason());
        } else {
            PARSED.incrementAndGet();
            Statistics.label("outcome").collect("parsed");
        }
    }

    /** How many entries the body's Bundle has, read as leniently as JSON allows. */
    private static int entryCount(String body) {
        try {
            return LENIENT.readTree(body.startsWith("\uFEFF") ? body.substring(1) : body).path("entry").size();
        } catch (Exception e) {
            throw new AssertionError("read as a page, yet not JSON", e);
        }
    }

    @AfterContainer
    static void summary() {
        EHR.close();
        System.out.printf("EHR response fuzz: %d inputs (%d over HTTP), %d rejected as bad input, %d parsed, %d "
                + "unavailable (429/5xx), in %.1f s%n", INPUTS.get(), OVER_HTTP.get(), REJECTED.get(), PARSED.get(),
                UNAVAILABLE.get(), (System.nanoTime() - STARTED) / 1e9);
    }

    /** Prints each property's tries and checks, which jqwik reports here only for a failure. */
    static class ReportTries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult result = property.execute();
            System.out.printf("%s: tries = %d, checks = %d, seed = %s%n", context.extendedLabel(),
                    result.countTries(), result.countChecks(), result.seed().orElse("-"));
            return result;
        }
    }
}
