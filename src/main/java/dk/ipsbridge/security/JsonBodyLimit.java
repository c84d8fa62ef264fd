package dk.ipsbridge.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API's JSON bodies are bounded ({@code ips.security.max-json-body}): a larger one gets 413 before it is read,
 * and one without a {@code Content-Length} (chunked) gets 411, so that no body is read without knowing its size.
 * The EHR's notifications ({@code /fhir/notify/**}) have their own limit, kept while reading.
 */
final class JsonBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    JsonBodyLimit(InboundProperties properties) {
        this.maxBytes = properties.maxJsonBody().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isJson(request)) {
            long length = request.getContentLengthLong();
            if (length > maxBytes) {
                Problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE,
                        "The body is larger than ips.security.max-json-body (" + maxBytes + " bytes)");
                return;
            }
            if (length < 0) {
                Problems.write(response, HttpStatus.LENGTH_REQUIRED, "A JSON body needs a Content-Length");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return false;
        }
        try {
            MediaType media = MediaType.parseMediaType(type);
            return "json".equals(media.getSubtype()) || media.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
