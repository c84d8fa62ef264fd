package dk.ipsbridge.cluster;

import java.time.Duration;
import java.time.Instant;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * A route with {@code routePolicy: clusterSingleton} runs on one instance at a time: each run first takes the
 * ShedLock lock named after the route id, and an instance that does not get it skips that run. The lock is released
 * when the run ends, renewed while it lasts, and expires one lease after its instance died.
 */
@Component("clusterSingleton")
class SingletonRoutePolicy extends RoutePolicySupport {

    private static final String LOCK = "ipsClusterLock";

    private final LockProvider locks;
    private final Instance instance;

    SingletonRoutePolicy(LockProvider locks, Instance instance) {
        this.locks = locks;
        this.instance = instance;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        locks.lock(new LockConfiguration(Instant.now(), route.getRouteId(), instance.lease(), Duration.ZERO))
                .ifPresentOrElse(lock -> exchange.setProperty(LOCK, lock), () -> exchange.setRouteStop(true));
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        SimpleLock lock = exchange.getProperty(LOCK, SimpleLock.class);
        if (lock != null) {
            lock.unlock();
        }
    }
}
