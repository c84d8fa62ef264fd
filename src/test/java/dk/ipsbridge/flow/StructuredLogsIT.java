package dk.ipsbridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.ipsbridge.testkit.cohort.SyntheticCohort;
import dk.ipsbridge.testkit.ehr.MockEhr;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: with {@code logging.structured.format.console=ecs} every line the adapter writes is one JSON object (ECS),
 * the lines of a unit of work carry its correlation id ({@code work}), and none holds the CPR number of the patient
 * whose data flowed.
 */
class StructuredLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CPR = "0101901234";

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheCorrelationIdAndNoPersonalData() throws Exception {
        try (MockEhr ehr = new MockEhr();
                MockJobcenter a = new MockJobcenter(SyntheticCohort.JOBCENTER_A_ID, SyntheticCohort.JOBCENTER_A_NAME);
                MockJobcenter b = new MockJobcenter(SyntheticCohort.JOBCENTER_B_ID, SyntheticCohort.JOBCENTER_B_NAME)) {
            MinimalRegion.storeInto(ehr);
            MinimalRegion.storeReferredPatient(ehr, "p1", CPR, true);
            AdapterProcess adapter = AdapterProcess.packaged("structured-logs", Adapter.arguments(
                    "jdbc:h2:mem:structured-logs;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    ehr, a, b, "spring.datasource.username=sa", "spring.datasource.password=",
                    "logging.structured.format.console=ecs"));
            adapter.start();
            try {
                adapter.awaitHealthy(Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(60)).until(() -> a.caseFor(CPR).isPresent());
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(adapter.log())
                        .contains("delivered to"));
            } finally {
                adapter.stop();
            }
            List<String> written = Files.readAllLines(adapter.log());
            List<JsonNode> lines = new ArrayList<>();
            boolean logging = false;
            for (String line : written) {
                logging |= line.startsWith("{");
                if (logging && !line.isBlank()) {
                    lines.add(JSON.readTree(line)); // from the first log line on, every line is one JSON object
                }
            }
            assertThat(lines).hasSizeGreaterThan(10);
            assertThat(lines).allSatisfy(line -> assertThat(line.isObject() && line.has("@timestamp")
                    && line.has("message")).isTrue());
            assertThat(lines).filteredOn(line -> line.path("message").asText().contains("delivered to"))
                    .isNotEmpty().allSatisfy(line -> assertThat(line.path("work").asText()).startsWith("delivery-"));
            assertThat(lines).filteredOn(line -> line.path("message").asText().contains("shared categories"))
                    .isNotEmpty().allSatisfy(line -> assertThat(line.path("work").asText()).startsWith("review-"));
            assertThat(String.join("\n", written)).doesNotContain(CPR);
        }
    }
}
