package dk.ipsbridge.review;

import java.util.ArrayList;
import java.util.List;

import dk.ipsbridge.patient.PatientKey;

/**
 * One round of the {@code patient-review} route: the patients it claimed, decided together (one batched EHR read,
 * one transaction), and those it could not settle that way, which are decided one by one as before.
 *
 * @param patients the patients claimed for the round
 * @param reviews  the patients being decided together, as they pass the round's steps
 * @param oneByOne the patients left to the {@code patient-decide} route, one unit of work each
 * @param full     the claim was as large as a round may be: more patients may be due, so another round follows at once
 */
public record ReviewRound(List<PatientKey> patients, List<Review> reviews, List<PatientKey> oneByOne, boolean full) {

    public ReviewRound {
        patients = List.copyOf(patients);
        reviews = List.copyOf(reviews);
        oneByOne = List.copyOf(oneByOne);
    }

    static ReviewRound of(List<PatientKey> patients, int batch) {
        return new ReviewRound(patients, List.of(), List.of(), patients.size() >= batch);
    }

    /** The same round with these reviews, and these patients added to those decided one by one. */
    ReviewRound next(List<Review> newReviews, List<PatientKey> alsoOneByOne) {
        List<PatientKey> left = new ArrayList<>(oneByOne);
        left.addAll(alsoOneByOne);
        return new ReviewRound(patients, newReviews, left, full);
    }

    @Override
    public String toString() {
        return "ReviewRound[" + patients.size() + " patients, " + reviews.size() + " together, " + oneByOne.size()
                + " one by one]";
    }
}
