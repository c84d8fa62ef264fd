package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;

class ConsentSummaryTranslatorTest {

    private final ConsentSummaryTranslator translator = new ConsentSummaryTranslator();

    @Test
    void shouldListCategoriesInEnumOrder() {
        assertThat(translator.translate(CaseFixtures.consent(),
                Set.of(DataCategory.OUTCOMES, DataCategory.CONTACT, DataCategory.DIAGNOSIS, DataCategory.REFERRAL)))
                .isEqualTo(new IpsCaseRecord.ConsentSummary("consent-1", "3", "2026-01-05", "2027-01-05",
                        java.util.List.of("contact", "referral", "diagnosis", "outcomes")));
    }

    @Test
    void shouldOmitMissingVersionAndKeepEmptyCategories() {
        GateDecision.ConsentBasis basis = new GateDecision.ConsentBasis("k9", null, LocalDate.of(2026, 2, 1),
                LocalDate.of(2026, 6, 30));

        assertThat(translator.translate(basis, EnumSet.noneOf(DataCategory.class))).isEqualTo(
                new IpsCaseRecord.ConsentSummary("k9", null, "2026-02-01", "2026-06-30", java.util.List.of()));
    }

    @Test
    void shouldRejectAShareWithoutConsentDates() {
        assertThatThrownBy(() -> translator.translate(new GateDecision.ConsentBasis("k9", null, null, null), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> translator.translate(null, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
