package dk.ipsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every route and route template in camel-routes/ opts in to the one error policy ({@code routeConfigurationId:
 * ips-error-policy}). The one kind of exception: a {@code direct:} route that is a step of its callers' unit of work
 * ({@code patient-decide}) declares {@code noErrorHandler}, so that what fails there goes back to the caller; then
 * every route that calls it must name the policy.
 */
class RoutePolicyTest {

    private static final String POLICY = "ips-error-policy";

    @Test
    void shouldPutEveryRouteAndRouteTemplateUnderTheErrorPolicy() throws IOException {
        List<Map<String, Object>> routes = routes();
        assertThat(routes).extracting(r -> r.get("id")).contains("patient-review", "patient-decide",
                "outcome-collect", "outcome-collect-jobcenter", "ehr-poll", "jobcenter-deliver");

        Map<String, List<String>> callers = new HashMap<>();
        routes.forEach(r -> directCalls(r.get("from")).forEach(uri ->
                callers.computeIfAbsent(uri, k -> new ArrayList<>()).add(String.valueOf(r.get("id")))));
        for (Map<String, Object> route : routes) {
            if (POLICY.equals(route.get("routeConfigurationId"))) {
                continue;
            }
            String uri = String.valueOf(((Map<?, ?>) route.get("from")).get("uri"));
            assertThat(uri).as("route %s names no error policy and is not a direct: step of its caller's work",
                    route.get("id")).startsWith("direct:");
            assertThat(String.valueOf(route.get("errorHandler"))).as("route %s: a step of its caller's work must "
                    + "hand its failures back (noErrorHandler)", route.get("id")).contains("noErrorHandler");
            assertThat(callers.getOrDefault(uri, List.of())).as("the routes that call %s", uri).isNotEmpty()
                    .allSatisfy(caller -> assertThat(routes).filteredOn(r -> caller.equals(r.get("id")))
                            .singleElement().extracting(r -> r.get("routeConfigurationId")).isEqualTo(POLICY));
        }
    }

    /** The routes of every file, a route template's route under the template's id. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> routes() throws IOException {
        List<Map<String, Object>> routes = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("camel-routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Map<String, Object> item : (List<Map<String, Object>>) new Yaml().load(reader)) {
                        if (item.get("route") instanceof Map<?, ?> route) {
                            routes.add((Map<String, Object>) route);
                        } else if (item.get("routeTemplate") instanceof Map<?, ?> template) {
                            Map<String, Object> route = new HashMap<>((Map<String, Object>) template.get("route"));
                            route.put("id", template.get("id"));
                            routes.add(route);
                        } else {
                            assertThat(item).as("%s: only routes, route templates and the policy", file)
                                    .containsOnlyKeys("routeConfiguration");
                        }
                    }
                }
            }
        }
        return routes;
    }

    /** Every {@code to: direct:...} anywhere below a node. */
    private static List<String> directCalls(Object node) {
        List<String> calls = new ArrayList<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("to".equals(key) && value instanceof String uri && uri.startsWith("direct:")) {
                    calls.add(uri);
                } else if ("to".equals(key) && value instanceof Map<?, ?> to
                        && String.valueOf(to.get("uri")).startsWith("direct:")) {
                    calls.add(String.valueOf(to.get("uri")));
                } else {
                    calls.addAll(directCalls(value));
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(child -> calls.addAll(directCalls(child)));
        }
        return calls;
    }
}
