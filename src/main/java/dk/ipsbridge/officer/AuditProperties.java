package dk.ipsbridge.officer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who this adapter is in an audit export ({@code ips.audit.*}): the region that discloses and the adapter that
 * decides, as IHE BALP AuditEvents name them.
 *
 * @param regionName     e.g. {@code Region Midtjylland}
 * @param regionSor      the region's SOR code; required for a BALP export
 * @param adapterId      this installation's id, the observer of every event
 * @param adapterAddress this installation's host name or URL
 */
@ConfigurationProperties("ips.audit")
record AuditProperties(@DefaultValue("") String regionName, @DefaultValue("") String regionSor,
        @DefaultValue("ips-bridge") String adapterId, @DefaultValue("localhost") String adapterAddress) {
}
