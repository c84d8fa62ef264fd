package dk.ipsbridge.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.http.BoundedHttp;
import dk.ipsbridge.http.PeerHealth;
import dk.ipsbridge.ledger.LedgerKeys;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code /actuator/health/readiness} covers besides the store ({@code db}): each EHR source and jobcenter
 * ({@code peers}, a component each: {@code ehr-<id>}, {@code jobcenter-<id>}) and the ledger's keys
 * ({@code ledgerKeys}). Components are named by configured ids only; their details (when the peer last answered,
 * when and how it last failed) name no person and no request. Operators see them when logged in
 * ({@code management.endpoint.health}, config/application.yml).
 */
@Configuration(proxyBeanMethods = false)
class HealthConfig {

    /** A peer is down when this many calls in a row got no answer, or one meaning "retry later" (429, 5xx). */
    static final int FAILURES_DOWN = 3;

    /** Named {@code peers} in the health endpoint (the suffix is dropped). */
    @Bean
    HealthContributor peersHealthContributor(IpsProperties properties, BoundedHttp http) {
        Map<String, HealthIndicator> peers = new LinkedHashMap<>();
        properties.sources().forEach(source -> peers.put("ehr-" + source.id(),
                () -> health(http.health().of(BoundedHttp.key(source)))));
        properties.jobcenters().forEach(jobcenter -> peers.put("jobcenter-" + jobcenter.id(),
                () -> health(http.health().of(BoundedHttp.key(jobcenter)))));
        return CompositeHealthContributor.fromMap(peers);
    }

    static Health health(Optional<PeerHealth.State> state) {
        if (state.isEmpty()) {
            return Health.unknown().withDetail("calls", "none yet").build();
        }
        PeerHealth.State s = state.get();
        Health.Builder health = s.failuresInARow() >= FAILURES_DOWN ? Health.down() : Health.up();
        detail(health, "lastAnswer", s.lastAnswer());
        detail(health, "lastFailure", s.lastFailure());
        if (s.problem() != null) {
            health.withDetail("lastProblem", s.problem());
        }
        return health.withDetail("failuresInARow", s.failuresInARow()).build();
    }

    private static void detail(Health.Builder health, String name, Instant at) {
        if (at != null) {
            health.withDetail(name, at.toString());
        }
    }

    /** {@code ledgerKeys}: the ledger can append, checkpoint and protect CPR numbers only with all its keys. */
    @Bean
    HealthIndicator ledgerKeysHealthIndicator(LedgerKeys keys) {
        return () -> keys.complete() ? Health.up().build()
                : Health.down().withDetail("missingSettings", keys.missingSettings()).build();
    }
}
