package dk.ipsbridge.notify;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Notification bodies for fuzzing, valid and hostile: R4 Backport bundles and rest-hook resources built from the test
 * kit's fixtures (with the patients each one names), and the same mutated, truncated, nested deep, turned into XML,
 * or replaced by random JSON. Used by {@link NotificationFuzzTest} and, over HTTP, by the notification IT.
 */
public final class NotificationBodies {

    /** One request to the endpoint; {@code type} and {@code id} are set for a PUT. */
    public record Input(String method, String type, String id, String contentType, byte[] body) {

        public String text() {
            return new String(body, UTF_8);
        }

        @Override
        public String toString() {
            String text = text();
            return method + (type == null ? "" : " " + type + "/" + id) + " [" + contentType + "] "
                    + (text.length() > 300 ? text.substring(0, 300) + "... (" + body.length + " bytes)" : text);
        }
    }

    /** A valid input and the patients a reader must mark for it. */
    public record Seed(Input input, Set<String> patients) {
    }

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String FHIR_JSON = "application/fhir+json";
    private static final List<String> TYPES = List.of("handshake", "heartbeat", "event-notification", "query-status",
            "query-event");
    /** Values a mutation puts where another stood: wrong types, hostile references, a CPR, numbers out of range. */
    private static final List<JsonNode> HOSTILE = List.of(NODES.textNode(""), NODES.textNode("Patient/"),
            NODES.textNode("Patient/../../x"), NODES.textNode("Patient/a b"), NODES.textNode("Patient/" + "x".repeat(65)),
            NODES.textNode("0101901234"), NODES.textNode("-1"), NODES.textNode("99999999999999999999"),
            NODES.textNode("Subscription/"), NODES.textNode("http://evil.example/fhir/Patient/p1/_history/2"),
            NODES.textNode("<Patient/>"), NODES.textNode("\u0000"), NODES.numberNode(-1), NODES.numberNode(0),
            NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(1e308), NODES.booleanNode(true), NODES.nullNode(),
            NODES.objectNode(), NODES.arrayNode(), NODES.textNode("Bundle"), NODES.textNode("Parameters"),
            NODES.textNode("history"), NODES.textNode("transaction"), NODES.textNode("heartbeat"));

    private NotificationBodies() {
    }

