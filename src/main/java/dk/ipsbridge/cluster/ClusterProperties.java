package dk.ipsbridge.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This adapter among the instances that share one database ({@code ips.cluster.*}).
 *
 * @param instanceId how this instance signs its claims and locks; empty means host name, process id and a random part
 * @param lease      how long a claim or a lock holds without renewal: when an instance dies, another takes its work
 *                   over at the latest this long after. At least 30 s (ShedLock renews locks at half of it).
 */
@ConfigurationProperties("ips.cluster")
record ClusterProperties(@DefaultValue("") String instanceId, @DefaultValue("30s") Duration lease) {
}
