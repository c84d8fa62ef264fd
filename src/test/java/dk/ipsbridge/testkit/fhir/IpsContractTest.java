package dk.ipsbridge.testkit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.patient.IpsCodes;
import org.junit.jupiter.api.Test;

/** The kit's copy of the contracts' codes stays equal to the adapter's: the two are written apart on purpose. */
class IpsContractTest {

    @Test
    void shouldHoldTheSameSystemsAndCodesAsTheAdapter() throws Exception {
        Map<String, Object> adapter = constants(IpsCodes.class);
        adapter.remove("DANISH_TIME"); // how the adapter reads dates, not a code of the contract
        assertThat(constants(IpsContract.class)).containsAllEntriesOf(adapter);
    }

    @Test
    void shouldListTheJobcenterContractsDataCategoriesInOrder() {
        assertThat(IpsContract.DATA_CATEGORIES)
                .containsExactlyElementsOf(Arrays.stream(DataCategory.values()).map(DataCategory::code).toList());
    }

    private static Map<String, Object> constants(Class<?> type) throws IllegalAccessException {
        Map<String, Object> values = new TreeMap<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && Modifier.isPublic(field.getModifiers())) {
                values.put(field.getName(), field.get(null));
            }
        }
        return values;
    }
}
