package dk.ipsbridge.testkit.ehr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import ca.uhn.fhir.rest.api.Constants;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Transaction and batch bundles ({@code POST [base]}) over {@link FhirOperations}, in the order R4 gives: DELETE,
 * then POST, then PUT, then GET. A transaction is all or nothing and resolves the entries' full URLs (such as
 * {@code urn:uuid:}) in references to the ids it assigns; a batch answers each entry on its own and resolves nothing.
 * The response entries follow the request's order.
 */
final class FhirTransaction {

    /**
     * A processed bundle.
     *
     * @param response the {@code transaction-response} or {@code batch-response}
     * @param written  the versions it stored (creates and updates), in the order stored
     */
    record Result(Bundle response, List<Resource> written) {
    }

    private final FhirStore store;
    private final FhirOperations ops;

    FhirTransaction(FhirStore store, FhirOperations ops) {
        this.store = store;
        this.ops = ops;
    }

    /**
     * Processes {@code request}; a Bundle without a type is taken as a transaction, as HAPI does.
     *
     * @param base the server base, stripped from absolute entry URLs
     * @param get  answers the URL of a GET entry (relative to the base): a read, vread or search
     * @throws FhirException when a transaction fails as a whole; nothing is then stored
     */
    Result process(String base, Bundle request, Function<String, FhirOperations.Outcome> get) {
        Bundle.BundleType type = request.hasType() ? request.getType() : Bundle.BundleType.TRANSACTION;
        if (type != Bundle.BundleType.TRANSACTION && type != Bundle.BundleType.BATCH) {
            throw new FhirException(400, OperationOutcome.IssueType.INVALID,
                    "Unable to process a Bundle of type " + type.toCode() + "; transaction or batch only");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < request.getEntry().size(); i++) {
            entries.add(Entry.of(i, request.getEntry().get(i), base));
        }
        List<Resource> written = new ArrayList<>();
        Bundle response = new Bundle();
        if (type == Bundle.BundleType.BATCH) {
            response.setType(Bundle.BundleType.BATCHRESPONSE);
            entries.forEach(e -> response.addEntry(orError(() -> batchEntry(e, get, written))));
            return new Result(response, written);
        }
        response.setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (Entry e : entries) {
            if (e.invalid() != null) {
                throw e.invalid();
            }
        }
        BundleEntryComponent[] answers = store.atomically(() -> writeAll(entries, written));
        for (Entry e : entries) {
            if (e.method() == HTTPVerb.GET) {
                // on what the writes left; as on HAPI a failing GET fails its entry only
                answers[e.index()] = orError(() -> read(get.apply(e.url())));
            }
        }
        List.of(answers).forEach(response::addEntry);
        return new Result(response, written);
    }

    /** The writes of a transaction; throws (with the entry's index) at the first that fails. */
    private BundleEntryComponent[] writeAll(List<Entry> entries, List<Resource> written) {
        BundleEntryComponent[] answers = new BundleEntryComponent[entries.size()];
        Map<String, String> assigned = new HashMap<>();
        List<Entry> creates = new ArrayList<>();
        for (Entry e : entries) {
            if (e.method() == HTTPVerb.DELETE) {
                answers[e.index()] = e.run(() -> write(ops.delete(e.type(), e.id()), written));
            }
        }
        for (Entry e : entries) {
            if (e.method() == HTTPVerb.POST) {
                var match = e.run(() -> ops.match(e.type(), e.source().getRequest().getIfNoneExist()));
                if (match.isPresent()) {
                    answers[e.index()] = write(new FhirOperations.Outcome(200, null, match.get(), false), written);
                    assigned.put(e.source().getFullUrl(), e.type() + "/" + match.get().getIdElement().getIdPart());
                } else {
                    e.resource().setId(store.newId());
                    assigned.put(e.source().getFullUrl(), e.type() + "/" + e.resource().getIdElement().getIdPart());
                    creates.add(e);
                }
            } else if (e.method() == HTTPVerb.PUT) {
                assigned.put(e.source().getFullUrl(), e.type() + "/" + e.id());
            }
        }
        assigned.remove(null);
        entries.stream().filter(e -> e.resource() != null).forEach(e -> resolve(e.resource(), assigned));
        for (Entry e : creates) {
            answers[e.index()] = e.run(() -> write(ops.insert(e.type(), e.resource(),
                    e.resource().getIdElement().getIdPart()), written));
        }
        for (Entry e : entries) {
            if (e.method() == HTTPVerb.PUT) {
                answers[e.index()] = e.run(() -> write(ops.update(e.type(), e.id(), e.resource(),
                        e.source().getRequest().getIfMatch()), written));
            }
        }
        return answers;
    }

