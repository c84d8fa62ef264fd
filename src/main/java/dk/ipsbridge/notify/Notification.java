package dk.ipsbridge.notify;

import java.util.List;
import java.util.Set;

/**
 * A notification as read and checked: only a hint about who changed, never the ground for a decision.
 *
 * @param kind             {@code rest-hook-empty}, {@code rest-hook-resource}, {@code rest-hook-delete},
 *                         {@code rest-hook-transaction}, or the Backport notification type ({@code handshake},
 *                         {@code heartbeat}, {@code event-notification}, {@code query-status}, {@code query-event})
 * @param subscription     {@code Subscription/<id>} of a Backport notification; null for a rest-hook
 * @param eventsSinceStart the Backport {@code events-since-subscription-start}, or null
 * @param eventNumbers     the Backport event numbers it carries, ascending, without repeats
 * @param patientIds       the patients the resources it carries concern
 * @param pollNeeded       it tells of a change without carrying it (empty, id-only): the source is polled early
 * @param deletedConsentId the id of a Consent deleted in the EHR (a rest-hook {@code DELETE}), or null: the patients
 *                         whose cases rest on it are marked
 */
record Notification(String kind, String subscription, Long eventsSinceStart, List<Long> eventNumbers,
        Set<String> patientIds, boolean pollNeeded, String deletedConsentId) {

    Notification(String kind, String subscription, Long eventsSinceStart, List<Long> eventNumbers,
            Set<String> patientIds, boolean pollNeeded) {
        this(kind, subscription, eventsSinceStart, eventNumbers, patientIds, pollNeeded, null);
    }
}
