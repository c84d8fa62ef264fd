package dk.ipsbridge.outcome;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery;
import dk.ipsbridge.outcome.OutcomeWriteBack.OutcomeWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** A jobcenter's outcomes feed that fails keeps its cursor; a failed event is handled anew when replayed. */
@Component
class OutcomeRecovery implements Recovery<OutcomeWork> {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecovery.class);

    private final FailedRecords failed;
    private final OutcomeWriteBack outcomes;

    OutcomeRecovery(FailedRecords failed, OutcomeWriteBack outcomes) {
        this.failed = failed;
        this.outcomes = outcomes;
    }

    @Override
    public Class<OutcomeWork> work() {
        return OutcomeWork.class;
    }

    @Override
    public String stage() {
        return FailedRecords.OUTCOME;
    }

    @Override
    public void retryLater(OutcomeWork outcome, Exception cause) {
        log.warn("jobcenter={} outcomes not read, the cursor stays and the next round retries: {}",
                outcome.jobcenterId(), Recovery.describe(cause));
    }

    @Override
    public void deadLetter(OutcomeWork outcome, Failure failure) {
        failed.record(FailedRecords.OUTCOME, null, outcome.jobcenterId(), "outcomes feed", failure.reason(),
                failure.message(), failure.original(), failure.at());
        log.warn("jobcenter={} outcomes feed failed ({}), the cursor stays", outcome.jobcenterId(), failure.reason());
    }

    @Override
    public void replay(FailedRecord record) {
        outcomes.replay(record.recipient(), record.original());
    }
}
