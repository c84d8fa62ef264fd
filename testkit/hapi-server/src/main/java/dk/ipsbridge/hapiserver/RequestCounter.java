package dk.ipsbridge.hapiserver;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts every request that reaches the FHIR servlet (/fhir/*), by HAPI's operation type.
 *
 * <p>Both hooks run before HAPI executes the operation and writes the response, so once a client has its response,
 * that request is already counted: {@code /stats} read after the last response is exact.
 *
 * <ul>
 *   <li>{@code total}: every request HAPI's servlet received (hook SERVER_INCOMING_REQUEST_PRE_PROCESSED), also those
 *       it could not route (unknown resource type, bad method), which have no operation type;
 *   <li>{@code search}: SEARCH_TYPE (GET Type?.. and POST Type/_search), SEARCH_SYSTEM and GET_PAGE (a next link);
 *   <li>{@code read}: READ and VREAD (GET Type/id, GET Type/id/_history/v);
 *   <li>{@code other}: total - search - read (metadata, create, update, transaction, history, unrouted, ...).
 * </ul>
 */
@Interceptor
public class RequestCounter {

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<RestOperationTypeEnum, AtomicLong> byOperation = new EnumMap<>(RestOperationTypeEnum.class);
    private final AtomicReference<Instant> since = new AtomicReference<>(Instant.now());

    public RequestCounter() {
        for (RestOperationTypeEnum type : RestOperationTypeEnum.values()) {
            byOperation.put(type, new AtomicLong());
        }
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean received() {
        received.incrementAndGet();
        return true;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean routed(RequestDetails request) {
        RestOperationTypeEnum type = request.getRestOperationType();
        if (type != null) {
            byOperation.get(type).incrementAndGet();
        }
        return true;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed() {
        errors.incrementAndGet();
        return true;
    }

    public static String category(RestOperationTypeEnum type) {
        switch (type) {
            case SEARCH_TYPE:
            case SEARCH_SYSTEM:
            case GET_PAGE:
                return "search";
            case READ:
            case VREAD:
                return "read";
            default:
                return "other";
        }
    }

    /** A consistent-enough snapshot (counters are read one by one; read it when no request is in flight). */
    public Map<String, Object> snapshot() {
        long search = 0;
        long read = 0;
        long routed = 0;
        Map<String, Long> operations = new LinkedHashMap<>();
        for (Map.Entry<RestOperationTypeEnum, AtomicLong> entry : byOperation.entrySet()) {
            long count = entry.getValue().get();
            if (count == 0) {
                continue;
            }
            operations.put(entry.getKey().name(), count);
            routed += count;
            String category = category(entry.getKey());
            if (category.equals("search")) {
                search += count;
            } else if (category.equals("read")) {
                read += count;
            }
        }
        long total = Math.max(received.get(), routed);
        if (total > routed) {
            operations.put("UNROUTED", total - routed);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("search", search);
        out.put("read", read);
        out.put("other", total - search - read);
        out.put("errors", errors.get());
        out.put("byOperation", operations);
        out.put("since", since.get().toString());
        return out;
    }

    public synchronized void reset() {
        received.set(0);
        errors.set(0);
        byOperation.values().forEach(counter -> counter.set(0));
        since.set(Instant.now());
    }
}
