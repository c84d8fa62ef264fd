package dk.ipsbridge.config;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The embedded H2 default is for trying the adapter out: it keeps case state, decisions and the ledger's search hashes
 * in a file that nothing encrypts, and only one instance can use it. Outside the demo ({@code ips.demo=true}) it says
 * so loudly at every start.
 */
@Component
class EmbeddedStoreWarning {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreWarning.class);

    private final Environment environment;

    EmbeddedStoreWarning(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warn() {
        warning(environment.getProperty("spring.datasource.url", ""),
                environment.getProperty("ips.demo", Boolean.class, false)).ifPresent(LOG::warn);
    }

    /** The warning for this store, if it deserves one. */
    static Optional<String> warning(String url, boolean demo) {
        if (demo || !url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String where = url.startsWith("jdbc:h2:mem:") ? "in memory" : "in a file";
        return Optional.of(String.join(System.lineSeparator(), "",
                "*".repeat(100),
                "* The store is the embedded H2 database, " + where + ". It holds personal data (case state,",
                "* decisions, the ledger) UNENCRYPTED and serves ONE instance only. In production, set",
                "* spring.datasource.url to PostgreSQL on an encrypted volume (README, \"Configuration\").",
                "*".repeat(100)));
    }
}
