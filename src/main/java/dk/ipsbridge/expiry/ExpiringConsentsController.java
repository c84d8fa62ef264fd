package dk.ipsbridge.expiry;

import java.util.List;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.security.Officer;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/consents/expiring}: shared cases whose consent must be renewed soon, within the officer's scope. */
@RestController
class ExpiringConsentsController {

    private final ExpiryWarnings warnings;
    private final IpsProperties properties;

    ExpiringConsentsController(ExpiryWarnings warnings, IpsProperties properties) {
        this.warnings = warnings;
        this.properties = properties;
    }

    @GetMapping("/api/consents/expiring")
    List<ExpiryWarnings.Expiring> expiring(Authentication authentication) {
        Officer officer = Officer.of(authentication, properties.region());
        return warnings.expiring().stream().filter(e -> officer.covers(e.recipient())).toList();
    }
}
