package dk.ipsbridge.config;

/**
 * A setting that makes the adapter refuse to start: what is wrong, naming the setting, and what to do about it.
 * {@link RefusedStartFailureAnalyzer} prints both instead of a stack trace. Neither may hold a secret, a CPR number
 * or a name.
 */
public class RefusedStart extends RuntimeException {

    private final String action;

    public RefusedStart(String description, String action) {
        super(description);
        this.action = action;
    }

    public RefusedStart(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
