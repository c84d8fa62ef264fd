package dk.ipsbridge.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one benchmark run measures and at which sizes, from system properties ({@code -Dbench.*}); an empty value
 * takes the default. {@code -Dbench.quick=true} makes the defaults those of a trial run (1,000 patients, 10,000
 * ledger entries, short JMH runs); a size given explicitly wins over either.
 *
 * @param patients         end-to-end sizes (patients loaded and shared), on every database
 * @param known            sizes at which the cost of a fixed batch of changes is measured (patients already shared)
 * @param databases        {@code h2} (file, the adapter's default) and/or {@code postgres} (embedded, durable)
 * @param batch            the fixed batch of changed patients of the cost-growth measure
 * @param latencySamples   patient syncs timed in the steady phase, changed at {@code changeRate} per second
 * @param revocations      consents withdrawn, at {@code revocationRate} per second
 * @param limitPatients    patients through the practical limit and the plain Camel route
 * @param threads          threads of the practical limit and the plain Camel route
 * @param ledgerEntries    the ledger's size for proof size and full verification
 * @param stallSeconds     a phase that makes no progress this long is given up (and reported as incomplete)
 * @param parts            which parts run: {@code e2e}, {@code limit}, {@code camel}, {@code jmh},
 *                         {@code validation}, {@code ledger}, {@code hapi}
 * @param adapterJvmArgs   JVM options added after the README's for the adapter, separated by spaces (for example
 *                         {@code -XX:StartFlightRecording=filename=adapter.jfr} to profile a run)
 * @param hapiJar          the test kit's HAPI FHIR JPA server ({@code mvn -B -f testkit/hapi-server/pom.xml package})
 * @param hapiPatients     patients of the initial load against it
 * @param installed        start the adapter as the README, the systemd unit and the container install it: unpacked
 *                         by {@code packaging/cds-archive.sh} with its class data sharing archive ({@code bench.cds},
 *                         default true); false starts the plain jar
 */
record Settings(List<Integer> patients, List<Integer> known, List<String> databases, int batch, int latencySamples,
        double changeRate, int revocations, double revocationRate, int limitPatients, int threads, long ledgerEntries,
        boolean quick, int stallSeconds, Set<String> parts, List<String> adapterJvmArgs, Path jar, Path output,
        String command, Path hapiJar, int hapiPatients, boolean installed) {

    static Settings fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(get("bench.quick", "false"));
        List<Integer> patients = ints(get("bench.patients", quick ? "1000" : "10000,100000"));
        return new Settings(patients,
                ints(get("bench.known", quick ? "1000" : "1000,10000,100000")),
                List.of(get("bench.databases", "h2,postgres").split(",")),
                Integer.parseInt(get("bench.batch", "1000")),
                Integer.parseInt(get("bench.latency-samples", quick ? "100" : "500")),
                Double.parseDouble(get("bench.change-rate", "5")),
                Integer.parseInt(get("bench.revocations", quick ? "50" : "200")),
                Double.parseDouble(get("bench.revocation-rate", "2")),
                Integer.parseInt(get("bench.limit-patients", String.valueOf(patients.get(0)))),
                Integer.parseInt(get("bench.threads", "4")),
                Long.parseLong(get("bench.ledger-entries", quick ? "10000" : "1000000")),
                quick,
                Integer.parseInt(get("bench.stall-seconds", "180")),
                new TreeSet<>(List.of(get("bench.parts", "e2e,limit,camel,jmh,validation,ledger,hapi").split(","))),
                Arrays.stream(get("bench.adapter-jvm-args", "").split("\\s+")).filter(a -> !a.isEmpty()).toList(),
                Path.of(get("bench.jar", "")),
                Path.of(get("bench.output", "BENCHMARKS.md")),
                get("bench.command", "mvn -B -Pbenchmark -DskipTests verify"),
                Path.of(get("bench.hapi-jar", "testkit/hapi-server/target/ips-bridge-hapi-server.jar")),
                Integer.parseInt(get("bench.hapi-patients", quick ? "1000" : "10000")),
                Boolean.parseBoolean(get("bench.cds", "true")));
    }

    /** These settings with the adapter started from {@code jar} with these JVM options before the others. */
    Settings startingFrom(Path jar, List<String> jvmArgs) {
        List<String> args = new java.util.ArrayList<>(jvmArgs);
        args.addAll(adapterJvmArgs);
        return new Settings(patients, known, databases, batch, latencySamples, changeRate, revocations, revocationRate,
                limitPatients, threads, ledgerEntries, quick, stallSeconds, parts, List.copyOf(args), jar, output,
                command, hapiJar, hapiPatients, installed);
    }

    /** Every size an end-to-end run is needed for, on the first database at least: patients and known sizes. */
    List<Integer> runSizes() {
        TreeSet<Integer> sizes = new TreeSet<>(patients);
        sizes.addAll(known);
        return List.copyOf(sizes);
    }

    boolean runs(String part) {
        return parts.contains(part);
    }

    private static String get(String name, String fallback) {
        String value = System.getProperty(name, "").trim();
        return value.isEmpty() ? fallback : value;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(s -> s.replace("_", ""))
                .map(Integer::parseInt).toList();
    }
}
