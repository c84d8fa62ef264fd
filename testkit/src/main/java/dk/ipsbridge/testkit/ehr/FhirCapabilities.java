package dk.ipsbridge.testkit.ehr;

import java.util.Date;
import java.util.List;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;

/** The CapabilityStatement of {@link MockEhr} ({@code GET /metadata}): exactly what {@link FhirEndpoint} does. */
final class FhirCapabilities {

    private static final List<TypeRestfulInteraction> TYPE_INTERACTIONS = List.of(TypeRestfulInteraction.READ,
            TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.DELETE,
            TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.HISTORYTYPE, TypeRestfulInteraction.CREATE,
            TypeRestfulInteraction.SEARCHTYPE);
    private static final List<SystemRestfulInteraction> SYSTEM_INTERACTIONS = List.of(
            SystemRestfulInteraction.TRANSACTION, SystemRestfulInteraction.BATCH,
            SystemRestfulInteraction.HISTORYSYSTEM);

    /**
     * Built once per JVM: the first build walks every R4 resource definition, which on a loaded machine took longer
     * than a client's 10 s read timeout when it happened on the first {@code GET /metadata}.
     */
    private static volatile CapabilityStatement template;

    private FhirCapabilities() {
    }

    /** Builds the statement and encodes it once, so that the first {@code GET /metadata} answers at once. */
    static void warmUp() {
        MockEhr.FHIR.newJsonParser().encodeResourceToString(statement(new Date()));
    }

    /** Every R4 resource type, each with the same interactions and the search parameters it understands. */
    static CapabilityStatement statement(Date date) {
        CapabilityStatement built = template;
        if (built == null) {
            built = build();
            template = built;
        }
        return built.copy().setDate(date);
    }

    private static CapabilityStatement build() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.getSoftware().setName("IPS Bridge mock EHR");
        CapabilityStatementRestComponent rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        MockEhr.FHIR.getResourceTypes().stream().sorted().forEach(type -> {
            CapabilityStatementRestResourceComponent r = rest.addResource().setType(type)
                    .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
                    .setReadHistory(true).setUpdateCreate(true).setConditionalCreate(true)
                    .setConditionalRead(CapabilityStatement.ConditionalReadStatus.NOTSUPPORTED)
                    .setConditionalUpdate(false)
                    .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
            TYPE_INTERACTIONS.forEach(i -> r.addInteraction().setCode(i));
            FhirSearch.parameters(type).forEach((name, paramType) -> r.addSearchParam().setName(name)
                    .setType(paramType));
        });
        SYSTEM_INTERACTIONS.forEach(i -> rest.addInteraction().setCode(i));
        return cs;
    }
}
