package dk.ipsbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The standalone mocks start as asked, answer over HTTP, and say what is wrong with a bad command line. */
class MockServersTest {

    @Test
    void shouldStartTheCohortsEhrAndBothJobcenters() throws Exception {
        try (MockServers servers = MockServers.start("cohort")) {
            assertThat(servers.ehrs()).hasSize(1);
            assertThat(servers.jobcenters()).extracting(j -> j.id()).containsExactly("jobcenter-a", "jobcenter-b");
            assertThat(get(servers.ehrs().get(0).baseUrl() + "/Patient?_count=1")).contains("\"total\"");
            assertThat(get(servers.jobcenters().get(1).baseUrl() + "/outcomes")).contains("nextCursor");
            assertThat(servers.describe()).hasSize(3).anySatisfy(l -> assertThat(l).contains("synthetic patients"));
        }
    }

    @Test
    void shouldStartOneJobcenterOnTheGivenPort() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (MockServers servers = MockServers.start("jobcenter", "--id", "jobcenter-x", "--port",
                String.valueOf(port))) {
            assertThat(servers.jobcenters().get(0).baseUrl()).isEqualTo("http://localhost:" + port + "/api/ips/v1");
            assertThat(servers.ehrs()).isEmpty();
        }
    }

    @Test
    void shouldStartALenientEhrThatIgnoresTheParametersGiven() throws Exception {
        try (MockServers servers = MockServers.start("ehr", "--cohort", "--ignore-param", "patient,subject")) {
            String base = servers.ehrs().get(0).baseUrl();
            int all = total(get(base + "/Consent?_count=0"));
            assertThat(all).isPositive();
            assertThat(total(get(base + "/Consent?_count=0&patient=Patient/no-such-patient"))).isEqualTo(all);
            assertThat(servers.describe().get(0)).contains("ignoring search parameters patient,subject");
        }
    }

    @Test
    void shouldSayWhatIsWrongWithTheCommandLine() {
        assertThatThrownBy(MockServers::start).hasMessageContaining("usage");
        assertThatThrownBy(() -> MockServers.start("jobcenter")).hasMessageContaining("--id");
        assertThatThrownBy(() -> MockServers.start("ehr", "--port", "x")).hasMessageContaining("port number");
        assertThatThrownBy(() -> MockServers.start("ftp")).hasMessageContaining("unknown command ftp");
        assertThatThrownBy(() -> MockServers.start("ehr", "--ignore-param")).hasMessageContaining("--ignore-param");
        assertThatThrownBy(() -> MockServers.start("ehr", "--ignore-param", "patient:Patient"))
                .hasMessageContaining("--ignore-param");
    }

    private static int total(String searchset) {
        Matcher m = Pattern.compile("\"total\":\\s*(\\d+)").matcher(searchset);
        assertThat(m.find()).as("a total in %s", searchset).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
