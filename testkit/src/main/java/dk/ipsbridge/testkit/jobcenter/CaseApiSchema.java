package dk.ipsbridge.testkit.jobcenter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;

/**
 * Validates JSON against a schema of the jobcenter case API ({@code contracts/jobcenter-case-api.yaml}, a verbatim
 * copy of the contract), with a JSON-schema library rather than by hand.
 */
public final class CaseApiSchema {

    private static final String CONTRACT = "classpath:contracts/jobcenter-case-api.yaml";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(OpenApi31.getInstance())
                    .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private CaseApiSchema() {
    }

    /** The problems of {@code json} against {@code #/components/schemas/<schemaName>}; empty when valid. */
    public static List<String> problems(String schemaName, JsonNode json) {
        return problemsAt("/components/schemas/" + schemaName, json);
    }

    /**
     * The problems of {@code json} against the schema at a JSON pointer into the contract, for the schemas written
     * inline, such as {@code /paths/~1cases/get/responses/200/content/application~1json/schema}; empty when valid.
     */
    public static List<String> problemsAt(String jsonPointer, JsonNode json) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(jsonPointer, pointer -> FACTORY.getSchema(
                SchemaLocation.of(CONTRACT + "#" + pointer), CONFIG));
        return schema.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
