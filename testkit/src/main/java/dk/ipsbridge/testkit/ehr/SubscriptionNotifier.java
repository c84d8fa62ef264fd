package dk.ipsbridge.testkit.ehr;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * The mock EHR's Subscription: after every {@link MockEhr#store} of a resource it notifies an endpoint, the way a
 * FHIR R4 server does, in one of the {@link Mode}s. Switches make it duplicate, reorder or drop notifications, and it
 * sends handshakes and heartbeats on demand. Every notification is one Backport event, numbered from 1; a dropped
 * one still takes its number, as a lost notification does.
 *
 * <pre>{@code
 * SubscriptionNotifier notifier = new SubscriptionNotifier(adapterBase + "/fhir/notify/ehr", "ehr", password,
 *         Mode.BACKPORT_FULL_RESOURCE).attachTo(ehr);
 * notifier.duplicate(true);
 * ehr.store(consent); // the adapter is notified twice of event 1
 * }</pre>
 */
public final class SubscriptionNotifier {

    /** How a notification looks. */
    public enum Mode {
        /** R4 rest-hook without payload: an empty {@code POST [endpoint]}. */
        REST_HOOK_EMPTY,
        /** R4 rest-hook with payload: {@code PUT [endpoint]/[type]/[id]} with the resource, as HAPI sends it. */
        REST_HOOK_PAYLOAD,
        /** Subscriptions Backport notification bundles, {@code POST [endpoint]}, content {@code empty}. */
        BACKPORT_EMPTY,
        /** ... content {@code id-only}: the changed resource's URL, without the resource. */
        BACKPORT_ID_ONLY,
        /** ... content {@code full-resource}. */
        BACKPORT_FULL_RESOURCE
    }

    /** The Subscription's id at the mock EHR, as the notifications name it. */
    public static final String SUBSCRIPTION_ID = "ips-bridge";

    private final String endpoint;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    private String fhirBase = "";
    private Mode mode;
    private long events;
    private boolean duplicate;
    private boolean reorder;
    private int drop;
    private Runnable held;

    /**
     * @param endpoint {@code Subscription.channel.endpoint}, e.g. {@code http://localhost:8080/fhir/notify/ehr}
     * @param username sent with HTTP Basic, as {@code Subscription.channel.header} would carry it
     */
    public SubscriptionNotifier(String endpoint, String username, String password, Mode mode) {
        this.endpoint = endpoint;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.mode = mode;
    }

    /** Notifies after every store of {@code ehr}; the notifications name the Subscription at its base URL. */
    public SubscriptionNotifier attachTo(MockEhr ehr) {
        fhirBase = ehr.baseUrl();
        ehr.onStore(this::stored);
        return this;
    }

    public synchronized SubscriptionNotifier mode(Mode newMode) {
        mode = newMode;
        return this;
    }

    /** Sends every notification twice. */
    public synchronized SubscriptionNotifier duplicate(boolean on) {
        duplicate = on;
        return this;
    }

    /** Holds each notification back until the next one has been sent ({@link #flush} sends one still held). */
    public synchronized SubscriptionNotifier reorder(boolean on) {
        reorder = on;
        return this;
    }

    /** Loses the next {@code count} notifications; their event numbers are used up all the same. */
    public synchronized SubscriptionNotifier dropNext(int count) {
        drop = count;
        return this;
    }

    /** Sends a notification held back by {@link #reorder}, if any. */
    public synchronized void flush() {
        if (held != null) {
            Runnable send = held;
            held = null;
            send.run();
        }
    }

    /** A Backport handshake: the subscription (re)starts, counting the events so far. */
    public synchronized void handshake() {
        post(backportBundle(fhirBase, "handshake", events, List.of(), false));
    }

    /** A Backport heartbeat: the count of events so far, also those dropped. */
    public synchronized void heartbeat() {
        post(backportBundle(fhirBase, "heartbeat", events, List.of(), false));
    }

    /** Events so far (the Backport {@code events-since-subscription-start}). */
    public synchronized long eventsSinceStart() {
        return events;
    }

