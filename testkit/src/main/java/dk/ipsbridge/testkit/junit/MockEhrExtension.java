package dk.ipsbridge.testkit.junit;

import dk.ipsbridge.testkit.ehr.MockEhr;

/**
 * A {@link MockEhr} for a JUnit 5 test:
 * <pre>{@code
 * @RegisterExtension
 * static final MockEhrExtension EHR = new MockEhrExtension();
 *
 * @Test
 * void sharesOnlyWithConsent(MockEhr ehr) {      // or EHR.ehr()
 *     ehr.store(IpsFixtures.patient("p1", "0101901234", "Anna", "Test"));
 *     // point your system at ehr.baseUrl()
 * }
 * }</pre>
 * On a {@code static} field one EHR serves the class and is emptied before each test; on an instance field each test
 * gets its own.
 */
public final class MockEhrExtension extends MockServerExtension<MockEhr> {

    /** A mock EHR on a free port. */
    public MockEhrExtension() {
        this(0);
    }

    /** A mock EHR on {@code port} (0 picks a free one). */
    public MockEhrExtension(int port) {
        super(MockEhr.class, () -> new MockEhr(port), MockEhr::reset);
    }

    public MockEhr ehr() {
        return mock();
    }
}
