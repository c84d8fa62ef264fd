package dk.ipsbridge.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The exact bytes a leaf hash covers (format 1, documented in {@code docs/ledger.md}): the byte {@code 0x01}, the leaf
 * index as 8 bytes big-endian, then 17 fields in a fixed order, each either {@code 0x00} (absent) or {@code 0x01}
 * followed by its UTF-8 length as 4 bytes big-endian and the UTF-8 bytes. The time is ISO-8601 in UTC as
 * {@link DateTimeFormatter#ISO_INSTANT} writes it; the categories are one field, joined by single spaces.
 */
final class CanonicalEntry {

    static final byte FORMAT = 0x01;

    private CanonicalEntry() {
    }

    static byte[] encode(LedgerRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.write(FORMAT);
        long index = r.index();
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (index >>> shift));
        }
        field(out, r.time() == null ? null : DateTimeFormatter.ISO_INSTANT.format(r.time()));
        field(out, r.decision());
        field(out, r.reason());
        field(out, r.sourceId());
        field(out, r.patientRef());
        field(out, r.recipient());
        field(out, r.caseId());
        field(out, r.consultantRef());
        field(out, r.consentId());
        field(out, r.consentVersion());
        field(out, r.purpose());
        field(out, r.categories().isEmpty() ? null : String.join(" ", r.categories()));
        field(out, r.payloadSha256());
        field(out, r.correlationId());
        field(out, r.cprHash());
        field(out, r.cprCiphertext());
        field(out, r.actor());
        return out.toByteArray();
    }

    /** The leaf hash of a record's contents, as lower-case hex. */
    static String leafHash(LedgerRecord r) {
        return HexFormat.of().formatHex(Merkle.leafHash(encode(r)));
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write(0x00);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(0x01);
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(bytes, 0, n);
    }
}
