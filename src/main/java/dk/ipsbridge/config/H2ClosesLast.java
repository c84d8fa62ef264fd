package dk.ipsbridge.config;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * An embedded H2 store closes when the adapter has stopped, not before: {@code DB_CLOSE_ON_EXIT=FALSE} is added to an
 * H2 URL that does not say otherwise. Without it H2's own shutdown hook closes the database while the routes still
 * drain, and on SIGTERM a review or a poll under way fails with "Database is already closed" (issue 17). The pool is
 * closed by Spring after the routes stop, and H2 with it.
 */
class H2ClosesLast implements EnvironmentPostProcessor {

    static final String URL = "spring.datasource.url";
    private static final String SETTING = "DB_CLOSE_ON_EXIT";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty(URL);
        String fixed = url == null ? null : closingLast(url);
        if (fixed != null && !fixed.equals(url)) {
            environment.getPropertySources().addFirst(new MapPropertySource("ipsH2ClosesLast", Map.of(URL, fixed)));
        }
    }

    /** The URL with {@code ;DB_CLOSE_ON_EXIT=FALSE} when it is an H2 URL that does not set it; else unchanged. */
    static String closingLast(String url) {
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains(SETTING)) {
            return url;
        }
        return url + ";" + SETTING + "=FALSE";
    }
}
