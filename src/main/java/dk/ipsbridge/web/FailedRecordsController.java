package dk.ipsbridge.web;

import java.util.List;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.Replays;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The failed records for operators: list, inspect, replay, discard. The original message is not exposed here. */
@RestController
@RequestMapping("/api/failed")
class FailedRecordsController {

    private final FailedRecords failed;
    private final Replays replays;

    FailedRecordsController(FailedRecords failed, Replays replays) {
        this.failed = failed;
        this.replays = replays;
    }

    /** A failed record as an operator sees it: what, why, how often; no original payload. */
    record View(long id, String stage, String sourceId, String recipient, String subject, String reason,
            String message, int occurrences, String firstAt, String lastAt, String status, boolean hasOriginal) {

        static View of(FailedRecords.FailedRecord r) {
            return new View(r.id(), r.stage(), r.sourceId(), r.recipient(), r.subject(), r.reason(), r.message(),
                    r.occurrences(), r.firstAt().toString(), r.lastAt().toString(), r.status(), r.original() != null);
        }
    }

    @GetMapping
    List<View> open() {
        return failed.open().stream().map(View::of).toList();
    }

    @GetMapping("/{id}")
    ResponseEntity<View> one(@PathVariable long id) {
        return ResponseEntity.of(failed.find(id).map(View::of));
    }

    @PostMapping("/{id}/replay")
    ResponseEntity<Void> replay(@PathVariable long id) {
        return replays.replay(id) ? ResponseEntity.accepted().build() : ResponseEntity.notFound().build();
    }

    @PostMapping("/{id}/discard")
    ResponseEntity<Void> discard(@PathVariable long id) {
        return replays.discard(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }
}
