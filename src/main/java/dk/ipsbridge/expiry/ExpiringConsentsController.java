package dk.ipsbridge.expiry;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/consents/expiring}: shared cases whose consent must be renewed soon. */
@RestController
class ExpiringConsentsController {

    private final ExpiryWarnings warnings;

    ExpiringConsentsController(ExpiryWarnings warnings) {
        this.warnings = warnings;
    }

    @GetMapping("/api/consents/expiring")
    List<ExpiryWarnings.Expiring> expiring() {
        return warnings.expiring();
    }
}
