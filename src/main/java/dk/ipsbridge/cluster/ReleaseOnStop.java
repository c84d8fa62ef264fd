package dk.ipsbridge.cluster;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A graceful stop drains: Camel stops first and lets the rounds in flight finish (up to
 * {@code camel.main.shutdown-timeout}); then, in a later shutdown phase while the database is still open, this
 * releases the claims the instance still holds, so that another instance (or this one, restarted) takes the work at
 * once instead of after a lease. After a kill nothing is released and the leases run out instead, unless the instance
 * comes back under the same {@code ips.cluster.instance-id}: what that id still holds at start-up was left by its
 * previous run, which is dead, and is released at once.
 */
@Component
class ReleaseOnStop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReleaseOnStop.class);

    private final List<Claims> claims;
    private final Instance instance;
    private final JdbcClient jdbc;
    private volatile boolean running;

    ReleaseOnStop(List<Claims> claims, Instance instance, JdbcClient jdbc) {
        this.claims = List.copyOf(claims);
        this.instance = instance;
        this.jdbc = jdbc;
    }

    @Override
    public void start() {
        int locks = jdbc.sql("delete from shedlock where locked_by = ?").param(instance.id()).update();
        release(locks, "started; released what its previous run left");
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        release(0, "stopped; released");
    }

    private void release(int locks, String what) {
        int total = locks;
        StringBuilder released = new StringBuilder();
        for (Claims claim : claims) {
            int count = claim.release(instance.id());
            total += count;
            released.append(count).append(' ').append(claim.what()).append(", ");
        }
        if (total > 0 || !running) {
            log.info("instance={} {} {}{} locks", instance.id(), what, released, locks);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before Camel starts its routes and stopped after Camel (the last phase), while the database is open. */
    @Override
    public int getPhase() {
        return 0;
    }
}
