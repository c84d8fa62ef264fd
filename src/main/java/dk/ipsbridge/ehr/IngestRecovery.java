package dk.ipsbridge.ehr;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** A failed poll leaves the source's cursor where it was: the next poll reads the same changes again. */
@Component
class IngestRecovery implements Recovery<IngestWork> {

    private static final Logger log = LoggerFactory.getLogger(IngestRecovery.class);

    private final FailedRecords failed;

    IngestRecovery(FailedRecords failed) {
        this.failed = failed;
    }

    @Override
    public Class<IngestWork> work() {
        return IngestWork.class;
    }

    @Override
    public String stage() {
        return FailedRecords.INGEST;
    }

    @Override
    public void retryLater(IngestWork ingest, Exception cause) {
        log.warn("source={} type={} poll failed, the cursor stays and the next poll retries: {}", ingest.sourceId(),
                ingest.resourceType(), Recovery.describe(cause));
    }

    @Override
    public void deadLetter(IngestWork ingest, Failure failure) {
        failed.record(FailedRecords.INGEST, ingest.sourceId(), null, ingest.resourceType() + " search",
                failure.reason(), failure.message(), failure.original(), failure.at());
        log.warn("source={} type={} poll failed ({}), the cursor stays", ingest.sourceId(), ingest.resourceType(),
                failure.reason());
    }

    /** Nothing to redo: a failed poll is retried by the next poll, the patient of an unreadable entry was marked. */
    @Override
    public void replay(FailedRecord record) {
    }
}
