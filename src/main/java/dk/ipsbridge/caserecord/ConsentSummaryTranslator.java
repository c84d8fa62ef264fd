package dk.ipsbridge.caserecord;

import java.util.Comparator;
import java.util.Set;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;

/** The consent a Share rests on to {@code consent}: id, version, dates and the shared categories in enum order. */
final class ConsentSummaryTranslator {

    /** @throws IllegalArgumentException when the basis lacks what the contract requires */
    IpsCaseRecord.ConsentSummary translate(GateDecision.ConsentBasis basis, Set<DataCategory> categories) {
        if (basis == null || FhirValues.text(basis.consentId()) == null || basis.givenOn() == null
                || basis.expiresOn() == null) {
            throw new IllegalArgumentException("a Share needs a consent with id, givenOn and expiresOn");
        }
        return new IpsCaseRecord.ConsentSummary(basis.consentId(), FhirValues.text(basis.version()),
                basis.givenOn().toString(), basis.expiresOn().toString(),
                categories.stream().sorted(Comparator.naturalOrder()).map(DataCategory::code).toList());
    }
}
