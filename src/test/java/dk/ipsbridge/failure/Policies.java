package dk.ipsbridge.failure;

import java.time.Clock;
import java.util.List;

/** The error policy as the adapter wires it, for route tests outside this package. */
public final class Policies {

    private Policies() {
    }

    public static ErrorPolicy errorPolicy(List<Recovery<?>> recoveries, Clock clock) {
        return new ErrorPolicy(recoveries, clock);
    }
}
