package dk.ipsbridge.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dk.ipsbridge.IpsBridgeApplication;
import dk.ipsbridge.testkit.cohort.ProgrammeCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One of the four programmes of {@code config/examples/} against the kit's mocks (issue 18): a mock EHR per source
 * holding the cohort shaped like it ({@link ProgrammeCohort}), a mock jobcenter for every jobcenter the file names,
 * and the adapter started with the file and only the endpoints from outside, as the environment would give them. For
 * the demo ({@code -Dips.demo.programme=region-syddanmark}) and {@code ProgrammesIT}.
 */
public final class ProgrammeWorld implements AutoCloseable {

    /** The programmes, by their file in {@code config/examples/}, and the cohorts of their sources. */
    public static final Map<String, List<Function<Instant, ProgrammeCohort>>> PROGRAMMES = Map.of(
            "ips-vestsjaelland", List.of(ProgrammeCohort::vestsjaelland),
            "region-hovedstaden", List.of(ProgrammeCohort::hovedstaden),
            "region-syddanmark", List.of(ProgrammeCohort::syddanmarkLokalpsykiatri, ProgrammeCohort::syddanmarkAtt),
            "copenhagen-substance-use", List.of(ProgrammeCohort::hovedstaden, ProgrammeCohort::koebenhavnMisbrug));

    private static final Pattern JOBCENTER = Pattern.compile("- id: (jc-[a-z-]+)");

    private final String programme;
    private final List<ProgrammeCohort> cohorts;
    private final Map<String, MockEhr> ehrs = new LinkedHashMap<>();
    private final Map<String, MockJobcenter> jobcenters = new LinkedHashMap<>();
    private ConfigurableApplicationContext adapter;

    private ProgrammeWorld(String programme, List<ProgrammeCohort> cohorts) {
        this.programme = programme;
        this.cohorts = cohorts;
    }

    /** The mocks of a programme, each source's cohort stored in its EHR; the adapter is not started yet. */
    public static ProgrammeWorld prepare(String programme, Instant now) {
        List<Function<Instant, ProgrammeCohort>> sources = PROGRAMMES.get(programme);
        if (sources == null) {
            throw new IllegalArgumentException("no programme " + programme + "; one of " + PROGRAMMES.keySet());
        }
        ProgrammeWorld world = new ProgrammeWorld(programme, sources.stream().map(f -> f.apply(now)).toList());
        for (ProgrammeCohort cohort : world.cohorts) {
            cohort.loadInto(world.ehrs.computeIfAbsent(cohort.sourceId(), s -> new MockEhr()));
        }
        Matcher m = JOBCENTER.matcher(world.yaml());
        while (m.find()) {
            world.jobcenters.put(m.group(1), new MockJobcenter(m.group(1), m.group(1)));
        }
        return world;
    }

    /**
     * Starts the adapter with {@code config/examples/<programme>.yml}, the mocks' endpoints as its environment
     * variables name them, and these settings ({@code key=value}) on top.
     */
    public ConfigurableApplicationContext start(List<String> settings) {
        List<String> args = new ArrayList<>(List.of("spring.config.additional-location=file:" + file(),
                "ips.security.allow-plain-http=true"));
        ehrs.forEach((source, ehr) -> args.add("IPS_SOURCE_" + env(source) + "_URL=" + ehr.baseUrl()));
        jobcenters.forEach((id, jc) -> args.add("IPS_JOBCENTER_" + env(id.substring(3)) + "_URL=" + jc.baseUrl()));
        args.addAll(settings);
        adapter = new SpringApplicationBuilder(IpsBridgeApplication.class)
                .run(args.stream().map(a -> a.startsWith("--") ? a : "--" + a).toArray(String[]::new));
        return adapter;
    }

    public String programme() {
        return programme;
    }

    public List<ProgrammeCohort> cohorts() {
        return cohorts;
    }

    public MockEhr ehr(String sourceId) {
        return ehrs.get(sourceId);
    }

    public Map<String, MockJobcenter> jobcenters() {
        return jobcenters;
    }

    /** Case records the jobcenters hold. */
    public int cases() {
        return jobcenters.values().stream().mapToInt(j -> j.cases().size()).sum();
    }

    public String baseUrl() {
        return "http://localhost:" + adapter.getEnvironment().getProperty("local.server.port");
    }

    public ConfigurableApplicationContext adapter() {
        return adapter;
    }

    private Path file() {
        return Path.of("config", "examples", programme + ".yml");
    }

    private String yaml() {
        try {
            return Files.readString(file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String env(String id) {
        return id.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public void close() {
        if (adapter != null) {
            adapter.close();
        }
        ehrs.values().forEach(MockEhr::close);
        jobcenters.values().forEach(MockJobcenter::close);
    }
}
