package dk.ipsbridge.testkit.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A round of HAPI generic-client calls against the mock EHR (search with paging, {@code _lastUpdated}, history,
 * transaction, read, vread, update, delete), asserting what a HAPI JPA server (R4, default settings) answers: bundle
 * types, totals, link relations, full URLs, response statuses, locations and versions. Where the mock differs on
 * purpose (relative {@code request.url} in history entries, weak ETags in transaction responses, 204 on delete, ids
 * {@code gen-<n>}), see {@link MockEhr}; these assertions avoid nothing on account of that but the exact etag text.
 */
class HapiGenericClientTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String CPR = "urn:oid:1.2.208.176.1.2";
    private static final String EVENTS = "http://ipsbridge.dk/fhir/sid/jobcenter-event";

    private final MockEhr ehr = new MockEhr();
    private final IGenericClient client = FHIR.newRestfulGenericClient(ehr.baseUrl());

    @AfterEach
    void stop() {
        ehr.close();
    }

    @Test
    void shouldPageASearchWithCountThroughEveryNextLink() {
        for (int i = 0; i < 12; i++) {
            ehr.store(consent("k-p1-" + i, "p1"), consent("k-p2-" + i, "p2"));
        }

        Bundle page = client.search().forResource(Consent.class).where(Consent.PATIENT.hasId("Patient/p1")).count(5)
                .returnBundle(Bundle.class).execute();
        assertThat(page.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(page.getTotal()).isEqualTo(12);
        List<List<String>> relations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (true) {
            relations.add(page.getLink().stream().map(Bundle.BundleLinkComponent::getRelation).toList());
            for (BundleEntryComponent e : page.getEntry()) {
                assertThat(e.getFullUrl()).isEqualTo(ehr.baseUrl() + "/Consent/" + e.getResource().getIdElement()
                        .getIdPart());
                assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
                ids.add(e.getResource().getIdElement().getIdPart());
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = client.loadPage().next(page).execute();
        }

        assertThat(ids).hasSize(12).doesNotHaveDuplicates().allMatch(id -> id.startsWith("k-p1-"));
        assertThat(relations).containsExactly(List.of("self", "next"), List.of("self", "next", "previous"),
                List.of("self", "previous"));
    }

    @Test
    void shouldFindWhatChangedAfterALastUpdated() {
        ehr.store(consent("k1", "p1"));
        Resource middle = ehr.store(consent("k2", "p1")).get(0);
        ehr.store(consent("k3", "p1"));

        Bundle changed = client.search().forResource(Consent.class)
                .lastUpdated(new DateRangeParam(new DateParam(ParamPrefixEnum.GREATERTHAN,
                        middle.getMeta().getLastUpdatedElement().getValueAsString()), null))
                .returnBundle(Bundle.class).execute();

        assertThat(changed.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly("k3");
        assertThat(changed.getTotal()).isEqualTo(1);
    }

    @Test
    void shouldListTheHistoryOfATypeSinceAnInstantAndOfAnInstance() {
        ehr.store(consent("k1", "p1"));
        Resource k2 = ehr.store(consent("k2", "p1")).get(0);
        client.update().resource(consent("k1", "p1")).execute();
        client.delete().resourceById("Consent", "k2").execute();

        Bundle since = client.history().onType(Consent.class).returnBundle(Bundle.class)
                .since(k2.getMeta().getLastUpdatedElement()).execute();

        assertThat(since.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(since.hasTotal()).as("HAPI JPA counts no history with _since").isFalse();
        assertThat(since.getEntry()).extracting(BundleEntryComponent::getFullUrl).containsExactly(
                ehr.baseUrl() + "/Consent/k2", ehr.baseUrl() + "/Consent/k1", ehr.baseUrl() + "/Consent/k2");
        assertThat(since.getEntry()).extracting(e -> e.getRequest().getMethod())
                .containsExactly(HTTPVerb.DELETE, HTTPVerb.PUT, HTTPVerb.POST);
        assertThat(since.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("200 OK", "200 OK", "201 Created");
        assertThat(since.getEntry().get(0).getResource()).isNull();

        Bundle instance = client.history().onInstance(new IdType("Consent", "k1")).returnBundle(Bundle.class)
                .execute();
        assertThat(instance.getTotal()).isEqualTo(2);
        assertThat(instance.getEntry()).extracting(e -> e.getResource().getMeta().getVersionId())
                .containsExactly("2", "1");
    }

    @Test
    void shouldCommitATransactionWithAConditionalCreateAndUrnUuidReferences() {
        ehr.store(IpsFixtures.patient("p1", "0101901234", "Test", "Person"));

        Bundle first = client.transaction().withBundle(outcomeTransaction()).execute();

        assertThat(first.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(first.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("200 OK", "201 Created");
        assertThat(first.getEntry().get(0).getResponse().getLocation()).isEqualTo("Patient/p1/_history/1");
        String observation = first.getEntry().get(1).getResponse().getLocation();
        assertThat(observation).matches("Observation/[A-Za-z0-9\\-.]+/_history/1");
        assertThat(first.getEntry().get(1).getResponse().getEtag()).contains("1");
        Observation stored = client.read().resource(Observation.class).withUrl(observation).execute();
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/p1");

        Bundle replay = client.transaction().withBundle(outcomeTransaction()).execute();
        assertThat(replay.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("200 OK", "200 OK");
        assertThat(replay.getEntry().get(1).getResponse().getLocation()).isEqualTo(observation);
        assertThat(ehr.resources(Observation.class)).hasSize(1);
    }

    @Test
    void shouldReadVreadCreateConditionallyUpdateAndDelete() {
        ehr.store(IpsFixtures.patient("p1", "0101901234", "Test", "Person"));
        MethodOutcome updated = client.update().resource(IpsFixtures.patient("p1", "0101901234", "Test", "Persson"))
                .execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        Patient current = client.read().resource(Patient.class).withId("p1").execute();
        assertThat(current.getIdElement().getVersionIdPart()).isEqualTo("2");
        assertThat(current.getNameFirstRep().getFamily()).isEqualTo("Persson");
        Patient first = client.read().resource(Patient.class).withIdAndVersion("p1", "1").execute();
        assertThat(first.getNameFirstRep().getFamily()).isEqualTo("Person");

        MethodOutcome created = client.create().resource(outcome()).conditionalByUrl("Observation?identifier="
                + EVENTS + "|e-1").execute();
        MethodOutcome again = client.create().resource(outcome()).conditionalByUrl("Observation?identifier="
                + EVENTS + "|e-1").execute();
        assertThat(created.getCreated()).isTrue();
        assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(again.getId().getIdPart()).isEqualTo(created.getId().getIdPart());

        client.delete().resourceById("Patient", "p1").execute();
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("p1").execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("nope").execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    /** The write-back of an employment outcome: the patient found by CPR, the outcome created once by event id. */
    private static Bundle outcomeTransaction() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        BundleEntryComponent patient = tx.addEntry().setFullUrl("urn:uuid:0b6e4f1c-1d8a-4a53-a0f2-2f6b8d0e9a11")
                .setResource(IpsFixtures.patient("ignored", "0101901234", "Test", "Person"));
        patient.getResource().setIdElement(null);
        patient.getRequest().setMethod(HTTPVerb.POST).setUrl("Patient").setIfNoneExist("identifier=" + CPR
                + "|0101901234");
        Observation obs = outcome();
        obs.setSubject(new Reference(patient.getFullUrl()));
        tx.addEntry().setFullUrl("urn:uuid:7c1f0a52-3b1e-4c1e-9a57-5f6a3c2d1e00").setResource(obs).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Observation").setIfNoneExist("identifier=" + EVENTS + "|e-1");
        return tx;
    }

    private static Observation outcome() {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addIdentifier(new Identifier().setSystem(EVENTS).setValue("e-1"));
        obs.getCode().addCoding().setSystem("http://loinc.org").setCode("67875-5");
        return obs;
    }

    private static Consent consent(String id, String patientId) {
        return IpsFixtures.consent(id, patientId).recipient("Organization/jc-a").categories("contact").build();
    }
}
