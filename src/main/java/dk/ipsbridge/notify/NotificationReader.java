package dk.ipsbridge.notify;

import static dk.ipsbridge.notify.RejectedNotification.badRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.ehr.EhrIngest;
import dk.ipsbridge.http.ExternalJson;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads a notification without trusting it: JSON only (XML is refused unread), nesting limited before HAPI sees
 * anything, the R4 Subscriptions Backport bundle checked part by part. What comes out is who changed (patient ids
 * named in the resources carried) or that the source must be polled; anything else is a {@link RejectedNotification}.
 * Pure: no I/O, no Spring.
 */
final class NotificationReader {

    /** FHIR's id syntax: the only patient ids that are ever marked. */
    static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    /** More events in one notification are refused; more patients are not marked one by one but polled. */
    static final int MAX_EVENTS = 1000;
    static final int MAX_PATIENTS = 1000;

    private static final Set<String> BACKPORT_TYPES = Set.of("handshake", "heartbeat", "event-notification",
            "query-status", "query-event");
    private static final List<String> NUMBER_FIELDS = List.of("valueString", "valueInteger64", "valueUnsignedInt",
            "valuePositiveInt", "valueInteger");

    private final FhirContext fhir;
    private final int maxNestingDepth;
    private final ObjectMapper json;

    NotificationReader(FhirContext fhir, int maxNestingDepth) {
        this.fhir = fhir;
        this.maxNestingDepth = maxNestingDepth;
        this.json = ExternalJson.mapper(maxNestingDepth);
    }

    /** {@code POST}: an empty rest-hook, a Backport notification bundle, or a rest-hook transaction bundle. */
    Notification post(byte[] body, String contentType) {
        if (isBlank(body)) {
            return new Notification("rest-hook-empty", null, null, List.of(), Set.of(), true);
        }
        JsonNode root = json(body, contentType);
        if (!"Bundle".equals(text(root.path("resourceType")))) {
            throw badRequest("unexpected-resource-type", "a notification is a Bundle");
        }
        String type = text(root.path("type"));
        if ("history".equals(type)) {
            return backport(root.path("entry"));
        }
        if ("transaction".equals(type) || "batch".equals(type)) {
            return transaction(root.path("entry"));
        }
        throw badRequest("unsupported-bundle-type",
                "a notification Bundle is of type history (Subscriptions Backport) or transaction (rest-hook)");
    }

    /** {@code PUT [type]/[id]}: a rest-hook with payload, the resource as it is now. */
    Notification put(byte[] body, String contentType, String type, String id) {
        checkPath(type, id);
        if (isBlank(body)) {
            throw badRequest("missing-resource", "a rest-hook with payload carries the resource");
        }
        JsonNode root = json(body, contentType);
        if (!type.equals(text(root.path("resourceType")))) {
            throw badRequest("path-mismatch", "the resource's type differs from the PUT path");
        }
        if (root.has("id") && !id.equals(text(root.path("id")))) {
            throw badRequest("path-mismatch", "the resource's id differs from the PUT path");
        }
        Resource resource = resource(root, id);
        return notification("rest-hook-resource", null, null, List.of(), List.of(resource), false);
    }

    /**
     * {@code DELETE [type]/[id]}: a rest-hook for a deleted resource. A deleted patient is marked, and so are the
     * patients whose cases rest on a deleted Consent. Whose another deleted resource was cannot be known without it
     * (polling does not see deletions either): every shared patient is read again within
     * {@code ips.operations.recheck-interval} for that.
     */
    Notification delete(String type, String id) {
        checkPath(type, id);
        return new Notification("rest-hook-delete", null, null, List.of(),
                "Patient".equals(type) ? Set.of(id) : Set.of(), false, "Consent".equals(type) ? id : null);
    }

    private Notification backport(JsonNode entries) {
        JsonNode status = entries.path(0).path("resource");
        if (!"Parameters".equals(text(status.path("resourceType")))) {
            throw badRequest("not-a-notification",
                    "the first entry of a notification Bundle is the R4 Parameters subscription status");
        }
        String subscription = "";
        String type = "";
        Long since = null;
        List<Event> events = new ArrayList<>();
        for (JsonNode parameter : status.path("parameter")) {
            switch (text(parameter.path("name"))) {
                case "subscription" -> subscription = text(parameter.path("valueReference").path("reference"));
                case "type" -> type = text(parameter.path("valueCode"));
                case "events-since-subscription-start" -> since = number(parameter, "events-since-subscription-start");
                case "notification-event" -> events.add(event(parameter));
                default -> {
                    // status, topic, error: nothing the adapter acts on
                }
            }
            if (events.size() > MAX_EVENTS) {
                throw badRequest("too-many-events", "a notification carries more than " + MAX_EVENTS + " events");
            }
        }
        String key = PatientSnapshot.key(subscription);
        if (!key.startsWith("Subscription/") || !FHIR_ID.matcher(key.substring("Subscription/".length())).matches()) {
            throw badRequest("bad-subscription", "the subscription status names no Subscription by id");
        }
        if (!BACKPORT_TYPES.contains(type)) {
            throw badRequest("unknown-notification-type",
                    "type is one of handshake, heartbeat, event-notification, query-status, query-event");
        }
        Carried carried = carried(entries, 1);
        Set<String> keys = carried.resources().stream().map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .collect(Collectors.toSet());
        boolean carriesAll = carried.complete() && events.stream()
                .allMatch(e -> e.focus() != null && keys.contains(PatientSnapshot.key(e.focus())));
        boolean announces = "event-notification".equals(type) || "query-event".equals(type);
        boolean poll = "handshake".equals(type) || announces && !carriesAll;
        List<Long> numbers = events.stream().map(Event::number).distinct().sorted().toList();
        return notification(type, key, since, numbers, carried.resources(), poll);
    }

