package dk.ipsbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.mock.env.MockEnvironment;

class ListedClasspathRoutesTest {

    private final PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();

    @Test
    void shouldListEveryRouteFileTheDefaultPatternMatches() throws Exception {
        List<String> shipped;
        try (Stream<Path> files = Files.list(Path.of("camel-routes"))) {
            shipped = files.map(f -> "classpath:camel-routes/" + f.getFileName()).sorted().toList();
        }

        String listed = ListedClasspathRoutes.expand("classpath:camel-routes/*.yaml", resolver);

        assertThat(Arrays.asList(listed.split(","))).isEqualTo(shipped).hasSizeGreaterThan(5);
    }

    @Test
    void shouldLeaveFilesExplicitNamesAndFolderWildcardsToCamel() {
        assertThat(ListedClasspathRoutes.expand("file:/etc/ips-bridge/camel-routes/*.yaml", resolver))
                .isEqualTo("file:/etc/ips-bridge/camel-routes/*.yaml");
        assertThat(ListedClasspathRoutes.expand("classpath:camel-routes/ehr-ingest.yaml, classpath:**/*.yaml",
                resolver)).isEqualTo("classpath:camel-routes/ehr-ingest.yaml,classpath:**/*.yaml");
        assertThat(ListedClasspathRoutes.expand("classpath:camel-routes/*.xml", resolver))
                .as("nothing matches: Camel sees the pattern as before").isEqualTo("classpath:camel-routes/*.xml");
    }

    @Test
    void shouldKeepEntriesBesideTheExpandedOneInTheEnvironment() {
        MockEnvironment environment = new MockEnvironment().withProperty(ListedClasspathRoutes.PROPERTY,
                "file:/srv/routes/*.yaml,classpath:camel-routes/ehr-*.yaml");

        new ListedClasspathRoutes().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(ListedClasspathRoutes.PROPERTY))
                .isEqualTo("file:/srv/routes/*.yaml,classpath:camel-routes/ehr-ingest.yaml");
    }
}
