package dk.ipsbridge.keys;

import java.security.SecureRandom;
import java.util.List;

/** Keys made for one test run. */
public final class TestKeys {

    private TestKeys() {
    }

    /** 32 random bytes. */
    public static byte[] key() {
        byte[] key = new byte[AesGcmRing.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static final AtRest AT_REST = AtRest.of(key(), List.of());

    /** Sealing under a key made for this run, the same for every store a test opens. */
    public static AtRest atRest() {
        return AT_REST;
    }
}
