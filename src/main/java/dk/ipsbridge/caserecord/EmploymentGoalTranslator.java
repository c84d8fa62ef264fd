package dk.ipsbridge.caserecord;

import java.util.Comparator;

import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;
import org.hl7.fhir.r4.model.Goal;

/**
 * The Goal with category {@code ips#employment-goal} to {@code employmentGoal}: an active goal before a planned or
 * held one before a completed one; cancelled, rejected and entered-in-error goals never. Null without a text.
 */
final class EmploymentGoalTranslator {

    private static final int EXCLUDED = -1;

    IpsCaseRecord.EmploymentGoal translate(PatientSnapshot snapshot) {
        return snapshot.goals().stream()
                .filter(g -> FhirValues.hasCoding(g.getCategory(), IpsCodes.IPS_SYSTEM, IpsCodes.EMPLOYMENT_GOAL))
                .filter(g -> rank(g.getLifecycleStatus()) != EXCLUDED)
                .filter(g -> FhirValues.text(g.getDescription().getText()) != null)
                .min(Comparator.comparingInt(g -> rank(g.getLifecycleStatus())))
                .map(g -> new IpsCaseRecord.EmploymentGoal(FhirValues.text(g.getDescription().getText())))
                .orElse(null);
    }

    /** Lower is preferred; {@link #EXCLUDED} is never shared. */
    static int rank(Goal.GoalLifecycleStatus status) {
        if (status == null) {
            return 3;
        }
        switch (status) {
            case ACTIVE:
                return 0;
            case ACCEPTED, PLANNED, PROPOSED, ONHOLD:
                return 1;
            case COMPLETED:
                return 2;
            case CANCELLED, ENTEREDINERROR, REJECTED:
                return EXCLUDED;
            default: // NULL and any code this version does not know
                return 3;
        }
    }
}