    /** FHIR ids, the patient ids among them drawn from a small pool so that different resources share patients. */
    static Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.of("p1", "p2", "p3", "anna", "b.o-7"),
                Arbitraries.strings().withChars("abcXYZ0189-.").ofMinLength(1).ofMaxLength(64));
    }

    /** A resource the EHR might notify about: the IPS types (with a patient) and a few others (without). */
    static Arbitrary<Resource> resources() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), ids(), ids(), ids()).as((kind, id, p, q) ->
                switch (kind) {
                    case 0 -> IpsFixtures.patient(p, "0101901234", "Anna", "Test");
                    case 1 -> IpsFixtures.consent(id, p).categories("contact").build();
                    case 2 -> IpsFixtures.referral(id, p, "psy", "jc", LocalDate.of(2026, 1, 2),
                            ServiceRequest.ServiceRequestStatus.ACTIVE);
                    case 3 -> IpsFixtures.episode(id, p, "psy", LocalDate.of(2026, 1, 2),
                            EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
                    case 4 -> IpsFixtures.careTeam(id, p, "Practitioner/c1", "jc", null, "d1");
                    case 5 -> {
                        Appointment a = IpsFixtures.conference(id, p, Instant.parse("2026-01-02T10:00:00Z"),
                                Instant.parse("2026-01-02T11:00:00Z"));
                        a.addParticipant().setActor(IpsFixtures.ref("Patient", q));
                        yield a;
                    }
                    case 6 -> IpsFixtures.employmentGoal(id, p, "Arbejde i et køkken");
                    case 7 -> IpsFixtures.diagnosis(id, p, "F20.0", "Paranoid skizofreni", true);
                    case 8 -> IpsFixtures.employmentOutcome(id, p, "e1", LocalDate.of(2026, 1, 2));
                    default -> IpsFixtures.organization(id, "http://cvr.dk", "12345678", "Jobcenter");
                });
    }

    /** Valid R4 Backport notification bundles of every type and content, and the patients they name. */
    public static Arbitrary<Seed> backport() {
        Arbitrary<List<Resource>> changed = resources().list().ofMaxSize(3);
        return Combinators.combine(Arbitraries.of(TYPES), Arbitraries.longs().between(0, 50), changed,
                Arbitraries.of("", "https://ehr.example/fhir"), Arbitraries.of(true, false))
                .as((type, since, resources, base, full) -> {
                    boolean events = type.equals("event-notification") || type.equals("query-event");
                    List<SubscriptionNotifier.Event> list = new ArrayList<>();
                    Set<String> patients = new HashSet<>();
                    if (events) {
                        for (int i = 0; i < resources.size(); i++) {
                            list.add(new SubscriptionNotifier.Event(since + i + 1, resources.get(i)));
                            if (full) {
                                patients.addAll(patientsOf(resources.get(i)));
                            }
                        }
                    }
                    String body = SubscriptionNotifier.backportBundle(base, type, since + list.size(), list, full);
                    return new Seed(new Input("POST", null, null, FHIR_JSON, body.getBytes(UTF_8)), patients);
                });
    }

    /** Valid rest-hooks with payload ({@code PUT [type]/[id]}), and HAPI's transaction rest-hooks. */
    public static Arbitrary<Seed> restHooks() {
        Arbitrary<Seed> put = resources().map(r -> new Seed(new Input("PUT", r.fhirType(),
                r.getIdElement().getIdPart(), FHIR_JSON, encode(r)), patientsOf(r)));
        Arbitrary<Seed> transaction = resources().list().ofMinSize(1).ofMaxSize(3).map(list -> {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            Set<String> patients = new HashSet<>();
            list.forEach(r -> {
                bundle.addEntry().setResource(r);
                patients.addAll(patientsOf(r));
            });
            return new Seed(new Input("POST", null, null, FHIR_JSON, encode(bundle)), patients);
        });
        return Arbitraries.oneOf(put, transaction);
    }

    public static Arbitrary<Seed> valid() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, backport()), net.jqwik.api.Tuple.of(1, restHooks()));
    }

    /** Valid inputs with one to four mutations: of the JSON tree, of the text, of the bytes, of the content type. */
    public static Arbitrary<Input> mutated() {
        return valid().flatMap(seed -> Arbitraries.randomValue(random -> mutate(seed.input(), random)));
    }

    /** Valid inputs cut off anywhere. */
    public static Arbitrary<Input> truncated() {
        return valid().flatMap(seed -> Arbitraries.integers().between(0, seed.input().body().length - 1)
                .map(n -> with(seed.input(), java.util.Arrays.copyOf(seed.input().body(), n))));
    }

    /** Random JSON values, of any shape, with or without a resourceType. */
    public static Arbitrary<Input> randomJson() {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(Arbitraries.of(HOSTILE),
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode));
        Arbitrary<JsonNode> value = Arbitraries.recursive(() -> leaf, NotificationBodies::container, 0, 6);
        Arbitrary<JsonNode> root = Combinators.combine(value, Arbitraries.of("Bundle", "Parameters", "Patient", "",
                "Konsent")).as((v, type) -> {
                    if (v instanceof ObjectNode o && !type.isEmpty()) {
                        o.put("resourceType", type);
                    }
                    return v;
                });
        return Combinators.combine(root, contentTypes(), Arbitraries.of("POST", "PUT")).as((node, ct, method) ->
                new Input(method, method.equals("PUT") ? "Patient" : null, method.equals("PUT") ? "p1" : null, ct,
                        node.toString().getBytes(UTF_8)));
    }

    /** JSON nested far deeper than the limit, in the places a resource would be. */
    public static Arbitrary<Input> deep() {
        return Combinators.combine(Arbitraries.integers().between(65, 20_000), Arbitraries.of("[", "{\"a\":"))
                .as((depth, open) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String body = "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"resource\":"
                            + open.repeat(depth) + "1" + close.repeat(depth) + "}]}";
                    return new Input("POST", null, null, FHIR_JSON, body.getBytes(UTF_8));
                });
    }

    /** XML, declared as XML or as JSON: never parsed. */
    public static Arbitrary<Input> xml() {
        return Combinators.combine(valid(), Arbitraries.of("application/fhir+xml", "text/xml", FHIR_JSON, null),
                Arbitraries.of("", " \n", "\uFEFF")).as((seed, ct, lead) -> {
                    String body = lead + "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                            + "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"history\"/>&e;<!-- "
                            + seed.input().text() + " --></Bundle>";
                    return new Input("POST", null, null, ct, body.getBytes(UTF_8));
                });
    }

    /** Everything above, for a mixed round. */
    public static Arbitrary<Input> hostile() {
        return Arbitraries.oneOf(mutated(), truncated(), randomJson(), deep(), xml());
    }

    static Set<String> patientsOf(Resource resource) {
        Set<String> ids = new HashSet<>();
        dk.ipsbridge.ehr.EhrIngest.patientIds(resource).forEach(ids::add);
        return ids;
    }

    private static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(FHIR_JSON)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("application/json", "application/json; charset=utf-16", "",
                        "text/plain", "application/x-www-form-urlencoded", "application/fhir+xml")));
    }

    private static Arbitrary<JsonNode> container(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(Arbitraries.of("resourceType", "type", "entry", "resource",
                "parameter", "name", "part", "valueString", "valueReference", "reference", "id", "subject", "patient",
                "x"), inner).as(Map::entry).list().ofMaxSize(4).map(entries -> {
                    ObjectNode o = NODES.objectNode();
                    entries.forEach(e -> o.set(e.getKey(), e.getValue()));
                    return o;
                });
        return Arbitraries.oneOf(array, object);
    }

    private static Input mutate(Input input, Random random) {
        Input result = input;
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            result = switch (random.nextInt(8)) {
                case 0, 1, 2 -> mutateTree(result, random);
                case 3 -> with(result, spliceText(result.text(), random));
                case 4 -> with(result, flipBytes(result.body(), random));
                case 5 -> with(result, duplicateSpan(result.body(), random));
                case 6 -> new Input(result.method(), result.type(), result.id(),
                        List.of(FHIR_JSON, "application/json", "text/plain", "application/xml", "").get(random.nextInt(5)),
                        result.body());
                default -> result.type() == null ? result : new Input(result.method(),
                        random.nextBoolean() ? "Patient" : result.type(), random.nextBoolean() ? "other" : result.id(),
                        result.contentType(), result.body());
            };
        }
        return result;
    }

    /** Replaces, removes or swaps a node of the JSON tree; the text is left as it is when it no longer parses. */
    private static Input mutateTree(Input input, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(input.body());
        } catch (Exception e) {
            return input;
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return input;
        }
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        JsonNode replacement = random.nextInt(4) == 0 ? containers.get(random.nextInt(containers.size())).deepCopy()
                : HOSTILE.get(random.nextInt(HOSTILE.size()));
        if (parent instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(5) == 0) {
                o.remove(name);
            } else {
                o.set(name, replacement);
            }
        } else if (parent instanceof ArrayNode a && a.size() > 0) {
            int index = random.nextInt(a.size());
            if (random.nextInt(5) == 0) {
                a.remove(index);
            } else {
                a.set(index, replacement);
            }
        }
        return with(input, root.toString().getBytes(UTF_8));
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), containers);
            }
        }
    }

    private static byte[] spliceText(String text, Random random) {
        String[] pieces = {"{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "null", "-", "1e999", "<", "Patient/",
                "\"resourceType\":\"Bundle\"", "\u00e6\u00f8\u00e5", "\uD83D\uDE00", "\u0000"};
        int at = text.isEmpty() ? 0 : random.nextInt(text.length());
        int cut = Math.min(text.length() - at, random.nextInt(8));
        return (text.substring(0, at) + pieces[random.nextInt(pieces.length)] + text.substring(at + cut)).getBytes(UTF_8);
    }

    private static byte[] flipBytes(byte[] body, Random random) {
        byte[] copy = body.clone();
        for (int i = 0, n = 1 + random.nextInt(3); i < n && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static byte[] duplicateSpan(byte[] body, Random random) {
        if (body.length == 0) {
            return body;
        }
        int from = random.nextInt(body.length);
        int to = Math.min(body.length, from + 1 + random.nextInt(200));
        byte[] copy = new byte[body.length + to - from];
        System.arraycopy(body, 0, copy, 0, to);
        System.arraycopy(body, from, copy, to, body.length - from);
        return copy;
    }

    private static Input with(Input input, byte[] body) {
        return new Input(input.method(), input.type(), input.id(), input.contentType(), body);
    }

    private static byte[] encode(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource).getBytes(UTF_8);
    }
}