    /** HAPI's rest-hook with payload search criteria: a transaction of the resources found. */
    private Notification transaction(JsonNode entries) {
        Carried carried = carried(entries, 0);
        return notification("rest-hook-transaction", null, null, List.of(), carried.resources(), !carried.complete());
    }

    /** The resources of the entries from {@code first} on; complete when there are some and no entry is bare. */
    private record Carried(List<Resource> resources, boolean complete) {
    }

    private Carried carried(JsonNode entries, int first) {
        List<Resource> resources = new ArrayList<>();
        boolean bare = false;
        for (int i = first; i < entries.size() && entries.isArray(); i++) {
            JsonNode resource = entries.get(i).path("resource");
            if (resource.isMissingNode() || resource.isNull()) {
                bare = true; // id-only: the URL without the resource
            } else {
                resources.add(resource(resource, null));
            }
        }
        return new Carried(resources, !bare && !resources.isEmpty());
    }

    private record Event(long number, String focus) {
    }

    private Event event(JsonNode parameter) {
        Long number = null;
        String focus = null;
        for (JsonNode part : parameter.path("part")) {
            switch (text(part.path("name"))) {
                case "event-number" -> number = number(part, "event-number");
                case "focus" -> focus = text(part.path("valueReference").path("reference"));
                default -> {
                    // timestamp, additional-context
                }
            }
        }
        if (number == null) {
            throw badRequest("bad-event-number", "a notification-event has no event-number");
        }
        return new Event(number, focus == null || focus.isEmpty() ? null : focus);
    }

    /** A count or event number: R4 carries them as strings; integers are taken too. */
    private static long number(JsonNode parameter, String what) {
        for (String field : NUMBER_FIELDS) {
            JsonNode value = parameter.path(field);
            if (value.isMissingNode()) {
                continue;
            }
            if (value.isTextual() && value.asText().matches("[0-9]{1,18}")) {
                return Long.parseLong(value.asText());
            }
            if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
                return value.asLong();
            }
            break;
        }
        throw badRequest("bad-event-number", what + " is not a whole number of at most 18 digits");
    }

    private Notification notification(String kind, String subscription, Long since, List<Long> numbers,
            List<Resource> resources, boolean poll) {
        Set<String> patients = resources.stream().flatMap(EhrIngest::patientIds)
                .filter(id -> FHIR_ID.matcher(id).matches()).collect(Collectors.toCollection(TreeSet::new));
        if (patients.size() > MAX_PATIENTS) {
            return new Notification(kind, subscription, since, numbers, Set.of(), true); // the poll reads them
        }
        return new Notification(kind, subscription, since, numbers, Set.copyOf(patients), poll);
    }

    /** A resource carried, parsed by HAPI from a subtree already checked as bounded JSON. */
    private Resource resource(JsonNode node, String pathId) {
        if (!node.isObject()) {
            throw badRequest("malformed-fhir", "a resource is not a JSON object");
        }
        JsonNode id = node.path("id");
        if (!id.isMissingNode() && !(id.isTextual() && FHIR_ID.matcher(id.asText()).matches())) {
            // HAPI would read "Other/p2" as the id p2 of the resource's own type: an id is checked before parsing
            throw badRequest("bad-id", "a resource's id is not a FHIR id");
        }
        Resource resource;
        try {
            resource = (Resource) fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false))
                    .parseResource(node.toString());
        } catch (RuntimeException e) {
            // DataFormatException, and on some hostile input a NullPointerException from inside HAPI's parser
            // (an extension array holding a string, found by NotificationFuzzTest): either way not FHIR
            throw badRequest("malformed-fhir", "a resource is not valid FHIR R4 JSON (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (pathId != null && !resource.getIdElement().hasIdPart()) {
            resource.setId(pathId);
        }
        if (!resource.getIdElement().hasIdPart()) {
            throw badRequest("resource-without-id", "a resource carried has no id");
        }
        return resource;
    }

    private void checkPath(String type, String id) {
        if (!fhir.getResourceTypes().contains(type)) {
            throw badRequest("unknown-resource-type", "the path names no FHIR R4 resource type");
        }
        if (!FHIR_ID.matcher(id).matches()) {
            throw badRequest("bad-id", "the path's id is not a FHIR id");
        }
    }

    private JsonNode json(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("xml") || startsWithAngle(body)) {
            throw new RejectedNotification(415, "xml-not-accepted", "XML is not read here; send application/fhir+json");
        }
        if (!type.isEmpty() && !type.contains("json")) {
            throw new RejectedNotification(415, "unsupported-media-type", "send application/fhir+json");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw badRequest("json-limit", "the JSON nests deeper than " + maxNestingDepth
                    + " levels or holds an over-long number or name");
        } catch (JacksonException e) {
            throw badRequest("malformed-json", "the body is not JSON (" + e.getClass().getSimpleName() + ")");
        } catch (java.io.IOException e) {
            throw badRequest("malformed-json", "the body cannot be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw badRequest("malformed-json", "the body is not a JSON object");
        }
        return root;
    }

    private static boolean startsWithAngle(byte[] body) {
        int i = body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF
                ? 3 : 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        return i < body.length && body[i] == '<';
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** A JSON string's value, or "" for anything else: no number, object or array passes for a code or a name. */
    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : "";
    }
}
