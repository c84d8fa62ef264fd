package dk.ipsbridge.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dk.ipsbridge.failure.BadInputException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the EHR client makes of hostile and broken answers: each a {@link BadInputException} with its reason. */
class EhrClientTest {

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}";
    private static final String WHAT = "Consent search";

    private final EhrClient client = CannedHttp.client(CannedHttp.TEN_MB);

    private static String bundle(String... entries) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[");
        for (int i = 0; i < entries.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"resource\":").append(entries[i]).append('}');
        }
        return json.append("]}").toString();
    }

    private BadInputException rejected(String body) {
        return rejected(() -> client.parsePage(body, WHAT));
    }

    private static BadInputException rejected(ThrowingCallable call) {
        BadInputException e = catchThrowableOfType(BadInputException.class, call);
        assertThat(e).as("rejected as bad input").isNotNull();
        return e;
    }

    @Test
    void shouldReadAPageAndKeepABrokenEntryApart() {
        EhrClient.Page page = client.parsePage(bundle(PATIENT, "{\"resourceType\":\"Patient\",\"id\":\"p2\","
                + "\"birthDate\":\"not a date\"}"), WHAT);

        assertThat(page.resources()).extracting(r -> r.getIdElement().getIdPart()).containsExactly("p1");
        assertThat(page.badEntries()).extracting(EhrClient.BadEntry::id).containsExactly("p2");
    }

    @Nested
    class Rejects {

        @Test
        void shouldRejectMalformedJson() {
            assertThat(rejected("{\"resourceType\":\"Bundle\",\"entry\":[").reason()).isEqualTo("malformed-response");
            assertThat(rejected("[]").reason()).isEqualTo("malformed-response");
            assertThat(rejected("").reason()).isEqualTo("malformed-response");
        }

        @Test
        void shouldRejectJsonThatTwoReadersCouldReadDifferently() {
            assertThat(rejected("{\"resourceType\":\"Patient\",\"resourceType\":\"Bundle\"}").reason())
                    .as("duplicate key").isEqualTo("malformed-response");
            assertThat(rejected(bundle() + "{\"resourceType\":\"Patient\"}").reason()).as("trailing content")
                    .isEqualTo("malformed-response");
        }

        @Test
        void shouldRejectABundleWhoseEntryOrNextLinkIsNotWhatFhirSays() {
            assertThat(rejected("{\"resourceType\":\"Bundle\",\"entry\":{\"a\":{\"resource\":" + PATIENT + "}}}")
                    .reason()).isEqualTo("malformed-response");
            assertThat(rejected("{\"resourceType\":\"Bundle\",\"link\":[{\"relation\":\"next\",\"url\":{}}]}")
                    .reason()).isEqualTo("malformed-response");
        }

        @Test
        void shouldRejectAnythingButABundle() {
            BadInputException e = rejected(PATIENT);

            assertThat(e.reason()).isEqualTo("unexpected-resource-type");
            assertThat(e.getMessage()).isEqualTo("EHR Consent search answered Patient instead of a Bundle");
        }

        @Test
        void shouldNeverQuoteACprShapedResourceType() {
            BadInputException e = rejected("{\"resourceType\":\"0101901234\"}");

            assertThat(e.getMessage()).doesNotContain("0101901234").contains("answered ? instead");
            assertThat(EhrClient.safe("Patient/010190-1234")).isEqualTo("Patient??");
            assertThat(EhrClient.safe("Patient/12345678901")).as("not CPR-shaped").isEqualTo("Patient?12345678901");
        }

        @Test
        void shouldAcceptNestingUpTo64LevelsAndRejectDeeper() {
            assertThat(client.parsePage(nested(64), WHAT).resources()).isEmpty();

            BadInputException e = rejected(nested(65));
            assertThat(e.reason()).isEqualTo("json-limit-exceeded");
            assertThat(e.getMessage()).contains("nesting depth");
        }

        /** A Bundle whose deepest value lies {@code depth} levels down, the Bundle being the first. */
        private static String nested(int depth) {
            return "{\"resourceType\":\"Bundle\",\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        }

        @Test
        void shouldRejectAHugeNumber() {
            assertThat(rejected("{\"resourceType\":\"Bundle\",\"total\":" + "9".repeat(2000) + "}").reason())
                    .isEqualTo("json-limit-exceeded");
        }

        @Test
        void shouldNeverParseMarkupEvenWhenCalledJson() {
            assertThat(rejected("\uFEFF \n\t<?xml version=\"1.0\"?><Bundle xmlns=\"http://hl7.org/fhir\"/>").reason())
                    .isEqualTo("xml-not-accepted");
            assertThat(rejected("<html><body>502 Bad Gateway</body></html>").reason()).isEqualTo("xml-not-accepted");
            assertThat(client.parsePage("\uFEFF" + bundle(PATIENT), WHAT).resources()).as("a BOM before JSON is fine")
                    .hasSize(1);
        }

        @Test
        void shouldRejectAReadOfAnotherTypeOrOfBrokenFhir() {
            assertThat(rejected(() -> client.parseResource(PATIENT, "Organization", "Organization read")).reason())
                    .isEqualTo("unexpected-resource-type");
            BadInputException broken = rejected(() -> client.parseResource(
                    "{\"resourceType\":\"Patient\",\"birthDate\":[1]}", "Patient", "Patient read"));
            assertThat(broken.reason()).isEqualTo("unreadable-resource");
            assertThat(broken.getMessage()).isEqualTo("EHR Patient read is not valid FHIR R4: DataFormatException");
            assertThat(client.parseResource(PATIENT, "Patient", "Patient read")).isInstanceOf(Patient.class);
        }
    }

    /** XML with external entities: never parsed, so no entity or DTD is ever resolved. */
    @Nested
    class ExternalEntities {

        @TempDir
        Path dir;

        private Path secret() throws IOException {
            return Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-7f3a");
        }

        private String doctype(Path secret, CannedHttp dtd) {
            return "<!DOCTYPE Bundle [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\"><!ENTITY % ext SYSTEM \""
                    + dtd.url("/evil.dtd") + "\"> %ext;]>";
        }

        @Test
        void shouldRejectAnXmlAnswerWithoutResolvingItsEntities() throws IOException {
            try (CannedHttp ehr = new CannedHttp(); CannedHttp dtd = new CannedHttp()) {
                dtd.answer(200, "application/xml-dtd", "<!ENTITY leak \"x\">".getBytes(StandardCharsets.UTF_8));
                String xml = "<?xml version=\"1.0\"?>" + doctype(secret(), dtd)
                        + "<Bundle xmlns=\"http://hl7.org/fhir\">"
                        + "<type value=\"searchset\"/><entry><resource><Patient><id value=\"p1\"/><name><family "
                        + "value=\"&xxe;\"/></name></Patient></resource></entry></Bundle>";
                ehr.answer(200, "application/fhir+xml;charset=utf-8", xml.getBytes(StandardCharsets.UTF_8));

                BadInputException e = rejected(() -> client.search(ehr.source(), "Consent", Map.of("_count", "10")));

                assertThat(e.reason()).isEqualTo("xml-not-accepted");
                assertThat(e.getMessage() + e.original()).doesNotContain("TOP-SECRET");
                assertThat(dtd.requests()).isZero();
            }
        }

        @Test
        void shouldTakeAnXmlContentTypeAtItsWord() {
            try (CannedHttp ehr = new CannedHttp()) {
                ehr.answer(200, "text/xml", bundle(PATIENT).getBytes(StandardCharsets.UTF_8));

                assertThat(rejected(() -> client.read(ehr.source(), "Patient", "p1")).reason())
                        .isEqualTo("xml-not-accepted");
            }
        }

        @Test
        void shouldKeepAnEntryWithAnEntityInItsNarrativeApartWithoutResolvingIt() throws IOException {
            try (CannedHttp dtd = new CannedHttp()) {
                String div = (doctype(secret(), dtd) + "<div xmlns=\"http://www.w3.org/1999/xhtml\">&xxe;</div>")
                        .replace("\"", "\\\"");
                String patient = "{\"resourceType\":\"Patient\",\"id\":\"p2\",\"text\":{\"status\":\"generated\","
                        + "\"div\":\"" + div + "\"}}";

                EhrClient.Page page = client.parsePage(bundle(PATIENT, patient), WHAT);

                assertThat(page.resources()).hasSize(1);
                assertThat(page.badEntries()).singleElement().satisfies(bad -> {
                    assertThat(bad.id()).isEqualTo("p2");
                    assertThat(bad.problem() + bad.json()).doesNotContain("TOP-SECRET");
                });
                assertThat(dtd.requests()).isZero();
            }
        }
    }

    @Nested
    class SizeLimit {

        /** A Bundle of exactly {@code bytes} bytes. */
        private static byte[] bundleOf(long bytes) {
            String head = "{\"resourceType\":\"Bundle\",\"id\":\"";
            String tail = "\"}";
            return (head + "a".repeat((int) bytes - head.length() - tail.length()) + tail)
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Test
        void shouldReadAnAnswerOfExactlyTheDefaultLimitAndRejectOneByteMore() {
            try (CannedHttp ehr = new CannedHttp()) {
                ehr.answer(200, "application/fhir+json", bundleOf(CannedHttp.TEN_MB));
                assertThat(client.search(ehr.source(), "Consent", Map.of()).resources()).isEmpty();

                ehr.answer(200, "application/fhir+json", bundleOf(CannedHttp.TEN_MB + 1));
                BadInputException e = rejected(() -> client.search(ehr.source(), "Consent", Map.of()));
                assertThat(e.reason()).isEqualTo("response-too-large");
                assertThat(e.getMessage()).contains("10485760 bytes");
            }
        }
    }
}
