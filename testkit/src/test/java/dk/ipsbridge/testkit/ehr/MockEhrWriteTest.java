package dk.ipsbridge.testkit.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Update, delete, transaction and batch, and the CapabilityStatement that lists them. */
class MockEhrWriteTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";

    private final MockEhr ehr = new MockEhr().clock(Clock.fixed(T0, ZoneOffset.UTC));
    private final EhrHttp http = new EhrHttp(ehr);

    @AfterEach
    void stop() {
        ehr.close();
    }

    @Nested
    class UpdateAndDelete {

        @Test
        void shouldCreateWithTheIdGivenThenUpdateWithTheNextVersion() {
            EhrHttp.Answer created = http.put("/Patient/p1", patient("p1", "Person"));
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Location")).isEqualTo(ehr.baseUrl() + "/Patient/p1/_history/1");
            assertThat(created.header("ETag")).isEqualTo("W/\"1\"");

            EhrHttp.Answer updated = http.put("/Patient/p1", patient("p1", "Persson"));
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.header("ETag")).isEqualTo("W/\"2\"");
            assertThat(updated.body(Patient.class).getMeta().getVersionId()).isEqualTo("2");
            assertThat(http.read("/Patient/p1", Patient.class).getNameFirstRep().getFamily()).isEqualTo("Persson");
        }

        @Test
        void shouldRefuseABodyWhoseIdIsMissingOrDiffersAndAStaleIfMatch() {
            ehr.store(patient("p1", "Person"));
            assertThat(http.put("/Patient/p1", patient(null, "Person")).status()).isEqualTo(400);
            assertThat(http.put("/Patient/p1", patient("p2", "Person")).status()).isEqualTo(400);
            assertThat(http.put("/Patient/p1", patient("p1", "Persson"), "If-Match", "W/\"2\"").status())
                    .isEqualTo(412);
            assertThat(http.put("/Patient/p1", patient("p1", "Persson"), "If-Match", "W/\"1\"").status())
                    .isEqualTo(200);
            assertThat(ehr.history("Patient", "p1")).hasSize(2);
        }

        @Test
        void shouldDeleteWith204AndAgainWithoutANewVersion() {
            ehr.store(patient("p1", "Person"));
            assertThat(http.delete("/Patient/p1").status()).isEqualTo(204);
            assertThat(http.get("/Patient/p1").status()).isEqualTo(410);
            assertThat(http.delete("/Patient/p1").status()).isEqualTo(204);
            assertThat(http.read("/Patient/p1/_history", Bundle.class).getTotal()).isEqualTo(2);

            assertThat(http.put("/Patient/p1", patient("p1", "Person")).status()).as("created again").isEqualTo(201);
            assertThat(ehr.resource("Patient", "p1")).hasValueSatisfying(p -> assertThat(p.getMeta().getVersionId())
                    .isEqualTo("3"));
        }
    }

    @Nested
    class Transaction {

        @Test
        void shouldResolveUrnUuidReferencesAndAnswerEveryEntryInRequestOrder() {
            ehr.store(consent("old", "Patient/p0"));
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry(post(consent(null, "urn:uuid:patient"), null));
            tx.addEntry(post(patient(null, "Person"), "identifier=" + CPR_SYSTEM + "|0101901234")
                    .setFullUrl("urn:uuid:patient"));
            tx.addEntry(put(patient("p9", "Nine")));
            tx.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Consent/old");
            tx.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/p9");

            Bundle response = http.post("", tx).body(Bundle.class);

            assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
            assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                    .containsExactly("201 Created", "201 Created", "201 Created", "204 No Content", "200 OK");
            String patientLocation = response.getEntry().get(1).getResponse().getLocation();
            assertThat(patientLocation).matches("Patient/[^/]+/_history/1");
            String patientId = patientLocation.split("/")[1];
            assertThat(response.getEntry().get(0).getResponse().getEtag()).isEqualTo("W/\"1\"");
            assertThat(response.getEntry().get(0).getResponse().getLastModified()).isNotNull();
            assertThat(ehr.resources(Consent.class)).singleElement().satisfies(c -> assertThat(c.getPatient()
                    .getReference()).isEqualTo("Patient/" + patientId));
            assertThat(response.getEntry().get(4).getResource()).isInstanceOf(Patient.class);
            assertThat(ehr.resource("Consent", "old")).isEmpty();
        }

        @Test
        void shouldPointReferencesAtTheResourceAConditionalCreateFound() {
            Resource existing = ehr.store(patient("p1", "Person")).get(0);
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry(post(patient(null, "Person"), "Patient?identifier=" + CPR_SYSTEM + "|0101901234")
                    .setFullUrl("urn:uuid:p"));
            tx.addEntry(post(consent(null, "urn:uuid:p"), null));

            Bundle response = http.post("", tx).body(Bundle.class);

            assertThat(response.getEntryFirstRep().getResponse().getStatus()).isEqualTo("200 OK");
            assertThat(response.getEntryFirstRep().getResponse().getLocation()).isEqualTo("Patient/p1/_history/1");
            assertThat(ehr.resources(Patient.class)).hasSize(1);
            assertThat(ehr.resources(Consent.class).get(0).getPatient().getReference()).isEqualTo("Patient/p1");
            assertThat(existing.getMeta().getVersionId()).isEqualTo("1");
        }

        @Test
        void shouldStoreNothingWhenAnEntryFails() {
            ehr.store(patient("p1", "Person"));
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry(post(consent(null, "Patient/p1"), null));
            tx.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Consent/whatever");
            BundleEntryComponent stale = put(patient("p1", "Persson"));
            stale.getRequest().setIfMatch("W/\"7\"");
            tx.addEntry(stale);

            EhrHttp.Answer answer = http.post("", tx);

            assertThat(answer.status()).isEqualTo(412);
            assertThat(answer.body(OperationOutcome.class).getIssueFirstRep().getDiagnostics()).startsWith("Entry 2");
            assertThat(ehr.resources("Consent")).isEmpty();
            assertThat(http.read("/_history", Bundle.class).getTotal()).as("no version written").isEqualTo(1);
        }

        @Test
        void shouldRefuseAConditionalCreateThatMatchesSeveral() {
            ehr.store(patient("p1", "Person"), patient("p2", "Person"));
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            tx.addEntry(post(patient(null, "Person"), "identifier=" + CPR_SYSTEM + "|0101901234"));
            assertThat(http.post("", tx).status()).isEqualTo(412);
            assertThat(ehr.resources("Patient")).hasSize(2);
        }
    }

    @Nested
    class Batch {

        @Test
        void shouldAnswerEachEntryOnItsOwn() {
            Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
            batch.addEntry(post(patient(null, "Person"), null));
            batch.addEntry().getRequest().setMethod(HTTPVerb.PUT).setUrl("Patient/p2");
            batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/nope");
            batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient?_count=5");

            Bundle response = http.post("", batch).body(Bundle.class);

            assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
            assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                    .containsExactly("201 Created", "400 Bad Request", "404 Not Found", "200 OK");
            assertThat(response.getEntry().get(1).getResponse().getOutcome()).isInstanceOf(OperationOutcome.class);
            Bundle search = (Bundle) response.getEntry().get(3).getResource();
            assertThat(search.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
            assertThat(search.getTotal()).isEqualTo(1);
            assertThat(ehr.resources("Patient")).hasSize(1);
        }

        @Test
        void shouldRefuseABundleThatIsNeitherTransactionNorBatch() {
            Bundle collection = new Bundle().setType(Bundle.BundleType.COLLECTION);
            collection.addEntry().setResource(patient("p1", "Person"));
            assertThat(http.post("", collection).status()).isEqualTo(400);
            assertThat(ehr.resources("Patient")).isEmpty();
        }
    }

    @Test
    void shouldListInItsCapabilityStatementWhatItDoes() {
        CapabilityStatement cs = http.read("/metadata", CapabilityStatement.class);

        var rest = cs.getRestFirstRep();
        assertThat(rest.getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("transaction", "batch", "history-system");
        CapabilityStatementRestResourceComponent consent = resource(cs, "Consent");
        assertThat(consent.getInteraction()).extracting(i -> i.getCode().toCode()).containsExactlyInAnyOrder("read",
                "vread", "update", "delete", "history-instance", "history-type", "create", "search-type");
        assertThat(consent.getConditionalCreate()).isTrue();
        assertThat(consent.getSearchParam()).extracting(p -> p.getName())
                .containsExactlyInAnyOrder("_id", "_lastUpdated", "identifier", "status", "patient", "subject");
        assertThat(resource(cs, "Patient").getSearchParam()).extracting(p -> p.getName())
                .containsExactlyInAnyOrder("_id", "_lastUpdated", "identifier");
        assertThat(rest.getResource()).hasSize(ca.uhn.fhir.context.FhirContext.forR4Cached().getResourceTypes().size());
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement cs, String type) {
        return cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type)).findFirst()
                .orElseThrow();
    }

    private static BundleEntryComponent post(Resource resource, String ifNoneExist) {
        BundleEntryComponent entry = new BundleEntryComponent().setResource(resource);
        entry.getRequest().setMethod(HTTPVerb.POST).setUrl(resource.fhirType()).setIfNoneExist(ifNoneExist);
        return entry;
    }

    private static BundleEntryComponent put(Resource resource) {
        BundleEntryComponent entry = new BundleEntryComponent().setResource(resource);
        entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(resource.fhirType() + "/" + resource.getIdElement()
                .getIdPart());
        return entry;
    }

    private static Patient patient(String id, String family) {
        Patient p = IpsFixtures.patient(id == null ? "x" : id, "0101901234", "Test", family);
        if (id == null) {
            p.setIdElement(null);
        }
        return p;
    }

    private static Consent consent(String id, String patientReference) {
        Consent c = IpsFixtures.consent(id == null ? "x" : id, "p0").givenAt(T0).build();
        c.getPatient().setReference(patientReference);
        if (id == null) {
            c.setIdElement(null);
        }
        return c;
    }
}
