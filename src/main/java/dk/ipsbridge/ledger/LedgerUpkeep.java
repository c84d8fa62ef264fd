package dk.ipsbridge.ledger;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often the ledger's upkeep routes run ({@code camel-routes/ledger-maintenance.yaml}, which reads these settings by
 * name); bound here so that a wrong value refuses start-up instead of a route.
 *
 * @param checkpointCheckInterval how often the {@code ledger-checkpoint} route looks whether a checkpoint is due
 * @param retentionInterval       how often the {@code ledger-retention} route redacts entries past their retention
 */
@Validated
@ConfigurationProperties("ips.ledger")
record LedgerUpkeep(
        @DefaultValue("10s") @DurationMin(seconds = 1) Duration checkpointCheckInterval,
        @DefaultValue("6h") @DurationMin(minutes = 1) Duration retentionInterval) {
}
