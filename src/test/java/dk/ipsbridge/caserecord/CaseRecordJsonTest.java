package dk.ipsbridge.caserecord;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.patient.PatientSnapshot;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import dk.ipsbridge.testkit.jobcenter.CaseApiSchema;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The record as JSON: valid against the contract, and holding a category's fields exactly when it is shared. */
class CaseRecordJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final CaseRecordTranslator translator = new CaseRecordTranslator("DK-82");

    @Test
    void shouldWriteTheRichRecordExactlyAsTheContractExpects() throws Exception {
        JsonNode json = wire(translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 3));

        assertThat(CaseApiSchema.problems("IpsCaseRecord", json)).isEmpty();
        assertThat(json).isEqualTo(fixture("IpsCaseRecord_rich.json"));
    }

    @Test
    void shouldWriteTheSameJsonWithPlainJavaTimeAndSpringMappers() throws Exception {
        IpsCaseRecord record = translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 3);

        String plain = new ObjectMapper().writeValueAsString(record);

        assertThat(JSON.writeValueAsString(record)).isEqualTo(plain);
        assertThat(Jackson2ObjectMapperBuilder.json().build().writeValueAsString(record)).isEqualTo(plain);
        assertThat(JSON.readTree(plain)).isEqualTo(fixture("IpsCaseRecord_rich.json"));
    }

    @Test
    void shouldLetTheSchemaCatchAFieldItDoesNotKnowAtAnyDepth() throws Exception {
        // proves the check above can fail: additionalProperties:false is enforced on nested objects too
        JsonNode json = wire(translator.translate(CaseFixtures.rich(), CaseFixtures.shareAll(), "case-7", 3));
        ((ObjectNode) json.get("citizen")).put("nickname", "Annie");
        ((ObjectNode) json.get("treatmentTeam").get(0)).put("email", "x@example.invalid");

        assertThat(CaseApiSchema.problems("IpsCaseRecord", json)).hasSize(2);
    }

    @Test
    void shouldWriteNoEmptyStringsOrEmptyObjectsForSparseData() {
        Patient bare = IpsFixtures.patient("p2", "0202902345", "Bo", "Hansen");
        bare.getTelecom().clear();
        bare.getAddress().clear();
        PatientSnapshot sparse = CaseFixtures.snapshot().patient(bare)
                .careTeam(IpsFixtures.careTeam("ct1", "p2", CaseFixtures.CONSULTANT, null, null))
                .goal(IpsFixtures.employmentGoal("g1", "p2", ""))
                .without("Practitioner/pr-cons").build();

        JsonNode json = wire(translator.translate(sparse, CaseFixtures.shareAll(), "case-8", 1));

        assertThat(CaseApiSchema.problems("IpsCaseRecord", json)).isEmpty();
        assertThat(fieldNames(json)).containsExactly("caseId", "revision", "region", "status", "citizen",
                "consultant", "consent");
        assertThat(fieldNames(json.get("citizen"))).containsExactly("cpr", "givenName", "familyName");
        assertThat(json.get("consultant").toString()).isEqualTo("{\"id\":\"Practitioner/pr-cons\"}");
    }

    @ParameterizedTest(name = "{0}, consultant {1}")
    @MethodSource("everySubsetOfCategories")
    void shouldBeValidAndHoldAFieldIfAndOnlyIfItsCategoryIsShared(Set<DataCategory> categories, String consultant) {
        JsonNode json = wire(translator.translate(CaseFixtures.rich(),
                CaseFixtures.share(categories, consultant), "case-7", 1));

        assertThat(CaseApiSchema.problems("IpsCaseRecord", json)).isEmpty();

        Set<String> top = new LinkedHashSet<>(List.of("caseId", "revision", "region", "status", "citizen"));
        if (consultant != null) {
            top.add("consultant");
        }
        Set<String> citizen = new LinkedHashSet<>(List.of("cpr", "givenName", "familyName"));
        for (DataCategory category : categories) {
            switch (category) {
                case CONTACT -> citizen.addAll(List.of("phone", "email", "address"));
                case REFERRAL -> top.add("referral");
                case CARE_TEAM -> {
                    if (consultant != null) { // C3: the team is the CareTeam that holds the consultant
                        top.add("treatmentTeam");
                    }
                }
                case CONFERENCES -> top.add("treatmentConferences");
                case EMPLOYMENT_GOAL -> top.add("employmentGoal");
                case DIAGNOSIS -> top.add("diagnoses");
                case OUTCOMES -> { } // flows from the jobcenter, never into the case record
            }
        }
        top.add("consent");
        assertThat(new TreeSet<>(fieldNames(json))).isEqualTo(new TreeSet<>(top));
        assertThat(new TreeSet<>(fieldNames(json.get("citizen")))).isEqualTo(new TreeSet<>(citizen));
        assertThat(json.get("citizen").get("cpr").asText()).isEqualTo(CaseFixtures.CPR);
        assertThat(json.get("status").asText()).isEqualTo(consultant == null ? "referred" : "active");
        List<String> shared = new ArrayList<>();
        json.get("consent").get("categories").forEach(c -> shared.add(c.asText()));
        assertThat(shared).containsExactlyElementsOf(
                EnumSet.copyOf(categories.isEmpty() ? EnumSet.noneOf(DataCategory.class) : categories).stream()
                        .map(DataCategory::code).toList());
    }

    static Stream<Arguments> everySubsetOfCategories() {
        DataCategory[] all = DataCategory.values();
        List<Arguments> cases = new ArrayList<>();
        for (int mask = 0; mask < 1 << all.length; mask++) {
            Set<DataCategory> subset = EnumSet.noneOf(DataCategory.class);
            for (int i = 0; i < all.length; i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(all[i]);
                }
            }
            cases.add(Arguments.of(subset, CaseFixtures.CONSULTANT));
            cases.add(Arguments.of(subset, null));
        }
        return cases.stream();
    }

    /** As sent: written to text and read back, so numbers compare as the receiver sees them. */
    private static JsonNode wire(IpsCaseRecord record) {
        try {
            return JSON.readTree(JSON.writeValueAsString(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = CaseRecordJsonTest.class.getResourceAsStream("/caserecord/" + name)) {
            return JSON.readTree(in);
        }
    }
}
