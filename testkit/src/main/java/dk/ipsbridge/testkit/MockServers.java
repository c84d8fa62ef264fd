package dk.ipsbridge.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;

/**
 * The mocks as processes of their own, for manual testing and for the demo:
 * <pre>
 * ehr       [--port 8081] [--cohort] [--ignore-param patient,subject]
 *                                                      a mock EHR, empty or with the synthetic cohort
 * jobcenter --id jobcenter-a [--name "Jobcenter Aarhus"] [--port 8082]
 * cohort    [--ehr-port 8081] [--jobcenter-a-port 8082] [--jobcenter-b-port 8083] [--ignore-param patient]
 *                                                      the cohort's EHR and its two jobcenters, as the demo wires them
 * </pre>
 * Ports default to free ones. {@code --ignore-param} makes the EHR lenient: its searches ignore those parameters
 * ({@link MockEhr#ignoreSearchParameter(String)}), so a search by patient returns every patient's resources.
 * {@link #main} prints the base URLs and runs until stopped (Ctrl-C).
 */
public final class MockServers implements AutoCloseable {

    private static final String USAGE = """
            usage: ehr [--port N] [--cohort] [--ignore-param NAME,...]
                   jobcenter --id ID [--name NAME] [--port N]
                   cohort [--ehr-port N] [--jobcenter-a-port N] [--jobcenter-b-port N] [--ignore-param NAME,...]""";

    private final List<MockEhr> ehrs = new ArrayList<>();
    private final List<MockJobcenter> jobcenters = new ArrayList<>();
    private final List<String> ignoredParameters = new ArrayList<>();
    private SyntheticCohort cohort;

    private MockServers() {
    }

    /** Starts what {@code args} ask for; see the class comment. */
    public static MockServers start(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<String, String> options = options(args);
        MockServers servers = new MockServers();
        switch (args[0]) {
            case "ehr" -> {
                MockEhr ehr = servers.ehr(port(options, "--port"), ignored(options));
                if (options.containsKey("--cohort")) {
                    servers.cohort = SyntheticCohort.create(Instant.now());
                    servers.cohort.loadInto(ehr);
                }
            }
            case "jobcenter" -> {
                String id = options.get("--id");
                if (id == null) {
                    throw new IllegalArgumentException("jobcenter needs --id\n" + USAGE);
                }
                servers.jobcenter(id, options.getOrDefault("--name", id), port(options, "--port"));
            }
            case "cohort" -> {
                servers.cohort = SyntheticCohort.create(Instant.now());
                servers.cohort.loadInto(servers.ehr(port(options, "--ehr-port"), ignored(options)));
                servers.jobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME,
                        port(options, "--jobcenter-a-port"));
                servers.jobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME,
                        port(options, "--jobcenter-b-port"));
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + USAGE);
        }
        return servers;
    }

    public List<MockEhr> ehrs() {
        return List.copyOf(ehrs);
    }

    public List<MockJobcenter> jobcenters() {
        return List.copyOf(jobcenters);
    }

    /** The synthetic cohort the EHR was seeded with, or null. */
    public SyntheticCohort cohort() {
        return cohort;
    }

    /** One line per running mock: what it is and its base URL. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        ehrs.forEach(e -> lines.add("Mock EHR" + (cohort == null ? "" : " (" + cohort.patients().size()
                + " synthetic patients)") + (ignoredParameters.isEmpty() ? "" : ", ignoring search parameters "
                + String.join(",", ignoredParameters)) + ": " + e.baseUrl()));
        jobcenters.forEach(j -> lines.add("Mock jobcenter " + j.id() + " (" + j.name() + "): " + j.baseUrl()));
        return lines;
    }

    @Override
    public void close() {
        ehrs.forEach(MockEhr::close);
        jobcenters.forEach(MockJobcenter::close);
    }

    public static void main(String[] args) throws InterruptedException {
        MockServers servers;
        try {
            servers = start(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        servers.describe().forEach(System.out::println);
        Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
        Thread.currentThread().join();
    }

    private MockEhr ehr(int port, List<String> ignored) {
        MockEhr ehr = new MockEhr(port);
        ehrs.add(ehr);
        try {
            ignored.forEach(ehr::ignoreSearchParameter);
        } catch (IllegalArgumentException e) {
            close();
            throw new IllegalArgumentException("--ignore-param: " + e.getMessage() + "\n" + USAGE, e);
        }
        ignoredParameters.addAll(ignored);
        return ehr;
    }

    /** The names of {@code --ignore-param}, comma-separated. */
    private static List<String> ignored(Map<String, String> options) {
        String value = options.get("--ignore-param");
        if (value == null) {
            return List.of();
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--ignore-param needs parameter names, such as patient,subject\n"
                    + USAGE);
        }
        return names;
    }

    private void jobcenter(String id, String name, int port) {
        jobcenters.add(new MockJobcenter(id, name, port));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected " + args[i] + "\n" + USAGE);
            }
            boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
            options.put(args[i], flag ? "" : args[++i]);
        }
        return options;
    }

    private static int port(Map<String, String> options, String name) {
        try {
            return Integer.parseInt(options.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number\n" + USAGE);
        }
    }
}
