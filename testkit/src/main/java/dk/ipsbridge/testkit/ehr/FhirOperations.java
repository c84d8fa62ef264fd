package dk.ipsbridge.testkit.ehr;

import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * The interactions on one resource over {@link FhirStore}, apart from HTTP: the REST endpoint and the entries of a
 * transaction or batch both use them. A request a server would refuse throws {@link FhirException}.
 */
final class FhirOperations {

    /**
     * What an interaction answers.
     *
     * @param status  the HTTP status
     * @param body    the resource to answer with, null for none
     * @param version the stored version read or written, for {@code Location}, {@code ETag} and
     *                {@code Last-Modified}; null for none
     * @param wrote   whether this interaction stored {@code version}
     */
    record Outcome(int status, Resource body, Resource version, boolean wrote) {
    }

    private final FhirStore store;

    FhirOperations(FhirStore store) {
        this.store = store;
    }

    Outcome read(String type, String id) {
        Optional<Resource> current = store.current(type, id);
        if (current.isPresent()) {
            return found(current.get());
        }
        if (store.isDeleted(type, id)) {
            throw new FhirException(410, OperationOutcome.IssueType.DELETED, type + "/" + id + " was deleted");
        }
        throw new FhirException(404, OperationOutcome.IssueType.NOTFOUND, type + "/" + id + " is not known");
    }

    Outcome vread(String type, String id, String versionId) {
        FhirStore.Version version = store.version(type, id, versionId).orElseThrow(() -> new FhirException(404,
                OperationOutcome.IssueType.NOTFOUND, type + "/" + id + "/_history/" + versionId + " is not known"));
        if (version.deleted()) {
            throw new FhirException(410, OperationOutcome.IssueType.DELETED,
                    type + "/" + id + "/_history/" + versionId + " is a deletion");
        }
        return found(version.resource());
    }

    /**
     * Create; with {@code ifNoneExist} (a search query, with or without {@code Type?}) a conditional create that
     * answers 200 with the one resource that matches instead of creating another.
     */
    Outcome create(String type, Resource resource, String ifNoneExist) {
        checkType(type, resource);
        return store.atomically(() -> match(type, ifNoneExist).map(FhirOperations::found)
                .orElseGet(() -> insert(type, resource, store.newId())));
    }

    /** Creates {@code resource} under {@code id}, a new one: a transaction assigns ids before it stores. */
    Outcome insert(String type, Resource resource, String id) {
        checkType(type, resource);
        Resource copy = resource.copy();
        copy.setIdElement(new IdType(type, id));
        return written(201, store.put(copy));
    }

    /**
     * The one live resource that {@code ifNoneExist} matches; empty when there is none or no condition.
     *
     * @throws FhirException 412 when it matches more than one
     */
    Optional<Resource> match(String type, String ifNoneExist) {
        if (ifNoneExist == null || ifNoneExist.isBlank()) {
            return Optional.empty();
        }
        String query = ifNoneExist.contains("?") ? ifNoneExist.substring(ifNoneExist.indexOf('?') + 1) : ifNoneExist;
        FhirSearch condition = FhirSearch.parse(type, FhirEndpoint.parseForm(query));
        List<Resource> matches = store.all(type).stream().filter(condition::matches).toList();
        if (matches.size() > 1) {
            throw new FhirException(412, OperationOutcome.IssueType.DUPLICATE,
                    "If-None-Exist matches more than one resource");
        }
        return matches.stream().findFirst();
    }

    /**
     * Update (or create with the id given): 200 when the resource was live, else 201. The body's id, when it has one,
     * must be {@code id}.
     *
     * @param ifMatch an {@code If-Match} ETag ({@code W/"2"}), or null
     */
    Outcome update(String type, String id, Resource resource, String ifMatch) {
        checkType(type, resource);
        String bodyId = resource.getIdElement().getIdPart();
        if (bodyId != null && !bodyId.equals(id)) {
            throw new FhirException(400, OperationOutcome.IssueType.INVALID, "The body's id differs from the URL's");
        }
        return store.atomically(() -> {
            Optional<Resource> current = store.current(type, id);
            if (ifMatch != null && !ifMatch.isBlank() && !current.map(r -> etag(r).equals(weak(ifMatch)))
                    .orElse(false)) {
                throw new FhirException(412, OperationOutcome.IssueType.CONFLICT, "If-Match is not the current version");
            }
            Resource copy = resource.copy();
            copy.setIdElement(new IdType(type, id));
            return written(current.isPresent() ? 200 : 201, store.put(copy));
        });
    }

    /** Delete: 204, also for a resource that is unknown or already deleted (no version is then written). */
    Outcome delete(String type, String id) {
        store.delete(type, id);
        return new Outcome(204, null, null, false);
    }

    /** {@code W/"<versionId>"}. */
    static String etag(Resource version) {
        return "W/\"" + version.getMeta().getVersionId() + "\"";
    }

    /** {@code Type/id/_history/<versionId>}, as HAPI gives it in a transaction response. */
    static String location(Resource version) {
        return version.fhirType() + "/" + version.getIdElement().getIdPart() + "/_history/"
                + version.getMeta().getVersionId();
    }

    private static String weak(String etag) {
        String e = etag.trim();
        return e.startsWith("W/") ? e : "W/\"" + e.replace("\"", "") + "\"";
    }

    private static void checkType(String type, Resource resource) {
        if (resource == null || !resource.fhirType().equals(type)) {
            throw new FhirException(400, OperationOutcome.IssueType.INVALID, "The body is not a " + type);
        }
    }

    private static Outcome found(Resource version) {
        return new Outcome(200, version.copy(), version, false);
    }

    private static Outcome written(int status, Resource version) {
        return new Outcome(status, version.copy(), version, true);
    }
}