    /** The HTTP status of every notification sent, in order. */
    public List<Integer> statuses() {
        synchronized (statuses) {
            return List.copyOf(statuses);
        }
    }

    private synchronized void stored(Resource resource) {
        long number = ++events;
        Runnable send = switch (mode) {
            case REST_HOOK_EMPTY -> () -> send("POST", endpoint, null, null);
            case REST_HOOK_PAYLOAD -> {
                String url = endpoint + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                String body = MockEhr.FHIR.newJsonParser().encodeResourceToString(resource);
                yield () -> send("PUT", url, body, "application/fhir+json");
            }
            case BACKPORT_EMPTY, BACKPORT_ID_ONLY, BACKPORT_FULL_RESOURCE -> {
                String body = backportBundle(fhirBase, "event-notification", number,
                        mode == Mode.BACKPORT_EMPTY ? List.of() : List.of(new Event(number, resource)),
                        mode == Mode.BACKPORT_FULL_RESOURCE);
                yield () -> post(body);
            }
        };
        if (drop > 0) {
            drop--;
            return;
        }
        Runnable once = duplicate ? () -> {
            send.run();
            send.run();
        } : send;
        if (reorder && held == null) {
            held = once;
        } else {
            once.run();
            flush();
        }
    }

    private void post(String body) {
        send("POST", endpoint, body, "application/fhir+json");
    }

    private void send(String method, String url, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            statuses.add(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            statuses.add(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            statuses.add(-1);
        }
    }

    /** One Backport event: its number and the resource that changed (for the focus, and the entry unless empty). */
    public record Event(long number, Resource resource) {
    }

    /**
     * An R4 Subscriptions Backport (STU 1.1) notification bundle: a {@code history} Bundle whose first entry is the
     * {@code Parameters} subscription status, then one entry per event's resource: with the resource when
     * {@code fullResource}, else its URL only (id-only). Without events, it is an empty notification.
     *
     * @param fhirBase the notifying server's base URL, or "" for relative references
     * @param type     handshake, heartbeat, event-notification, query-status or query-event
     */
    public static String backportBundle(String fhirBase, String type, long eventsSinceStart, List<Event> events,
            boolean fullResource) {
        String prefix = fhirBase.isEmpty() ? "" : fhirBase + "/";
        String subscriptionUrl = prefix + "Subscription/" + SUBSCRIPTION_ID;
        Parameters status = new Parameters();
        status.setId(UUID.randomUUID().toString());
        status.addParameter().setName("subscription").setValue(new Reference(subscriptionUrl));
        status.addParameter().setName("status").setValue(new CodeType("active"));
        status.addParameter().setName("type").setValue(new CodeType(type));
        status.addParameter().setName("events-since-subscription-start")
                .setValue(new StringType(String.valueOf(eventsSinceStart)));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTimestamp(new Date());
        bundle.setId(UUID.randomUUID().toString());
        bundle.addEntry().setFullUrl("urn:uuid:" + status.getId()).setResource(status)
                .setRequest(new Bundle.BundleEntryRequestComponent().setMethod(Bundle.HTTPVerb.GET)
                        .setUrl(subscriptionUrl + "/$status"))
                .setResponse(new Bundle.BundleEntryResponseComponent().setStatus("200"));
        for (Event event : events) {
            String relative = event.resource().fhirType() + "/" + event.resource().getIdElement().getIdPart();
            Parameters.ParametersParameterComponent notification = status.addParameter().setName("notification-event");
            notification.addPart().setName("event-number").setValue(new StringType(String.valueOf(event.number())));
            notification.addPart().setName("timestamp").setValue(new InstantType(new Date()));
            notification.addPart().setName("focus").setValue(new Reference(prefix + relative));
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(prefix + relative)
                    .setRequest(new Bundle.BundleEntryRequestComponent().setMethod(Bundle.HTTPVerb.PUT).setUrl(relative))
                    .setResponse(new Bundle.BundleEntryResponseComponent().setStatus("200"));
            if (fullResource) {
                entry.setResource(event.resource());
            }
        }
        return MockEhr.FHIR.newJsonParser().encodeResourceToString(bundle);
    }
}
