package dk.ipsbridge.testkit.ehr;

import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A request the mock EHR answers with an error status and an OperationOutcome, as a real server would. The message
 * goes into {@code diagnostics}, so it never holds a value from the request (a CPR must not echo back into logs).
 */
class FhirException extends RuntimeException {

    private final int status;
    private final OperationOutcome.IssueType code;

    FhirException(int status, OperationOutcome.IssueType code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    OperationOutcome.IssueType code() {
        return code;
    }

    /** The OperationOutcome a server answers with. */
    OperationOutcome outcome() {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(code).setDiagnostics(getMessage());
        return oo;
    }
}
