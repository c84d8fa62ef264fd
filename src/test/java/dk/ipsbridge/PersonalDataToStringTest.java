package dk.ipsbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Generated from the code: every record of the adapter that holds a CPR number, a person's name or contact details, a
 * payload or a secret prints none of them in {@code toString}, so that a log line, an exception message or a
 * debugger's view that prints such a record leaks nothing. A new record with such a component is covered the day it
 * is written. Each record is made with a marker in every text component, recursively, and its {@code toString} must
 * not contain the marker of a personal component.
 */
class PersonalDataToStringTest {

    /** Components that hold personal data, a payload or a secret, by name. */
    private static final Pattern PERSONAL = Pattern.compile(
            "cpr|payload|original|givenName|familyName|phone|email|text|body|token|secret|password.*|cprHashKey|"
                    + "cprEncryptionKey");
    /** Records whose {@code name} is a person's. */
    private static final Set<String> PEOPLE = Set.of("Contact", "TeamMember", "Consultant", "Person");

    @Test
    void shouldPrintNoPersonalComponentOfAnyRecord() throws Exception {
        List<String> checked = new ArrayList<>();
        List<String> leaking = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("dk.ipsbridge")) {
            Class<?> record = type.reflect();
            if (!record.isRecord() || personal(record).isEmpty()) {
                continue;
            }
            Object instance;
            try {
                instance = make(record, 0);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new AssertionError("cannot make " + record.getName() + " to check its toString", e);
            }
            String printed = instance.toString();
            checked.add(record.getSimpleName());
            for (String component : personal(record)) {
                if (printed.contains(marker(component))) {
                    leaking.add(record.getName() + "." + component);
                }
            }
        }
        assertThat(checked).as("records holding personal data").contains("Delivery", "Query", "Evidence",
                "OutcomeEvent", "Citizen", "PreviewRequest", "Shown", "SearchForm", "Failure", "Response");
        assertThat(leaking).as("personal components printed by toString").isEmpty();
    }

    private static List<String> personal(Class<?> record) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            boolean personName = c.getName().equals("name") && PEOPLE.contains(record.getSimpleName());
            if (PERSONAL.matcher(c.getName()).matches() || personName) {
                names.add(c.getName());
            }
        }
        return names;
    }

    private static final Map<Class<?>, Object> NEUTRAL = Map.of(java.time.Instant.class, java.time.Instant.EPOCH,
            java.time.LocalDate.class, java.time.LocalDate.EPOCH, java.time.Duration.class, java.time.Duration.ZERO,
            java.time.OffsetDateTime.class, java.time.OffsetDateTime.MIN, java.nio.file.Path.class,
            java.nio.file.Path.of("neutral"), java.net.URI.class, java.net.URI.create("https://neutral.example"));

    /** A CPR component holds ten digits (constructors check them), every other text a marker naming it. */
    private static String marker(String component) {
        return component.equals("cpr") ? "0707071236" : "MARK-" + component;
    }

    /** Records whose constructor checks its values more than the generic filling can satisfy. */
    private static Optional<Object> example(Class<?> record) {
        if (record == dk.ipsbridge.ledger.LedgerEntry.class) {
            return Optional.of(dk.ipsbridge.ledger.LedgerEntry.builder().time(java.time.Instant.EPOCH)
                    .decision("shared").correlationId("c").cpr(marker("cpr")).build());
        }
        return Optional.empty();
    }

    /** An instance with a marker in every text, a nested record made alike, and neutral values elsewhere. */
    private static Object make(Class<?> record, int depth) throws Exception {
        Optional<Object> example = example(record);
        if (example.isPresent()) {
            return example.get();
        }
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i].getName(), types[i], depth);
        }
        Constructor<?> canonical = record.getDeclaredConstructor(types);
        canonical.setAccessible(true);
        return canonical.newInstance(values);
    }

    private static Object value(String name, Class<?> type, int depth) throws Exception {
        if (type == String.class) {
            return marker(name);
        }
        if (type == byte[].class) {
            return marker(name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (type.isRecord() && depth < 3) {
            return make(type, depth + 1);
        }
        if (type.isPrimitive()) {
            return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(type, 1), 0);
        }
        if (List.class.isAssignableFrom(type) || Collection.class == type) {
            return List.of();
        }
        if (Set.class.isAssignableFrom(type)) {
            return Set.of();
        }
        if (Map.class.isAssignableFrom(type)) {
            return Map.of();
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        return NEUTRAL.get(type);
    }
}
