package dk.ipsbridge.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Arrays;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.patient.IpsCodes;
import org.hl7.fhir.r4.model.CodeSystem;
import org.junit.jupiter.api.Test;

/** The CodeSystems of the IPS package (fhir-profiles/, SUSHI's output) and the codes the adapter acts on are the same. */
class CodeSystemsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldPublishExactlyTheDataCategoriesTheGateKnows() throws Exception {
        CodeSystem categories = load("CodeSystem-ips-data-category.json");

        assertThat(categories.getUrl()).isEqualTo(IpsCodes.CATEGORY_SYSTEM);
        assertThat(categories.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode)
                .containsExactlyElementsOf(Arrays.stream(DataCategory.values()).map(DataCategory::code).toList());
    }

    @Test
    void shouldPublishEveryLocalCodeTheAdapterReads() throws Exception {
        CodeSystem ips = load("CodeSystem-ips.json");

        assertThat(ips.getUrl()).isEqualTo(IpsCodes.IPS_SYSTEM);
        assertThat(ips.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode)
                .containsExactlyInAnyOrder(IpsCodes.IPS_REFERRAL, IpsCodes.IPS_CONSULTANT,
                        IpsCodes.TREATMENT_CONFERENCE, IpsCodes.EMPLOYMENT_GOAL, IpsCodes.IPS_DATA_SHARING,
                        IpsCodes.IPS_EMPLOYMENT_SUPPORT, IpsCodes.IPS_MILESTONE, IpsCodes.PROGRAMMES.get(0),
                        IpsCodes.PROGRAMMES.get(1), IpsCodes.PROGRAMMES.get(2));
    }

    private static CodeSystem load(String name) throws Exception {
        try (InputStream in = CodeSystemsTest.class.getResourceAsStream("/fhir-profiles/" + name)) {
            assertThat(in).as(name + " is packaged").isNotNull();
            return FHIR.newJsonParser().parseResource(CodeSystem.class, in);
        }
    }
}
