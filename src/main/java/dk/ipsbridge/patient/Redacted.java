package dk.ipsbridge.patient;

import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code toString} for a record that holds personal data, a payload or a secret: its components as usual, but those
 * named print {@code ***} (or null), so that a log line, an exception message or a debugger never shows them.
 */
public final class Redacted {

    private Redacted() {
    }

    /** {@code Name[id=4, cpr=***, ...]}. */
    public static String toString(Record record, String... hidden) {
        Set<String> secret = Set.of(hidden);
        StringJoiner out = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                component.getAccessor().setAccessible(true);
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException | RuntimeException e) {
                value = "?";
            }
            out.add(component.getName() + "=" + (value != null && secret.contains(component.getName()) ? "***" : value));
        }
        return out.toString();
    }
}
