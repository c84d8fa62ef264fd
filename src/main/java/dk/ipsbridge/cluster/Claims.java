package dk.ipsbridge.cluster;

/**
 * Work an instance claims for itself in the shared database (patients to review, deliveries), held until a lease
 * runs out. Claims are released when the instance stops, or when it starts again under the same id.
 */
public interface Claims {

    /** What is claimed, plural, for the log: "patients", "deliveries". */
    String what();

    /** Releases everything the instance holds; returns how much that was. */
    int release(String instanceId);
}
