package dk.ipsbridge.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Replaces a wildcard {@code classpath:} entry of {@code camel.main.routes-include-pattern} (the default,
 * {@code classpath:camel-routes/*.yaml}) by the files it matches, found with Spring's resolver, before Camel reads the
 * setting. Camel's own scan of a wildcard reads every entry of every jar nested in the packaged jar (196 jars,
 * 120 MB): about 5 s of CPU, a fifth of the start-up. Spring's resolver looks only into the folders named
 * {@code camel-routes/}.
 * <p>
 * The same files load as before, from every class path root (as {@code classpath*:}); a name found twice is listed
 * once. {@code file:} entries, names without a wildcard and patterns with a folder wildcard are left to Camel.
 */
class ListedClasspathRoutes implements EnvironmentPostProcessor {

    static final String PROPERTY = "camel.main.routes-include-pattern";
    private static final String CLASSPATH = "classpath:";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            return;
        }
        ClassLoader classLoader = application.getClassLoader();
        String listed = expand(configured, new PathMatchingResourcePatternResolver(classLoader));
        if (!listed.equals(configured)) {
            environment.getPropertySources().addFirst(new MapPropertySource("ipsListedClasspathRoutes",
                    Map.of(PROPERTY, listed)));
        }
    }

    /** {@code patterns}, comma-separated as Camel reads them, with each listable wildcard replaced by its files. */
    static String expand(String patterns, PathMatchingResourcePatternResolver resolver) {
        List<String> entries = new ArrayList<>();
        for (String entry : patterns.split(",")) {
            String pattern = entry.strip();
            entries.addAll(listable(pattern) ? list(pattern, resolver) : List.of(pattern));
        }
        return String.join(",", entries);
    }

    /** {@code classpath:folder/name-pattern}: a wildcard in the file name only. */
    private static boolean listable(String pattern) {
        if (!pattern.startsWith(CLASSPATH) || pattern.startsWith("classpath*:")) {
            return false;
        }
        String path = pattern.substring(CLASSPATH.length());
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        return !folder.isEmpty() && !hasWildcard(folder) && hasWildcard(name);
    }

    private static List<String> list(String pattern, PathMatchingResourcePatternResolver resolver) {
        String path = pattern.substring(CLASSPATH.length());
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        try {
            Set<String> files = new LinkedHashSet<>();
            for (Resource resource : resolver.getResources("classpath*:" + path)) {
                if (resource.isReadable() && resource.getFilename() != null) {
                    files.add(CLASSPATH + folder + resource.getFilename());
                }
            }
            // nothing found: leave the pattern to Camel, which then reports it as before
            return files.isEmpty() ? List.of(pattern) : files.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + pattern + " (" + PROPERTY + ")", e);
        }
    }

    private static boolean hasWildcard(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('{') >= 0;
    }
}
