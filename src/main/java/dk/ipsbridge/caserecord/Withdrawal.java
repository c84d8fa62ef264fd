package dk.ipsbridge.caserecord;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The jobcenter API's Withdrawal: stop sharing, erase what was received. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Withdrawal(String reason, String effectiveAt, String consentId) {
}
