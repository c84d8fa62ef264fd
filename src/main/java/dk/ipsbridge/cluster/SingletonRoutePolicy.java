package dk.ipsbridge.cluster;

import java.time.Duration;
import java.time.Instant;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * A route with {@code routePolicy: clusterSingleton} runs on one instance at a time: each run first takes the
 * ShedLock lock named after the route id, and an instance that does not get it skips that run. A timer route's lock is
 * held for at least nine tenths of its period, so that the instances' timers, ticking out of phase, do not each run
 * it once per period. The lock is renewed while a run lasts, and expires one lease (or one period, if longer) after
 * its instance died.
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
        Duration period = route.getEndpoint() instanceof TimerEndpoint timer ? Duration.ofMillis(timer.getPeriod())
                : Duration.ZERO;
        Duration atMost = period.compareTo(instance.lease()) > 0 ? period : instance.lease();
        Duration atLeast = period.multipliedBy(9).dividedBy(10);
        locks.lock(new LockConfiguration(Instant.now(), route.getRouteId(), atMost, atLeast))
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
