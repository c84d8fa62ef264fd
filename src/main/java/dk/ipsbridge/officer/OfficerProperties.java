package dk.ipsbridge.officer;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What a consent officer's search must name ({@code ips.officer.*}).
 *
 * @param maxSearchPeriod the longest period a search by period alone may cover; a search needs a CPR number, a
 *                        consultant, a consent or such a period, so that no search lists every citizen
 */
@Validated
@ConfigurationProperties("ips.officer")
record OfficerProperties(@DefaultValue("31d") @DurationMin(days = 1) Duration maxSearchPeriod) {
}
