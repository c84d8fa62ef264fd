package dk.ipsbridge.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The export: JSON lines. First a header, then every checkpoint, then every entry in leaf order, each with its stored
 * leaf hash. The CPR number appears only as its keyed hash and ciphertext. Absent fields are left out.
 *
 * <pre>
 * {"format":"ips-bridge-ledger-export","version":1,"exportedAt":"...","treeSize":n,"rootHash":"..","checkpointSeq":k}
 * {"type":"checkpoint","seq":1,"treeSize":..,"rootHash":"..","timestamp":"..","keyId":"..","signature":".."}
 * {"type":"entry","index":0,"time":"..","decision":"shared",...,"categories":["diagnosis"],...,"leafHash":".."}
 * </pre>
 */
final class ExportFormat {

    static final String FORMAT = "ips-bridge-ledger-export";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** The header and checkpoints of an export; entries are streamed separately. */
    record Contents(Verification.Head head, Instant exportedAt, List<Checkpoint> checkpoints) {
    }

    private ExportFormat() {
    }

    /** Writes one line per call; does not close the stream. */
    static final class Writer {
        private final OutputStream out;

        Writer(OutputStream out) {
            this.out = out;
        }

        void header(Verification.Head head, Instant exportedAt) {
            line(g -> {
                g.writeStringField("format", FORMAT);
                g.writeNumberField("version", 1);
                g.writeStringField("exportedAt", exportedAt.toString());
                g.writeNumberField("treeSize", head.treeSize());
                g.writeStringField("rootHash", head.rootHash());
                g.writeNumberField("checkpointSeq", head.checkpointSeq());
            });
        }

        void checkpoint(Checkpoint c) {
            line(g -> {
                g.writeStringField("type", "checkpoint");
                g.writeNumberField("seq", c.seq());
                g.writeNumberField("treeSize", c.treeSize());
                g.writeStringField("rootHash", c.rootHash());
                g.writeStringField("timestamp", c.timestamp().toString());
                g.writeStringField("keyId", c.keyId());
                g.writeStringField("signature", c.signature());
            });
        }

        void entry(LedgerRecord r) {
            line(g -> {
                g.writeStringField("type", "entry");
                g.writeNumberField("index", r.index());
                field(g, "time", r.time() == null ? null : r.time().toString());
                field(g, "decision", r.decision());
                field(g, "reason", r.reason());
                field(g, "sourceId", r.sourceId());
                field(g, "patientRef", r.patientRef());
                field(g, "recipient", r.recipient());
                field(g, "caseId", r.caseId());
                field(g, "consultantRef", r.consultantRef());
                field(g, "consentId", r.consentId());
                field(g, "consentVersion", r.consentVersion());
                field(g, "purpose", r.purpose());
                if (!r.categories().isEmpty()) {
                    g.writeArrayFieldStart("categories");
                    for (String category : r.categories()) {
                        g.writeString(category);
                    }
                    g.writeEndArray();
                }
                field(g, "payloadSha256", r.payloadSha256());
                field(g, "correlationId", r.correlationId());
                field(g, "cprHash", r.cprHash());
                field(g, "cprCiphertext", r.cprCiphertext());
                field(g, "actor", r.actor());
                field(g, "leafHash", r.leafHash());
                field(g, "redactedAt", r.redactedAt() == null ? null : r.redactedAt().toString());
            });
        }

        private void line(Fields fields) {
            try {
                JsonGenerator g = FACTORY.createGenerator(out);
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                fields.write(g);
                g.writeEndObject();
                g.flush();
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void field(JsonGenerator g, String name, String value) throws IOException {
            if (value != null) {
                g.writeStringField(name, value);
            }
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** Reads the header and the checkpoints, which precede the entries. */
    static Contents readContents(Path export) {
        try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            JsonNode header = parse(in.readLine(), 1);
            if (!FORMAT.equals(header.path("format").asText()) || header.path("version").asInt() != 1) {
                throw new IllegalArgumentException("not an ips-bridge ledger export (version 1)");
            }
            Verification.Head head = new Verification.Head(header.path("treeSize").asLong(),
                    header.path("rootHash").asText(), header.path("checkpointSeq").asLong());
            List<Checkpoint> checkpoints = new ArrayList<>();
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                JsonNode node = parse(line, number);
                if ("entry".equals(node.path("type").asText())) {
                    break; // checkpoints come first
                }
                if ("checkpoint".equals(node.path("type").asText())) {
                    checkpoints.add(new Checkpoint(node.path("seq").asLong(), node.path("treeSize").asLong(),
                            text(node, "rootHash"), instant(node, "timestamp"), text(node, "keyId"),
                            text(node, "signature")));
                }
            }
            return new Contents(head, instant(header, "exportedAt"), checkpoints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams the entries, in file order. */
    static void readEntries(Path export, Consumer<LedgerRecord> sink) {
        try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (number == 1) {
                    continue;
                }
                JsonNode node = parse(line, number);
                if ("entry".equals(node.path("type").asText())) {
                    sink.accept(entry(node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LedgerRecord entry(JsonNode n) {
        List<String> categories = new ArrayList<>();
        n.path("categories").forEach(c -> categories.add(c.asText()));
        return new LedgerRecord(n.path("index").asLong(), instant(n, "time"), text(n, "decision"), text(n, "reason"),
                text(n, "sourceId"), text(n, "patientRef"), text(n, "recipient"), text(n, "caseId"),
                text(n, "consultantRef"), text(n, "consentId"), text(n, "consentVersion"), text(n, "purpose"),
                categories, text(n, "payloadSha256"), text(n, "correlationId"), text(n, "cprHash"),
                text(n, "cprCiphertext"), text(n, "actor"), text(n, "leafHash"), instant(n, "redactedAt"));
    }

    private static JsonNode parse(String line, int number) {
        if (line == null) {
            throw new IllegalArgumentException("the export is empty");
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("line " + number + " of the export is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }
}
