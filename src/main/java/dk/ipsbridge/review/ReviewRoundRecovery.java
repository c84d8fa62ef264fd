package dk.ipsbridge.review;

import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import dk.ipsbridge.failure.Recovery;
import org.springframework.stereotype.Component;

/**
 * A review round fails as a whole only where its patients cannot be told apart: the EHR was unavailable for its
 * batched read (each patient is reviewed again later, with backoff), or a fault outside the steps that hand their
 * failures to the one-by-one path. Each patient is then handled as if it had failed alone ({@link ReviewRecovery}).
 */
@Component
class ReviewRoundRecovery implements Recovery<ReviewRound> {

    private final ReviewRecovery patients;

    ReviewRoundRecovery(ReviewRecovery patients) {
        this.patients = patients;
    }

    @Override
    public Class<ReviewRound> work() {
        return ReviewRound.class;
    }

    @Override
    public String stage() {
        return FailedRecords.REVIEW;
    }

    @Override
    public void retryLater(ReviewRound round, Exception cause) {
        round.patients().forEach(key -> patients.retryLater(key, cause));
    }

    @Override
    public void deadLetter(ReviewRound round, Failure failure) {
        round.patients().forEach(key -> patients.deadLetter(key, failure));
    }

    @Override
    public void replay(FailedRecord record) {
        patients.replay(record);
    }
}
