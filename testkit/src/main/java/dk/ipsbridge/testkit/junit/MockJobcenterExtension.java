package dk.ipsbridge.testkit.junit;

import dk.ipsbridge.testkit.jobcenter.MockJobcenter;

/**
 * A {@link MockJobcenter} for a JUnit 5 test:
 * <pre>{@code
 * @RegisterExtension
 * static final MockJobcenterExtension AARHUS = new MockJobcenterExtension("jobcenter-a", "Jobcenter Aarhus");
 *
 * @Test
 * void sendsNothingWithoutConsent() {
 *     // point your system at AARHUS.jobcenter().baseUrl(), run it, then:
 *     AARHUS.jobcenter().assertNoRecordFor("0101901234");
 * }
 * }</pre>
 * On a {@code static} field one jobcenter serves the class and forgets every case, request and fault before each
 * test; on an instance field each test gets its own. With several jobcenters, use one extension each and take them by
 * field (a test parameter of type {@code MockJobcenter} would be ambiguous).
 */
public final class MockJobcenterExtension extends MockServerExtension<MockJobcenter> {

    /** A mock jobcenter on a free port. */
    public MockJobcenterExtension(String id, String name) {
        this(id, name, 0);
    }

    /** A mock jobcenter on {@code port} (0 picks a free one). */
    public MockJobcenterExtension(String id, String name, int port) {
        super(MockJobcenter.class, () -> new MockJobcenter(id, name, port), MockJobcenter::reset);
    }

    public MockJobcenter jobcenter() {
        return mock();
    }
}
