package dk.ipsbridge.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link RefusedStart} as Spring Boot's "APPLICATION FAILED TO START", without the stack trace. */
class RefusedStartFailureAnalyzer extends AbstractFailureAnalyzer<RefusedStart> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RefusedStart cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
