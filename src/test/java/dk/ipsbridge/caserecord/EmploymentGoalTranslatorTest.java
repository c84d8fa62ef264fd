package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Goal;
import org.junit.jupiter.api.Test;

import dk.ipsbridge.testkit.fhir.IpsFixtures;

class EmploymentGoalTranslatorTest {

    private final EmploymentGoalTranslator translator = new EmploymentGoalTranslator();

    @Test
    void shouldTakeTheDescriptionText() {
        assertThat(translator.translate(CaseFixtures.rich()))
                .isEqualTo(new IpsCaseRecord.EmploymentGoal("Job som pædagogmedhjælper, 15 timer om ugen"));
    }

    @Test
    void shouldPreferTheActiveGoalOverPlannedAndCompletedOnes() {
        Goal completed = goal("g1", "Tidligere mål", Goal.GoalLifecycleStatus.COMPLETED);
        Goal planned = goal("g2", "Planlagt mål", Goal.GoalLifecycleStatus.PLANNED);
        Goal active = goal("g3", "Aktivt mål", Goal.GoalLifecycleStatus.ACTIVE);

        assertThat(translator.translate(CaseFixtures.snapshot().goal(completed).goal(planned).goal(active).build()))
                .isEqualTo(new IpsCaseRecord.EmploymentGoal("Aktivt mål"));
    }

    @Test
    void shouldNeverShareCancelledRejectedOrEnteredInErrorGoals() {
        assertThat(translator.translate(CaseFixtures.snapshot()
                .goal(goal("g1", "a", Goal.GoalLifecycleStatus.CANCELLED))
                .goal(goal("g2", "b", Goal.GoalLifecycleStatus.REJECTED))
                .goal(goal("g3", "c", Goal.GoalLifecycleStatus.ENTEREDINERROR)).build())).isNull();
    }

    @Test
    void shouldIgnoreGoalsOfOtherCategoriesAndGoalsWithoutText() {
        Goal other = goal("g1", "Tabe sig", Goal.GoalLifecycleStatus.ACTIVE);
        other.getCategoryFirstRep().getCodingFirstRep().setCode("dietary");
        Goal blank = goal("g2", " ", Goal.GoalLifecycleStatus.ACTIVE);
        Goal held = goal("g3", "På pause", Goal.GoalLifecycleStatus.ONHOLD);

        assertThat(translator.translate(CaseFixtures.snapshot().goal(other).goal(blank).goal(held).build()))
                .isEqualTo(new IpsCaseRecord.EmploymentGoal("På pause"));
    }

    private static Goal goal(String id, String text, Goal.GoalLifecycleStatus status) {
        return IpsFixtures.employmentGoal(id, "p1", text).setLifecycleStatus(status);
    }
}