    private BundleEntryComponent batchEntry(Entry e, Function<String, FhirOperations.Outcome> get,
            List<Resource> written) {
        if (e.invalid() != null) {
            throw e.invalid();
        }
        String condition = e.source().getRequest().getIfNoneExist();
        return switch (e.method()) {
            case GET -> read(get.apply(e.url()));
            case POST -> write(ops.create(e.type(), e.resource(), condition), written);
            case PUT -> write(ops.update(e.type(), e.id(), e.resource(), e.source().getRequest().getIfMatch()),
                    written);
            case DELETE -> write(ops.delete(e.type(), e.id()), written);
            default -> throw new IllegalStateException("Entry.of lets no other method through");
        };
    }

    /** Rewrites every reference to a full URL of the bundle to the {@code Type/id} that entry was given. */
    private static void resolve(Resource resource, Map<String, String> assigned) {
        for (Reference ref : MockEhr.FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = assigned.get(ref.getReference());
            if (target != null) {
                ref.setReference(target);
            }
        }
    }

    /** The answer to a write: {@code location}, {@code etag} and {@code lastModified} as HAPI gives them. */
    private static BundleEntryComponent write(FhirOperations.Outcome outcome, List<Resource> written) {
        BundleEntryComponent entry = new BundleEntryComponent();
        entry.getResponse().setStatus(statusLine(outcome.status()));
        Resource version = outcome.version();
        if (version != null) {
            entry.getResponse().setLocation(FhirOperations.location(version)).setEtag(FhirOperations.etag(version))
                    .setLastModified(version.getMeta().getLastUpdated());
        }
        if (outcome.wrote()) {
            written.add(version);
        }
        return entry;
    }

    /** The answer to a GET: the resource (or search Bundle) read. */
    private static BundleEntryComponent read(FhirOperations.Outcome outcome) {
        BundleEntryComponent entry = new BundleEntryComponent().setResource(outcome.body());
        entry.getResponse().setStatus(statusLine(outcome.status()));
        return entry;
    }

    private static BundleEntryComponent orError(Supplier<BundleEntryComponent> work) {
        try {
            return work.get();
        } catch (FhirException e) {
            BundleEntryComponent entry = new BundleEntryComponent();
            entry.getResponse().setStatus(statusLine(e.status())).setOutcome(e.outcome());
            return entry;
        }
    }

    private static String statusLine(int status) {
        String reason = Constants.HTTP_STATUS_NAMES.get(status);
        return reason == null ? String.valueOf(status) : status + " " + reason;
    }

    /**
     * One request entry, parsed.
     *
     * @param url      the URL relative to the base
     * @param type     the resource type the URL names
     * @param id       the id the URL names (PUT, DELETE), else null
     * @param resource a copy of the entry's resource (POST, PUT), references resolved in place; else null
     * @param invalid  why the entry cannot be processed, or null
     */
    private record Entry(int index, BundleEntryComponent source, HTTPVerb method, String url, String type, String id,
            Resource resource, FhirException invalid) {

        static Entry of(int index, BundleEntryComponent source, String base) {
            HTTPVerb method = source.getRequest().getMethod();
            String url = source.getRequest().getUrl();
            if (method == null || method == HTTPVerb.NULL || url == null || url.isBlank()) {
                return invalid(index, source, "has no request.method or request.url");
            }
            if (url.startsWith(base + "/")) {
                url = url.substring(base.length() + 1);
            }
            int q = url.indexOf('?');
            String[] path = (q < 0 ? url : url.substring(0, q)).split("/");
            String type = path[0];
            if (method != HTTPVerb.GET && !MockEhr.FHIR.getResourceTypes().contains(type)) {
                return invalid(index, source, "names no FHIR R4 resource type");
            }
            Resource resource = source.getResource() == null ? null : source.getResource().copy();
            boolean withBody = method == HTTPVerb.POST || method == HTTPVerb.PUT;
            if (withBody && (resource == null || !resource.fhirType().equals(type))) {
                return invalid(index, source, "has no " + type + " resource");
            }
            boolean rightShape = switch (method) {
                case GET -> true;
                case POST -> path.length == 1 && q < 0;
                case PUT, DELETE -> path.length == 2 && q < 0;
                default -> false;
            };
            if (!rightShape) {
                return invalid(index, source, method.toCode() + " " + (q < 0 ? "with this URL" : "with a condition")
                        + " is not supported by the mock EHR");
            }
            return new Entry(index, source, method, url, type, path.length == 2 ? path[1] : null, resource, null);
        }

        private static Entry invalid(int index, BundleEntryComponent source, String problem) {
            return new Entry(index, source, null, null, null, null, null,
                    new FhirException(400, OperationOutcome.IssueType.INVALID, "Entry " + index + " " + problem));
        }

        /** Runs one step of a transaction; a failure names the entry. */
        <T> T run(Supplier<T> step) {
            try {
                return step.get();
            } catch (FhirException e) {
                throw new FhirException(e.status(), e.code(), "Entry " + index + ": " + e.getMessage());
            }
        }
    }
}
