package dk.ipsbridge.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dk.ipsbridge.config.IpsProperties.Jobcenter;
import org.springframework.stereotype.Component;

/** The configured jobcenters, found by id or by an organisation identifier a consent names. */
@Component
public class JobcenterDirectory {

    private final Map<String, Jobcenter> byId = new HashMap<>();
    private final Map<String, String> idByIdentifier = new HashMap<>();
    private final List<Jobcenter> all;

    public JobcenterDirectory(IpsProperties properties) {
        this.all = List.copyOf(properties.jobcenters());
        for (Jobcenter jobcenter : all) {
            if (byId.put(jobcenter.id(), jobcenter) != null) {
                throw new IllegalStateException("ips.jobcenters: the id " + jobcenter.id() + " is used twice");
            }
            for (String identifier : jobcenter.organizationIdentifiers()) {
                String previous = idByIdentifier.put(identifier, jobcenter.id());
                if (previous != null && !previous.equals(jobcenter.id())) {
                    throw new IllegalStateException("ips.jobcenters: the organisation identifier " + identifier
                            + " names both " + previous + " and " + jobcenter.id());
                }
            }
        }
        for (IpsProperties.Source source : properties.sources()) {
            for (String jobcenter : source.jobcenters()) {
                if (!byId.containsKey(jobcenter)) {
                    throw new IllegalStateException("ips.sources: the source " + source.id() + " lists the jobcenter "
                            + jobcenter + ", which is no id of ips.jobcenters");
                }
            }
        }
    }

    /** The jobcenter an organisation identifier names, if one is configured. */
    public Optional<String> jobcenterFor(String system, String value) {
        return Optional.ofNullable(idByIdentifier.get(system + "|" + value));
    }

    public Optional<Jobcenter> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Jobcenter> all() {
        return all;
    }

    /** A configured jobcenter the outbox holds work for. */
    public Jobcenter recipient(String jobcenterId) {
        return get(jobcenterId).orElseThrow(() -> new IllegalStateException(
                "outbox holds work for jobcenter " + jobcenterId + ", which is no longer configured"));
    }
}
