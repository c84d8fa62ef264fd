package dk.ipsbridge.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Function;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.ehr.EhrSources;
import dk.ipsbridge.failure.FailedRecords;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where an EHR's Subscriptions notify, one base per EHR source ({@code channel.endpoint} =
 * {@code .../fhir/notify/{sourceId}}): {@code POST} for a rest-hook without payload (empty) and for Backport
 * notification bundles, {@code PUT}/{@code DELETE [type]/[id]} for a rest-hook with payload. Answers at once; the
 * EHR is read later, by the review and the poll. Refused input gets a 4xx problem and a failed record; the body is
 * never logged.
 */
@RestController
@RequestMapping("/fhir/notify")
class NotificationController {

    private static final Logger log = LoggerFactory.getLogger(NotificationController.class);
    private static final int ORIGINAL_KEPT = 64 * 1024;

    private final NotificationReader reader;
    private final Notifications notifications;
    private final EhrSources sources;
    private final FailedRecords failed;
    private final NotifyProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;

    NotificationController(FhirContext fhir, Notifications notifications, EhrSources sources, FailedRecords failed,
            NotifyProperties properties, MeterRegistry meters, Clock clock) {
        this.reader = new NotificationReader(fhir, properties.maxNestingDepth());
        this.notifications = notifications;
        this.sources = sources;
        this.failed = failed;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    @PostMapping("/{sourceId}")
    ResponseEntity<ProblemDetail> post(@PathVariable String sourceId, HttpServletRequest request) {
        return handle("POST", sourceId, request, body -> reader.post(body, request.getContentType()));
    }

    @PutMapping("/{sourceId}/{type}/{id}")
    ResponseEntity<ProblemDetail> put(@PathVariable String sourceId, @PathVariable String type,
            @PathVariable String id, HttpServletRequest request) {
        return handle("PUT", sourceId, request, body -> reader.put(body, request.getContentType(), type, id));
    }

    @DeleteMapping("/{sourceId}/{type}/{id}")
    ResponseEntity<ProblemDetail> delete(@PathVariable String sourceId, @PathVariable String type,
            @PathVariable String id, HttpServletRequest request) {
        return handle("DELETE", sourceId, request, body -> reader.delete(type, id));
    }

    private ResponseEntity<ProblemDetail> handle(String method, String sourceId, HttpServletRequest request,
            Function<byte[], Notification> read) {
        byte[] body = null;
        try {
            body = readLimited(request);
            if (!sources.contains(sourceId)) {
                throw new RejectedNotification(404, "unknown-source", "no EHR source of that id is configured");
            }
            notifications.accept(sourceId, read.apply(body));
            return ResponseEntity.ok().build();
        } catch (RejectedNotification e) {
            // the id from the path is not repeated unless it names a configured source
            String source = sources.contains(sourceId) ? sourceId : null;
            failed.record(FailedRecords.NOTIFICATION, source, null, "notification " + method, e.reason(),
                    e.getMessage(), original(body), clock.instant());
            meters.counter(Notifications.METRIC + ".rejected", "reason", e.reason()).increment();
            log.warn("source={} notification {} refused: {} {}", source, method, e.status(), e.reason());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
            problem.setProperty("reason", e.reason());
            // preset, so that an Accept of application/fhir+json does not turn the answer into a 406
            return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
    }

    /** The body, read no further than the limit: Content-Length is only a first check, not trusted. */
    private byte[] readLimited(HttpServletRequest request) {
        long max = properties.maxBodyBytes();
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        try {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw RejectedNotification.badRequest("unreadable-body", "the body could not be read");
        }
    }

    private static RejectedNotification tooLarge(long max) {
        return new RejectedNotification(413, "body-too-large", "the body is larger than " + max + " bytes");
    }

    /** As other failed records keep it: cut short, and storable (PostgreSQL text holds no NUL). */
    private static String original(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = new String(body, 0, Math.min(body.length, ORIGINAL_KEPT), StandardCharsets.UTF_8);
        return text.replace('\u0000', '\uFFFD');
    }
}
