package dk.ipsbridge.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several instances on one database. Work rows (patients to review, deliveries) are claimed with
 * {@code select ... for update skip locked} for a lease; singleton routes take a ShedLock lock through the
 * {@code clusterSingleton} route policy. Both expire when an instance dies, so another takes over.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfig {

    @Bean
    Instance instance(ClusterProperties properties) {
        String id = properties.instanceId().isBlank() ? defaultId() : properties.instanceId();
        return new Instance(id, properties.lease());
    }

    /** Locks are timed by the database's clock, so that instances on hosts with skewed clocks agree. */
    @Bean(destroyMethod = "")
    LockProvider lockProvider(DataSource dataSource, Instance instance, ScheduledExecutorService lockKeepAlive) {
        return new KeepAliveLockProvider(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource)).withLockedByValue(instance.id()).usingDbTime()
                .build()), lockKeepAlive);
    }

    /** Renews the locks of singleton routes that run longer than half a lease. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService lockKeepAlive() {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cluster-lock-keep-alive");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String id = host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        return id.length() > 64 ? id.substring(id.length() - 64) : id;
    }
}
