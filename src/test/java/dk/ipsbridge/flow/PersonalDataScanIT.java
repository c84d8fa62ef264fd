package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.security.LocalUsers;
import dk.ipsbridge.testkit.cohort.CohortPatient;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.fault.InjectedFault;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Personal data stays where it belongs, checked on the product as it is deployed: the packaged jar, with the adapter's
 * own code logging at DEBUG, runs the whole synthetic cohort (shared, held back, invalid and replacement CPRs), a
 * hostile EHR answer that holds a CPR and a name, a malformed notification that holds them too, a jobcenter that
 * refuses records (failed records, then replayed), and officers' previews and searches, valid and invalid. Then every
 * CPR (both spellings) and every name of every patient in the EHR is searched for:
 * <ul>
 * <li>in the whole output of the process: every log line, every stack trace and exception message;</li>
 * <li>in every error answer the adapter gave (a problem detail must not echo what it refuses);</li>
 * <li>in the operator's failed-records API;</li>
 * <li>in the whole database after the stop (H2's {@code SCRIPT}: every row of every table).</li>
 * </ul>
 * None may appear. The only places a CPR or a name may be are the ledger's encrypted columns and an officer's
 * successful preview, which exists to show them.
 */
class PersonalDataScanIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** A patient only the hostile answer holds; its CPR is valid and in no cohort. */
    private static final String HOSTILE_CPR = "0707071236";
    private static final String HOSTILE_GIVEN = "Hanne";
    private static final String HOSTILE_FAMILY = "Fjendtligsen";
    /** Valid by the date rule, in no EHR: a preview and a search for it find nothing. */
    private static final String UNKNOWN_CPR = "1111111118";
    /** Not a CPR number (day 32): a preview refuses it. */
    private static final String INVALID_CPR = "3213991234";

    @TempDir
    Path dir;

    private final SyntheticCohort cohort = SyntheticCohort.create(Instant.now());
    private final MockEhr ehr = new MockEhr();
    private final MockJobcenter jobcenterA = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID,
            SyntheticCohort.JOBCENTER_A_NAME);
    private final MockJobcenter jobcenterB = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID,
            SyntheticCohort.JOBCENTER_B_NAME);
    private final LocalUsers users = LocalUsers.random();
    private final String ehrPassword = "ehr-" + users.operatorPassword();
    private final List<String> errorAnswers = new ArrayList<>();
    private AdapterProcess adapter;

    @AfterEach
    void stopAll() {
        if (adapter != null && adapter.isAlive()) {
            adapter.kill();
        }
        ehr.close();
        jobcenterA.close();
        jobcenterB.close();
    }

    @Test
    void shouldLeaveNoCprAndNoNameInLogsExceptionsAnswersOrTheDatabase() throws Exception {
        cohort.loadInto(ehr);
        ehr.pollAnswers("Patient", "application/fhir+json", hostilePatientPage());
        jobcenterB.failWith(InjectedFault.status(400));
        String db = "jdbc:h2:file:" + dir.resolve("ipsbridge").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        List<String> settings = new ArrayList<>(Adapter.arguments(db, ehr, jobcenterA, jobcenterB,
                "spring.datasource.username=sa", "spring.datasource.password=",
                "logging.level.dk.ipsbridge=DEBUG", "ips.security.allow-plain-http=true"));
        users.settings().forEach(s -> settings.add("--" + s));
        settings.addAll(List.of("--ips.security.users[2].username=ehr",
                "--ips.security.users[2].password-hash=" + new BCryptPasswordEncoder(4).encode(ehrPassword),
                "--ips.security.users[2].roles[0]=EHR", "--ips.security.users[2].sources[0]=ehr"));
        adapter = AdapterProcess.packaged("personal-data-scan", settings);
        adapter.start();
        adapter.awaitHealthy(Duration.ofSeconds(90));

        List<CohortPatient> shared = cohort.patients().stream().filter(CohortPatient::expectedShared).toList();
        CohortPatient someone = shared.get(0);
        lookAsOfficer(someone.cpr());
        notifyMalformed();

        // the records jobcenter B refused are failed records; replayed once it accepts, they are delivered
        long refused = shared.stream().filter(p -> jobcenter(p) == jobcenterB).count();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> failed().stream()
                .filter(f -> "delivery".equals(f.path("stage").asText())).count() == refused);
        jobcenterB.clearFaults();
        for (JsonNode failed : failed()) {
            if ("delivery".equals(failed.path("stage").asText())) {
                send(operator(HttpRequest.newBuilder(uri("/api/failed/" + failed.path("id").asLong() + "/replay"))
                        .POST(HttpRequest.BodyPublishers.noBody())));
            }
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> shared.stream().allMatch(p -> jobcenter(p).caseFor(p.cpr()).isPresent()));
        String failedApi = failed().toString();
        adapter.stop();

        Set<String> cprs = new TreeSet<>(List.of(HOSTILE_CPR, UNKNOWN_CPR, INVALID_CPR));
        Set<String> names = new LinkedHashSet<>(List.of(HOSTILE_GIVEN, HOSTILE_FAMILY));
        for (Patient patient : ehr.resources(Patient.class)) {
            patient.getIdentifier().stream().filter(i -> i.getValue() != null && i.getValue().matches("\\d{10}"))
                    .forEach(i -> cprs.add(i.getValue()));
            for (HumanName name : patient.getName()) {
                names.add(name.getFamily());
                name.getGiven().forEach(given -> names.add(given.getValue()));
            }
        }
        cohort.patients().forEach(p -> cprs.add(p.cpr()));
        names.remove(null);
        assertThat(cprs).as("the cohort's CPRs").hasSizeGreaterThan(50);
        assertThat(names).as("the cohort's names").hasSizeGreaterThan(10);

        String output = adapter.output();
        assertThat(output).as("the adapter's own DEBUG lines are in the scan").contains("DEBUG");
        assertThat(output).as("the run reached every stage").contains("delivered to " + SyntheticCohort.JOBCENTER_B_ID);
        assertNoPersonalData("the process output (logs, stack traces)", output, cprs, names);
        assertNoPersonalData("the adapter's error answers", String.join("\n", errorAnswers), cprs, names);
        assertNoPersonalData("the failed-records API", failedApi, cprs, names);
        assertNoPersonalData("the database", database(db), cprs, names);
    }

    /** Previews and ledger searches: a patient, a CPR in no EHR, and one that is no CPR number. */
    private void lookAsOfficer(String cpr) throws Exception {
        for (String asked : List.of(cpr, UNKNOWN_CPR, INVALID_CPR)) {
            send(officer(HttpRequest.newBuilder(uri("/api/consents/preview")).header("Content-Type", "application/json")
                    .POST(body("{\"cpr\":\"" + asked + "\",\"jobcenterId\":\"" + SyntheticCohort.JOBCENTER_A_ID
                            + "\"}"))));
            send(officer(HttpRequest.newBuilder(uri("/api/ledger/search")).header("Content-Type", "application/json")
                    .POST(body("{\"cpr\":\"" + asked + "\",\"limit\":5}"))));
            // a CPR where a jobcenter id belongs, and a body that is not JSON
            send(officer(HttpRequest.newBuilder(uri("/api/consents/preview")).header("Content-Type", "application/json")
                    .POST(body("{\"cpr\":\"" + asked + "\",\"jobcenterId\":\"" + asked + "\"}"))));
            send(officer(HttpRequest.newBuilder(uri("/api/ledger/search")).header("Content-Type", "application/json")
                    .POST(body("{\"cpr\":" + asked + "-" + HOSTILE_FAMILY + "}"))));
        }
    }

    /** A notification whose body is broken FHIR holding a CPR and a name. */
    private void notifyMalformed() throws Exception {
        send(HttpRequest.newBuilder(uri("/fhir/notify/ehr")).header("Content-Type", "application/fhir+json")
                .header("Authorization", basic("ehr", ehrPassword))
                .POST(body("{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"resource\":"
                        + "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + IpsCodes.CPR_SYSTEM
                        + "\",\"value\":\"" + HOSTILE_CPR + "\"}],\"name\":[{\"family\":\"" + HOSTILE_FAMILY
                        + "\"}],\"birthDate\":[" + HOSTILE_CPR + "]}}]")));
    }

    /** A poll page with one Patient that breaks FHIR (a birth date that is no date), holding a CPR and a name. */
    private static String hostilePatientPage() {
        return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":{\"resourceType\":"
                + "\"Patient\",\"id\":\"hostile\",\"identifier\":[{\"system\":\"" + IpsCodes.CPR_SYSTEM
                + "\",\"value\":\"" + HOSTILE_CPR + "\"}],\"name\":[{\"family\":\"" + HOSTILE_FAMILY
                + "\",\"given\":[\"" + HOSTILE_GIVEN + "\"]}],\"birthDate\":\"" + HOSTILE_CPR + "-" + HOSTILE_FAMILY
                + "\"}}]}";
    }

    private static void assertNoPersonalData(String where, String text, Set<String> cprs, Set<String> names) {
        List<String> found = new ArrayList<>();
        for (String cpr : cprs) {
            for (String spelling : List.of(cpr, cpr.substring(0, 6) + "-" + cpr.substring(6))) {
                int at = text.indexOf(spelling);
                if (at >= 0) {
                    found.add("CPR " + spelling + " in: " + around(text, at));
                }
            }
        }
        for (String name : names) {
            Matcher m = Pattern.compile("(?<![\\p{L}\\d])" + Pattern.quote(name) + "(?![\\p{L}\\d])").matcher(text);
            if (m.find()) {
                found.add("name " + name + " in: " + around(text, m.start()));
            }
        }
        assertThat(found).as("personal data in %s", where).isEmpty();
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 80)).replace('\n', ' ');
    }

    /** Every row of every table, as H2 writes it out ({@code SCRIPT}); binary columns come out as hex. */
    private static String database(String url) throws Exception {
        StringBuilder script = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SCRIPT NOPASSWORDS NOSETTINGS")) {
            while (rows.next()) {
                script.append(rows.getString(1)).append('\n');
            }
        }
        assertThat(script).as("the database holds the run").contains("ledger_entry", "outbox");
        return script.toString();
    }

    private MockJobcenter jobcenter(CohortPatient patient) {
        return SyntheticCohort.JOBCENTER_A_ID.equals(patient.expectedJobcenterId()) ? jobcenterA : jobcenterB;
    }

    private List<JsonNode> failed() throws Exception {
        HttpResponse<String> answer = send(operator(HttpRequest.newBuilder(uri("/api/failed")).GET()));
        List<JsonNode> records = new ArrayList<>();
        JSON.readTree(answer.body()).forEach(records::add);
        return records;
    }

    /** Sends a request; an answer of 400 or more is kept for the scan. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> answer = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 400) {
            errorAnswers.add(answer.statusCode() + " " + answer.body());
        }
        return answer;
    }

    private HttpRequest.Builder officer(HttpRequest.Builder request) {
        return request.header("Authorization", basic(LocalUsers.OFFICER, users.officerPassword()));
    }

    private HttpRequest.Builder operator(HttpRequest.Builder request) {
        return request.header("Authorization", basic(LocalUsers.OPERATOR, users.operatorPassword()));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + adapter.port() + path);
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }
}
