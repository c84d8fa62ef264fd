package dk.ipsbridge.ehr;

/** The unit of work of one poll: one resource type of one EHR source. */
public record IngestWork(String sourceId, String resourceType) {
}
