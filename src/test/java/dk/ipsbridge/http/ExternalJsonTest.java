package dk.ipsbridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The limits of the one ObjectMapper for JSON read from outside. */
class ExternalJsonTest {

    private static final String CPR = "0404904004";

    private final ObjectMapper json = ExternalJson.mapper();

    @Test
    void shouldReadNestingUpTo64AndRefuseDeeper() throws Exception {
        assertThat(json.readTree(nested(64))).isNotNull();
        assertThatThrownBy(() -> json.readTree(nested(65))).isInstanceOf(StreamConstraintsException.class)
                .hasMessageContaining("nesting depth (65)").hasMessageContaining("maximum allowed (64");
        assertThat(ExternalJson.mapper(8).readTree(nested(8))).isNotNull();
        assertThatThrownBy(() -> ExternalJson.mapper(8).readTree(nested(9)))
                .isInstanceOf(StreamConstraintsException.class);
    }

    @Test
    void shouldRefuseANumberOver1000Digits() throws Exception {
        assertThat(json.readTree("{\"n\":" + "9".repeat(1000) + "}").get("n").isNumber()).isTrue();
        assertThatThrownBy(() -> json.readTree("{\"n\":" + "9".repeat(1001) + "}"))
                .isInstanceOf(StreamConstraintsException.class);
    }

    @Test
    void shouldRefuseAStringOver20MillionCharactersAndANameOver50000() throws Exception {
        assertThat(json.readTree("{\"s\":\"" + "a".repeat(ExternalJson.MAX_STRING_LENGTH) + "\"}")).isNotNull();
        assertThatThrownBy(() -> json.readTree("{\"s\":\"" + "a".repeat(ExternalJson.MAX_STRING_LENGTH + 1) + "\"}"))
                .isInstanceOf(StreamConstraintsException.class);
        assertThatThrownBy(() -> json.readTree("{\"" + "k".repeat(50_001) + "\":1}"))
                .isInstanceOf(StreamConstraintsException.class);
    }

    @Test
    void shouldRefuseADuplicateKeyAndContentAfterTheValue() {
        assertThatThrownBy(() -> json.readTree("{\"cpr\":\"1\",\"cpr\":\"2\"}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> json.readTree("{\"a\":1} {\"a\":2}")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> json.readTree("{\"a\":1}]")).isInstanceOf(JacksonException.class);
    }

    @Test
    void shouldNeverLetTheInputChooseAJavaType() throws Exception {
        Object read = json.readValue("[\"java.util.concurrent.ConcurrentHashMap\",{}]", Object.class);

        assertThat(read).isInstanceOf(java.util.List.class);
        JsonNode tree = json.readTree("{\"@class\":\"java.lang.ProcessBuilder\"}");
        assertThat(tree.isObject()).isTrue();
    }

    @Test
    void shouldNotQuoteTheInputInItsErrors() {
        assertThatThrownBy(() -> json.readTree("{\"cpr\":\"" + CPR + "\",\"x\":" + CPR + "x}"))
                .isInstanceOf(JacksonException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CPR + "\""));
        assertThatThrownBy(() -> json.readTree("{\"cpr\":\"" + CPR + "\",\"cpr\":1}"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"cpr\":\"" + CPR));
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
