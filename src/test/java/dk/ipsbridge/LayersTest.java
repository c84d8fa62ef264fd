package dk.ipsbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The README's package table is the architecture: each package may import only the packages its row names, the rows
 * run from the bottom layer up, and there is no cycle. This test reads the table, so the table cannot drift from the
 * code: an import the table does not allow, a package without a row, or a row that names a package above it fails
 * the build.
 */
@AnalyzeClasses(packages = "dk.ipsbridge",
        importOptions = { ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class })
class LayersTest {

    private static final String ROOT = "dk.ipsbridge.";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|.*\\| ([^|]*) \\|$");
    private static final Pattern NAME = Pattern.compile("`([a-z]+)`");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dk.ipsbridge.(*)..").should().beFreeOfCycles();

    @ArchTest
    static void everyPackageHasARow(JavaClasses classes) throws IOException {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith(ROOT))
                .map(p -> p.substring(ROOT.length()).split("\\.")[0]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(table().keySet()).as("the README's package table, against the packages in src/main")
                .containsExactlyInAnyOrderElementsOf(packages);
    }

    @ArchTest
    static void rowsRunFromTheBottomUp(JavaClasses classes) throws IOException {
        List<String> order = List.copyOf(table().keySet());
        table().forEach((layer, uses) -> assertThat(uses).as("%s may use only packages listed above it", layer)
                .allSatisfy(used -> assertThat(order.indexOf(used)).isBetween(0, order.indexOf(layer) - 1)));
    }

    @ArchTest
    static void importsOnlyWhatTheTableAllows(JavaClasses classes) throws IOException {
        Map<String, Set<String>> table = table();
        for (Map.Entry<String, Set<String>> row : table.entrySet()) {
            String[] forbidden = table.keySet().stream()
                    .filter(other -> !other.equals(row.getKey()) && !row.getValue().contains(other))
                    .map(other -> ROOT + other + "..").toArray(String[]::new);
            if (forbidden.length > 0) {
                noClasses().that().resideInAPackage(ROOT + row.getKey() + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                        .because("the README's package table lets " + row.getKey() + " use only " + row.getValue())
                        .check(classes);
            }
        }
    }

    /** Package, bottom layer first, to the packages it may use. */
    static Map<String, Set<String>> table() throws IOException {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                Set<String> uses = new TreeSet<>();
                Matcher name = NAME.matcher(row.group(2));
                while (name.find()) {
                    uses.add(name.group(1));
                }
                table.put(row.group(1), uses);
            }
        }
        assertThat(table).as("the package table in README.md").hasSizeGreaterThan(10);
        return table;
    }
}
