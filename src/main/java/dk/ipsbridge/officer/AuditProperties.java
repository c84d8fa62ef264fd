package dk.ipsbridge.officer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who this adapter is in an audit export ({@code ips.audit.*}): the region that discloses and the adapter that
 * decides, as IHE BALP AuditEvents name them.
 *
 * @param regionName     e.g. {@code Region Midtjylland}
 * @param regionSor      the region's SOR code (digits); required for a BALP export
 * @param adapterId      this installation's id, the observer of every event
 * @param adapterAddress this installation's host name or URL
 */
@Validated
@ConfigurationProperties("ips.audit")
record AuditProperties(
        @DefaultValue("") @Size(max = 200) String regionName,
        @DefaultValue("") @Pattern(regexp = "[0-9]{0,20}") String regionSor,
        @DefaultValue("ips-bridge") @NotBlank @Size(max = 64) String adapterId,
        @DefaultValue("localhost") @NotBlank @Size(max = 255) String adapterAddress) {
}
