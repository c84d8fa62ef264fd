package dk.ipsbridge.preview;

import static dk.ipsbridge.preview.PreviewWorld.CPR;
import static dk.ipsbridge.preview.PreviewWorld.consentToA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.util.Set;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.ipsbridge.officer.OfficerWorkspace;
import dk.ipsbridge.officer.OfficerWorkspace.Look;
import dk.ipsbridge.security.Officer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * {@code POST /api/consents/preview}: a clear 400 for a bad CPR or an unknown jobcenter, never echoing the CPR, and
 * the officer's lookup recorded (the only thing a preview writes).
 */
class PreviewControllerTest {

    private static final Authentication OFFICER = new TestingAuthenticationToken("officer-1", null);

    private final PreviewWorld world = new PreviewWorld();
    private final OfficerWorkspace workspace = mock(OfficerWorkspace.class);
    private final PreviewController controller = new PreviewController(world.preview(), world.jobcenters, workspace);

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logs = (Logger) LoggerFactory.getLogger("dk.ipsbridge");

    PreviewControllerTest() {
        when(workspace.officer(OFFICER)).thenReturn(new Officer("officer-1", Set.of("jc-a", "jc-b"), false));
        lines.start();
        logs.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logs.detachAppender(lines);
    }

    private ResponseEntity<?> post(String cpr, String jobcenterId) {
        return controller.preview(new PreviewController.PreviewRequest(cpr, jobcenterId), OFFICER);
    }

    private static String detail(ResponseEntity<?> response) {
        assertThat(response.getBody()).isInstanceOf(ProblemDetail.class);
        return ((ProblemDetail) response.getBody()).getDetail();
    }

    /** Nothing of the CPR in any log line, in any argument of one, or in the answer. */
    private void assertNoCprAnywhere(String cpr, ResponseEntity<?> response) {
        assertThat(lines.list).allSatisfy(line -> {
            assertThat(line.getFormattedMessage()).doesNotContain(cpr);
            assertThat(String.valueOf(line.getMDCPropertyMap())).doesNotContain(cpr);
        });
        if (response.getBody() instanceof ProblemDetail problem) {
            assertThat(String.valueOf(problem.getDetail()) + problem.getTitle() + problem.getProperties())
                    .doesNotContain(cpr);
        }
    }

    @Nested
    class BadRequests {

        @ParameterizedTest(name = "[{index}] '{0}'")
        @NullSource
        @ValueSource(strings = {"", "3201901234", "0113901234", "010190123", "01019012345", "010190-1234",
                "01019O1234"})
        void shouldRefuseAnInvalidCprWithoutEchoingItOrLookingAnythingUp(String cpr) {
            ResponseEntity<?> response = post(cpr, "jc-a");

            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(detail(response)).isEqualTo("cpr must be a valid CPR number: ten digits, DDMMYY first");
            if (cpr != null && !cpr.isEmpty()) {
                assertNoCprAnywhere(cpr, response);
            }
            verifyNoInteractions(world.loader, workspace);
        }

        @Test
        void shouldRefuseARequestWithoutABody() {
            ResponseEntity<?> response = controller.preview(null, OFFICER);

            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(detail(response)).startsWith("cpr must be a valid CPR number");
            verifyNoInteractions(world.loader, workspace);
        }

        @ParameterizedTest(name = "[{index}] '{0}'")
        @NullSource
        @ValueSource(strings = {"jc-unknown", "", "JC-A"})
        void shouldRefuseAnUnknownJobcenterNamingTheConfiguredOnesButNotTheCpr(String jobcenterId) {
            ResponseEntity<?> response = post(CPR, jobcenterId);

            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(detail(response))
                    .isEqualTo("jobcenterId must be one of the configured jobcenters: [jc-a, jc-b]");
            assertNoCprAnywhere(CPR, response);
            verifyNoInteractions(world.loader, workspace);
        }
    }

    @Test
    void shouldAnswerWithThePreviewAndRecordTheOfficersLookupOnly() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact").build());

        ResponseEntity<?> response = post(CPR, "jc-a");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).asList().singleElement().isInstanceOfSatisfying(
                ConsentPreview.PatientPreview.class, p -> assertThat(p.decision()).isEqualTo("share"));
        // the lookup goes into the ledger as an officer search; no decision, no case, nothing to deliver
        verify(workspace).officer(OFFICER);
        verify(workspace).recordLookup("officer-1", Look.PREVIEW, CPR, "jc-a", null, null);
        verifyNoMoreInteractions(workspace);
        assertNoCprAnywhere(CPR, response);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("consent preview by officer-1 for recipient jc-a: 1 patient record(s)");
    }

    @Test
    void shouldRefuseAJobcenterOutsideTheOfficersScopeBeforeLookingAnythingUp() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact").build());
        when(workspace.officer(OFFICER)).thenReturn(new Officer("officer-1", Set.of("jc-b"), false));

        ResponseEntity<?> withPatient = post(CPR, "jc-a");
        ResponseEntity<?> withoutPatient = post("0202902345", "jc-a"); // in no source

        // the same answer whether or not the CPR number is a patient's: nothing to learn outside one's scope
        assertThat(withPatient.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(withoutPatient.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(detail(withPatient)).isEqualTo(detail(withoutPatient)).isEqualTo("jobcenterId is outside your scope");
        verifyNoInteractions(world.loader);
        verify(workspace, never()).recordLookup(any(), any(), any(), any(), any(), any());
    }

    @Test
    void shouldShowAHeldPatientWithTheReason() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact").build());

        ResponseEntity<?> response = post(CPR, "jc-b");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).asList().singleElement().isInstanceOfSatisfying(
                ConsentPreview.PatientPreview.class, p -> {
                    assertThat(p.decision()).isEqualTo("hold");
                    assertThat(p.reason()).isEqualTo("unknown-recipient");
                    assertThat(p.record()).isNull();
                });
        assertNoCprAnywhere(CPR, response);
    }

    @Test
    void shouldAnswerNotFoundWithoutTheCprWhenNoSourceHoldsIt() {
        ResponseEntity<?> response = post(CPR, "jc-a");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(detail(response)).isEqualTo("No patient with this CPR number in any EHR source");
        assertNoCprAnywhere(CPR, response);
        // looking for a citizen is recorded even when nobody is found
        verify(workspace).officer(OFFICER);
        verify(workspace).recordLookup("officer-1", Look.PREVIEW, CPR, "jc-a", null, null);
        verifyNoMoreInteractions(workspace);
    }

    @Test
    void shouldNotRecordALookupPerSourceOrPatientButOnePerRequest() {
        world.patientIn("ehr-a", consentToA("k1").categories("contact").build());
        world.patientIn("ehr-b", consentToA("k2").categories("contact").build());

        ResponseEntity<?> response = post(CPR, "jc-a");

        assertThat(response.getBody()).asList().hasSize(2);
        verify(workspace).officer(OFFICER);
        verify(workspace).recordLookup("officer-1", Look.PREVIEW, CPR, "jc-a", null, null);
        verifyNoMoreInteractions(workspace);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "consent preview by officer-1 for recipient jc-a: 2 patient record(s)");
        assertNoCprAnywhere(CPR, response);
    }
}
