package dk.ipsbridge.failure;

import java.util.List;

import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Replays or discards a failed record; what a replay means is its stage's {@link Recovery}. A replayed review reads
 * the patient again and decides anew (so an invalid CPR or unknown recipient fixed in the EHR is shared then); a
 * replayed delivery is checked against the current case before it is sent; a replayed outcome event is handled anew,
 * consent checked again. An ingest or notification record has nothing to redo, so replaying it only acknowledges it:
 * a failed poll is retried by the next poll anyway, the patient of an unreadable entry was marked for review (which
 * fails closed), and a resource repeated across pages was read once.
 */
@Component
public class Replays {

    private final FailedRecords failed;
    private final List<Recovery<?>> recoveries;

    Replays(FailedRecords failed, List<Recovery<?>> recoveries) {
        this.failed = failed;
        this.recoveries = List.copyOf(recoveries);
    }

    /** False when the record is not open. */
    @Transactional
    public boolean replay(long id) {
        FailedRecord record = failed.find(id).filter(r -> "open".equals(r.status())).orElse(null);
        // closed first: if the replay fails again, that is a new open record, not this one counted up and closed
        if (record == null || !failed.close(id, "replayed")) {
            return false;
        }
        recoveries.stream().filter(recovery -> recovery.stage().equals(record.stage())).findFirst()
                .ifPresent(recovery -> recovery.replay(record));
        return true;
    }

    public boolean discard(long id) {
        return failed.close(id, "discarded");
    }
}
