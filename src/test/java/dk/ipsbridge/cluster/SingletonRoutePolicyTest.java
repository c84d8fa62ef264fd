package dk.ipsbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dk.ipsbridge.store.TestDatabases;
import dk.ipsbridge.store.TestDatabases.Kind;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Two instances on one database: a singleton route runs on one at a time, and is taken over when a lock expires. */
class SingletonRoutePolicyTest {

    private static final String ROUTE = "singleton-test";
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRunOnOneInstanceAtATime(Kind kind) throws Exception {
        DataSource db = TestDatabases.fresh(kind);
        CountDownLatch aEntered = new CountDownLatch(1);
        CountDownLatch aMayFinish = new CountDownLatch(1);
        AtomicInteger bRuns = new AtomicInteger();
        try (CamelContext a = instance(db, "instance-a", () -> {
            aEntered.countDown();
            aMayFinish.await(10, TimeUnit.SECONDS);
        }); CamelContext b = instance(db, "instance-b", bRuns::incrementAndGet)) {
            CompletableFuture<Void> aRun = CompletableFuture.runAsync(() -> tick(a));
            assertThat(aEntered.await(10, TimeUnit.SECONDS)).isTrue();

            tick(b);
            assertThat(bRuns).hasValue(0); // a holds the lock: b skips this run

            aMayFinish.countDown();
            aRun.get(10, TimeUnit.SECONDS);
            tick(b);
            assertThat(bRuns).hasValue(1); // released at the end of a's run
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldTakeOverWhenTheLockOfADeadInstanceExpires(Kind kind) throws Exception {
        DataSource db = TestDatabases.fresh(kind);
        AtomicInteger bRuns = new AtomicInteger();
        // an instance took the lock for 2 s and died without releasing it
        assertThat(locks(db, "dead-instance").lock(
                new LockConfiguration(Instant.now(), ROUTE, Duration.ofSeconds(2), Duration.ZERO))).isPresent();
        try (CamelContext b = instance(db, "instance-b", bRuns::incrementAndGet)) {
            tick(b);
            assertThat(bRuns).hasValue(0);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                tick(b);
                assertThat(bRuns).hasValue(1);
            });
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private CamelContext instance(DataSource db, String id, Work work) throws Exception {
        Instance instance = new Instance(id, Duration.ofSeconds(30));
        SingletonRoutePolicy policy = new SingletonRoutePolicy(new KeepAliveLockProvider(locks(db, id), keepAlive),
                instance);
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:tick").routeId(ROUTE).routePolicy(policy).process(exchange -> work.run());
            }
        });
        camel.start();
        return camel;
    }

    private static JdbcTemplateLockProvider locks(DataSource db, String id) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(db)).withLockedByValue(id).usingDbTime().build());
    }

    private static void tick(CamelContext camel) {
        camel.createProducerTemplate().sendBody("direct:tick", null);
    }
}
