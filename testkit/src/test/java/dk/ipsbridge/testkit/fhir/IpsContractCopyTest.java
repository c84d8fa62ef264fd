package dk.ipsbridge.testkit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The kit's codes agree with its own copies of the contracts (shipped in the jar under {@code contracts/}), 1.1. */
class IpsContractCopyTest {

    @Test
    void shouldShipTheContractsOfVersion11() throws IOException {
        assertThat(caseApi().at("/info/version").asText()).isEqualTo("1.1.0");
        assertThat(conventions()).contains("Version 1.1").contains("## Clarifications in 1.1");
    }

    /**
     * The conventions name these by their short names only (DK Core's KOMBIT identifier and municipality codes, LOINC,
     * v3-ParticipationType, consentaction); the jobcenter contract holds the problem type.
     */
    private static final Set<String> NAMED_IN_WORDS = Set.of("KOMBIT_ORG_SYSTEM", "MUNICIPALITY_EXTENSION",
            "LOINC_SYSTEM", "PARTICIPATION_TYPE_SYSTEM", "CONSENT_ACTION_SYSTEM", "UNKNOWN_CASE_PROBLEM");

    @Test
    void shouldFindEveryCodeOfIpsContractInTheEhrConventions() throws Exception {
        String conventions = conventions();
        List<String> missing = new ArrayList<>();
        for (Field field : IpsContract.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !NAMED_IN_WORDS.contains(field.getName()) && !conventions.contains((String) field.get(null))) {
                missing.add(field.getName());
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void shouldListTheCaseApisCategoriesProgrammesAndUnknownCaseType() throws IOException {
        JsonNode api = caseApi();
        assertThat(strings(api.at("/components/schemas/DataCategory/enum"))).isEqualTo(IpsContract.DATA_CATEGORIES);
        assertThat(strings(api.at("/components/schemas/IpsCaseRecord/properties/referral/properties/programme/enum")))
                .isEqualTo(IpsContract.PROGRAMMES);
        assertThat(api.at("/paths/~1cases~1{caseId}~1withdrawal/post/description").asText())
                .contains(IpsContract.UNKNOWN_CASE_PROBLEM);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode caseApi() throws IOException {
        return new YAMLMapper().readTree(resource("contracts/jobcenter-case-api.yaml"));
    }

    private static String conventions() throws IOException {
        return resource("contracts/ehr-ips-conventions.md");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = IpsContractCopyTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
