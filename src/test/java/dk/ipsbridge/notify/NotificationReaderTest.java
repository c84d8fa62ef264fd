package dk.ipsbridge.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import ca.uhn.fhir.context.FhirContext;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier;
import dk.ipsbridge.testkit.ehr.SubscriptionNotifier.Event;
import dk.ipsbridge.testkit.fhir.IpsFixtures;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the reader makes of rest-hooks and R4 Backport notification bundles, and what it refuses, and why. */
class NotificationReaderTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String JSON = "application/fhir+json; charset=UTF-8";
    private static final String BASE = "https://ehr.example/fhir";

    private final NotificationReader reader = new NotificationReader(FHIR, 64);

    @Test
    void shouldAskForAPollOnAnEmptyRestHook() {
        for (String body : List.of("", "  \r\n")) {
            Notification n = reader.post(body.getBytes(UTF_8), "application/x-www-form-urlencoded");
            assertThat(n.kind()).isEqualTo("rest-hook-empty");
            assertThat(n.pollNeeded()).isTrue();
            assertThat(n.patientIds()).isEmpty();
        }
    }

    @Test
    void shouldMarkThePatientOfAFullResourceNotificationWithoutPolling() {
        Resource consent = IpsFixtures.consent("c1", "p1").build();
        Notification n = post(SubscriptionNotifier.backportBundle(BASE, "event-notification", 7,
                List.of(new Event(7, consent)), true));

        assertThat(n.kind()).isEqualTo("event-notification");
        assertThat(n.subscription()).isEqualTo("Subscription/" + SubscriptionNotifier.SUBSCRIPTION_ID);
        assertThat(n.eventsSinceStart()).isEqualTo(7);
        assertThat(n.eventNumbers()).containsExactly(7L);
        assertThat(n.patientIds()).containsExactly("p1");
        assertThat(n.pollNeeded()).isFalse();
    }

    @Test
    void shouldMarkEveryPatientOfEveryResourceCarried() {
        Appointment conference = IpsFixtures.conference("a1", "p1", Instant.now(), Instant.now());
        conference.addParticipant().setActor(IpsFixtures.ref("Patient", "p2"));
        Notification n = post(SubscriptionNotifier.backportBundle(BASE, "event-notification", 3, List.of(
                new Event(3, conference), new Event(2, IpsFixtures.employmentGoal("g1", "p3", "Arbejde")),
                new Event(2, IpsFixtures.patient("p4", "0101901234", "Anna", "Test"))), true));

        assertThat(n.patientIds()).containsExactlyInAnyOrder("p1", "p2", "p3", "p4");
        assertThat(n.eventNumbers()).as("ascending, without repeats").containsExactly(2L, 3L);
    }

    @Test
    void shouldAskForAPollWhenTheChangeIsNotCarried() {
        Resource consent = IpsFixtures.consent("c1", "p1").build();
        Notification idOnly = post(SubscriptionNotifier.backportBundle(BASE, "event-notification", 1,
                List.of(new Event(1, consent)), false));
        assertThat(idOnly.pollNeeded()).isTrue();
        assertThat(idOnly.patientIds()).isEmpty();
        assertThat(idOnly.eventNumbers()).containsExactly(1L);

        Notification empty = post(SubscriptionNotifier.backportBundle(BASE, "event-notification", 4, List.of(), false));
        assertThat(empty.pollNeeded()).isTrue();
        assertThat(empty.eventsSinceStart()).isEqualTo(4);
    }

    @Test
    void shouldReadHandshakesAndHeartbeatsAsStatusOnly() {
        Notification handshake = post(SubscriptionNotifier.backportBundle(BASE, "handshake", 0, List.of(), false));
        assertThat(handshake.kind()).isEqualTo("handshake");
        assertThat(handshake.pollNeeded()).as("what changed before the subscription started").isTrue();
        assertThat(handshake.eventsSinceStart()).isZero();

        Notification heartbeat = post(SubscriptionNotifier.backportBundle(BASE, "heartbeat", 12, List.of(), false));
        assertThat(heartbeat.kind()).isEqualTo("heartbeat");
        assertThat(heartbeat.pollNeeded()).as("only a gap in the count makes a heartbeat poll").isFalse();
        assertThat(heartbeat.eventsSinceStart()).isEqualTo(12);
        assertThat(heartbeat.eventNumbers()).isEmpty();
    }

    @Test
    void shouldTakeEventNumbersAsIntegersToo() {
        String bundle = SubscriptionNotifier.backportBundle(BASE, "heartbeat", 12, List.of(), false)
                .replace("\"valueString\":\"12\"", "\"valueUnsignedInt\":12");
        assertThat(post(bundle).eventsSinceStart()).isEqualTo(12);
    }

    @Test
    void shouldMarkThePatientsOfAHapiTransactionRestHook() {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(IpsFixtures.consent("c1", "p1").build());
        transaction.addEntry().setResource(IpsFixtures.careTeam("t1", "p2", null, null, null));
        Notification n = post(FHIR.newJsonParser().encodeResourceToString(transaction));
        assertThat(n.kind()).isEqualTo("rest-hook-transaction");
        assertThat(n.patientIds()).containsExactlyInAnyOrder("p1", "p2");
        assertThat(n.pollNeeded()).isFalse();
    }

    @Test
    void shouldMarkThePatientOfARestHookWithPayload() {
        String consent = FHIR.newJsonParser().encodeResourceToString(IpsFixtures.consent("c1", "p1").build());
        Notification n = reader.put(consent.getBytes(UTF_8), JSON, "Consent", "c1");
        assertThat(n.kind()).isEqualTo("rest-hook-resource");
        assertThat(n.patientIds()).containsExactly("p1");
        assertThat(n.pollNeeded()).isFalse();

        String patientWithoutId = "{\"resourceType\":\"Patient\",\"active\":true}";
        assertThat(reader.put(patientWithoutId.getBytes(UTF_8), JSON, "Patient", "p9").patientIds())
                .as("the id from the path").containsExactly("p9");
    }

    @Test
    void shouldMarkADeletedPatientAndNameADeletedConsentAndNothingForOtherDeletions() {
        assertThat(reader.delete("Patient", "p1").patientIds()).containsExactly("p1");
        assertThat(reader.delete("Consent", "c1").patientIds()).isEmpty();
        assertThat(reader.delete("CareTeam", "t1").patientIds()).isEmpty();
        assertThat(reader.delete("CareTeam", "t1").deletedConsentId()).isNull();
        assertThat(reader.delete("Consent", "c1").deletedConsentId()).isEqualTo("c1");
        assertThat(reader.delete("Patient", "p1").deletedConsentId()).isNull();
    }

    @Test
    void shouldNeverMarkAnIdThatIsNotAFhirId() {
        String tooLong = "p".repeat(65);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(IpsFixtures.consent("c1", tooLong).build());
        transaction.addEntry().setResource(IpsFixtures.employmentGoal("g1", "p1", "x"));
        assertThat(post(FHIR.newJsonParser().encodeResourceToString(transaction)).patientIds()).containsExactly("p1");
    }

    @Test
    void shouldRefuseAResourceWhoseIdIsNotAFhirId() {
        // HAPI reads the id "Other/p2" as type Other and id p2; the fuzz test found it marking p2
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"Other/p2\"}},"
                + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}}]}";
        assertRefused(() -> post(transaction), 400, "bad-id");
    }

    @Test
    void shouldPollInsteadOfMarkingMoreThanTheLimitOfPatients() {
        Appointment crowd = IpsFixtures.conference("a1", "p0", Instant.now(), Instant.now());
        IntStream.rangeClosed(1, NotificationReader.MAX_PATIENTS).forEach(i -> crowd.addParticipant()
                .setActor(IpsFixtures.ref("Patient", "p" + i)));
        Notification n = post(SubscriptionNotifier.backportBundle(BASE, "event-notification", 1,
                List.of(new Event(1, crowd)), true));
        assertThat(n.patientIds()).isEmpty();
        assertThat(n.pollNeeded()).isTrue();
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @ValueSource(strings = {"application/fhir+xml", "application/xml", "text/xml; charset=utf-8"})
        void shouldRefuseXmlUnread(String contentType) {
            assertRefused(() -> reader.post("{}".getBytes(UTF_8), contentType), 415, "xml-not-accepted");
        }

        @Test
        void shouldRefuseABodyThatLooksLikeXmlWhateverItsContentType() {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ' ', '<', 'B', '/', '>'};
            assertRefused(() -> reader.post(bom, JSON), 415, "xml-not-accepted");
            assertRefused(() -> reader.put(" <Patient/>".getBytes(UTF_8), null, "Patient", "p1"), 415,
                    "xml-not-accepted");
        }

        @Test
        void shouldRefuseOtherMediaTypes() {
            assertRefused(() -> reader.post("{}".getBytes(UTF_8), "text/plain"), 415, "unsupported-media-type");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"resourceType\":\"Bundle\"} trailing", "[1,2]", "\"Bundle\"",
                "{\"resourceType\":\"Bundle\",\"resourceType\":\"Patient\"}", "\u0000\u0001"})
        void shouldRefuseWhatIsNotOneJsonObject(String body) {
            assertRefused(() -> reader.post(body.getBytes(UTF_8), JSON), 400, "malformed-json");
        }

        @Test
        void shouldRefuseDeepNestingBeforeParsingFhir() {
            String deep = "{\"resourceType\":\"Bundle\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
            assertRefused(() -> reader.post(deep.getBytes(UTF_8), JSON), 400, "json-limit");
        }

        @Test
        void shouldRefuseWhatIsNotANotificationBundle() {
            assertRefused(() -> reader.post("{\"resourceType\":\"Patient\",\"id\":\"p1\"}".getBytes(UTF_8), JSON), 400,
                    "unexpected-resource-type");
            assertRefused(() -> reader.post("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}".getBytes(UTF_8),
                    JSON), 400, "unsupported-bundle-type");
            assertRefused(() -> reader.post("{\"resourceType\":\"Bundle\",\"type\":\"history\"}".getBytes(UTF_8),
                    JSON), 400, "not-a-notification");
            String r4b = SubscriptionNotifier.backportBundle(BASE, "heartbeat", 1, List.of(), false)
                    .replace("\"resourceType\":\"Parameters\"", "\"resourceType\":\"SubscriptionStatus\"");
            assertRefused(() -> post(r4b), 400, "not-a-notification");
        }

        @Test
        void shouldRefuseAStatusWithoutSubscriptionOrType() {
            String valid = SubscriptionNotifier.backportBundle("", "heartbeat", 1, List.of(), false);
            assertRefused(() -> post(valid.replace("\"name\":\"subscription\"", "\"name\":\"other\"")), 400,
                    "bad-subscription");
            assertRefused(() -> post(valid.replace("\"Subscription/ips-bridge\"", "\"Subscription/../x\"")), 400,
                    "bad-subscription");
            assertRefused(() -> post(valid.replace("\"heartbeat\"", "\"hearbeat\"")), 400,
                    "unknown-notification-type");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"-1\"", "\"1e3\"", "\"1234567890123456789\"", "-1", "1.5", "\"\""})
        void shouldRefuseAnEventNumberThatIsNotAWholeNumber(String value) {
            String valid = SubscriptionNotifier.backportBundle("", "event-notification", 1,
                    List.of(new Event(1, IpsFixtures.consent("c1", "p1").build())), true);
            String broken = valid.replace("{\"name\":\"event-number\",\"valueString\":\"1\"}",
                    "{\"name\":\"event-number\",\"valueString\":" + value + "}");
            assertThat(broken).isNotEqualTo(valid);
            assertRefused(() -> post(broken), 400, "bad-event-number");
        }

        @Test
        void shouldRefuseAResourceThatIsNotFhir() {
            String valid = SubscriptionNotifier.backportBundle("", "event-notification", 1,
                    List.of(new Event(1, IpsFixtures.consent("c1", "p1").build())), true);
            assertRefused(() -> post(valid.replace("\"resourceType\":\"Consent\"", "\"resourceType\":\"Konsent\"")),
                    400, "malformed-fhir");
            assertRefused(() -> post(valid.replace("\"status\":\"active\",\"scope\"", "\"status\":7,\"scope\"")),
                    400, "malformed-fhir");
            assertRefused(() -> post(valid.replace("\"id\":\"c1\",", "")), 400, "resource-without-id");
        }

        @Test
        void shouldRefuseARestHookWhoseResourceDisagreesWithItsPath() {
            String consent = FHIR.newJsonParser().encodeResourceToString(IpsFixtures.consent("c1", "p1").build());
            assertRefused(() -> reader.put(consent.getBytes(UTF_8), JSON, "Patient", "c1"), 400, "path-mismatch");
            assertRefused(() -> reader.put(consent.getBytes(UTF_8), JSON, "Consent", "c2"), 400, "path-mismatch");
            assertRefused(() -> reader.put(consent.getBytes(UTF_8), JSON, "Konsent", "c1"), 400,
                    "unknown-resource-type");
            assertRefused(() -> reader.put(consent.getBytes(UTF_8), JSON, "Consent", "c 1"), 400, "bad-id");
            assertRefused(() -> reader.put(new byte[0], JSON, "Consent", "c1"), 400, "missing-resource");
        }
    }

    private Notification post(String body) {
        return reader.post(body.getBytes(UTF_8), JSON);
    }

    static void assertRefused(Runnable read, int status, String reason) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(RejectedNotification.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.status()).isEqualTo(status);
        });
    }
}
