package dk.ipsbridge.testkit.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Resource;

/** Plain HTTP to a mock EHR, for the kit's own tests: requests as a client sends them, answers parsed. */
final class EhrHttp {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final HttpClient http = HttpClient.newHttpClient();
    private final MockEhr ehr;

    EhrHttp(MockEhr ehr) {
        this.ehr = ehr;
    }

    /** One answer. */
    record Answer(HttpResponse<String> response) {

        int status() {
            return response.statusCode();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The body as FHIR, of the class expected. */
        <T extends Resource> T body(Class<T> expected) {
            return expected.cast(FHIR.newJsonParser().parseResource(response.body()));
        }
    }

    /** GET of a path under the base, or of an absolute URL. */
    Answer get(String url) {
        return send(request(url).GET());
    }

    /** As {@link #get(String)}, asserting 200; the body as {@code expected}. */
    <T extends Resource> T read(String url, Class<T> expected) {
        Answer answer = get(url);
        assertThat(answer.status()).as("GET %s", url).isEqualTo(200);
        return answer.body(expected);
    }

    /** POST of a resource; {@code headers} are name, value, name, value ... */
    Answer post(String path, Resource body, String... headers) {
        return send(request(path).headers(withContentType(headers)).POST(encode(body)));
    }

    Answer put(String path, Resource body, String... headers) {
        return send(request(path).headers(withContentType(headers)).PUT(encode(body)));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : ehr.baseUrl() + url))
                .header("Accept", "application/fhir+json");
    }

    private static String[] withContentType(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/fhir+json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    private static HttpRequest.BodyPublisher encode(Resource body) {
        return HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(body));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            return new Answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException("The mock EHR did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
