package dk.ipsbridge.web;

import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.failure.UnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** An EHR that is down or answers nonsense is the EHR's problem, and the API says so instead of a bare 500. */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(UnavailableException.class)
    ProblemDetail unavailable(UnavailableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The EHR is unavailable; try again later");
    }

    @ExceptionHandler(BadInputException.class)
    ProblemDetail badInput(BadInputException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "The EHR answered with data that cannot be read: " + e.reason());
    }
}
