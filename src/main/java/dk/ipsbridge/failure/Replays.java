package dk.ipsbridge.failure;

import java.time.Clock;

import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.jobcenter.Outbox;
import dk.ipsbridge.outcome.OutcomeWriteBack;
import dk.ipsbridge.review.PatientKey;
import dk.ipsbridge.review.ReviewQueue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Replays or discards a failed record. A replayed review reads the patient again and decides anew (so an invalid CPR
 * or unknown recipient fixed in the EHR is shared then); a replayed delivery is checked against the current case
 * before it is sent; a replayed outcome event is handled anew, consent checked again. An ingest record has nothing to
 * redo, so replaying it only acknowledges it: a failed poll is retried by the next poll anyway, the patient of an
 * unreadable entry was marked for review (which fails closed), and a resource repeated across pages was read once.
 */
@Component
public class Replays {

    private final FailedRecords failed;
    private final ReviewQueue reviews;
    private final Outbox outbox;
    private final OutcomeWriteBack outcomes;
    private final Clock clock;

    Replays(FailedRecords failed, ReviewQueue reviews, Outbox outbox, OutcomeWriteBack outcomes, Clock clock) {
        this.failed = failed;
        this.reviews = reviews;
        this.outbox = outbox;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** False when the record is not open. */
    @Transactional
    public boolean replay(long id) {
        FailedRecord record = failed.find(id).filter(r -> "open".equals(r.status())).orElse(null);
        // closed first: if the replay fails again, that is a new open record, not this one counted up and closed
        if (record == null || !failed.close(id, "replayed")) {
            return false;
        }
        switch (record.stage()) {
            case FailedRecords.REVIEW -> reviews.changed(
                    new PatientKey(record.sourceId(), record.subject().substring("Patient/".length())), clock.instant());
            case FailedRecords.DELIVERY -> outbox.requeue(
                    Long.parseLong(record.subject().substring("outbox/".length())), clock.instant());
            case FailedRecords.OUTCOME -> outcomes.replay(record.recipient(), record.original());
            default -> {
                // ingest: a failed poll left the cursor where it was; an unreadable entry or a duplicate lost nothing
            }
        }
        return true;
    }

    public boolean discard(long id) {
        return failed.close(id, "discarded");
    }
}
