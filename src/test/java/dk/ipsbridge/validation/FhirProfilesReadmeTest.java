package dk.ipsbridge.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

/**
 * {@code fhir-profiles/README.md} tells EHR vendors each profile's must-support elements: its table lists exactly the
 * elements the generated StructureDefinitions flag, no more and no fewer, and every IPS profile has a row.
 */
class FhirProfilesReadmeTest {

    private static final Path PROFILES = Path.of("fhir-profiles/fsh-generated/resources");
    private static final Pattern ROW = Pattern.compile("^\\| \\w+ \\(`([\\w-]+)`\\) \\| [^|]+ \\| [^|]+ \\| ([^|]+) \\|",
            Pattern.MULTILINE);

    @Test
    void shouldListExactlyTheMustSupportElementsOfEveryProfile() throws IOException {
        Map<String, Set<String>> readme = new LinkedHashMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("fhir-profiles/README.md")));
        while (row.find()) {
            readme.put(row.group(1), elements(row.group(2).strip()));
        }

        Map<String, Set<String>> profiles = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(PROFILES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("StructureDefinition-ips-"))
                    .sorted().toList()) {
                StructureDefinition sd = FhirContext.forR4Cached().newJsonParser()
                        .parseResource(StructureDefinition.class, Files.readString(file));
                Set<String> flagged = new TreeSet<>();
                for (ElementDefinition e : sd.getDifferential().getElement()) {
                    if (e.getMustSupport()) {
                        flagged.add(e.getId().substring(e.getId().indexOf('.') + 1));
                    }
                }
                profiles.put(sd.getIdElement().getIdPart(), flagged);
            }
        }

        assertThat(profiles).hasSize(8);
        assertThat(readme).containsExactlyInAnyOrderEntriesOf(profiles);
    }

    @Test
    void shouldReadTheShorthandOfTheTable() {
        assertThat(elements("identifier, identifier:cpr (use, value), name:official.text, provision.provision (type)"))
                .containsExactlyInAnyOrder("identifier", "identifier:cpr", "identifier:cpr.use", "identifier:cpr.value",
                        "name:official.text", "provision.provision", "provision.provision.type");
    }

    /** {@code a (b, c), d}: {@code a}, {@code a.b}, {@code a.c} and {@code d}. */
    static Set<String> elements(String column) {
        Set<String> elements = new TreeSet<>();
        for (String part : topLevel(column)) {
            int open = part.indexOf('(');
            if (open < 0) {
                elements.add(part.strip());
            } else {
                String base = part.substring(0, open).strip();
                elements.add(base);
                elements(part.substring(open + 1, part.lastIndexOf(')'))).forEach(sub -> elements.add(base + "." + sub));
            }
        }
        return elements;
    }

    private static List<String> topLevel(String column) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : column.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
