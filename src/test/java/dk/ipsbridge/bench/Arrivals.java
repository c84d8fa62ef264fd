package dk.ipsbridge.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dk.ipsbridge.testkit.cohort.BulkCohort;
import dk.ipsbridge.testkit.jobcenter.MockJobcenter.ReceivedRequest;

/**
 * What reached the mock jobcenter, and when: a listener on its requests ({@code MockJobcenter.onRequest}). A case
 * record (an accepted {@code PUT /cases/{caseId}}) is matched to its patient by the CPR number it carries; a
 * withdrawal ({@code POST /cases/{caseId}/withdrawal}) by its case id, known from that case's records. Times are
 * {@link System#nanoTime()} at receipt, in the benchmark's JVM, where the changes are made too.
 */
final class Arrivals {

    private static final Pattern CPR = Pattern.compile("\"cpr\"\\s*:\\s*\"([0-9]{10})\"");
    private static final Pattern CASE = Pattern.compile("/cases/([^/?]+)(/withdrawal)?$");

    private final Map<String, Integer> patientByCpr = new HashMap<>();
    private final Map<String, Integer> patientByCase = new HashMap<>();
    private final long[] firstRecord;
    private final long[] changedAt;
    private final String[] changeMarker;
    private final long[] notifiedAt;
    private final long[] withdrawnAt;
    private final List<Long> changeLatencies = new ArrayList<>();
    private final List<Long> withdrawalLatencies = new ArrayList<>();
    private int delivered;
    private long lastFirstRecord;
    private long lastArrival;
    private long lastChangeArrival;
    private int arrivals;
    private int recordsAfterWithdrawal;

    Arrivals(BulkCohort cohort) {
        for (int n = 0; n < cohort.size(); n++) {
            patientByCpr.put(cohort.cpr(n), n);
        }
        firstRecord = new long[cohort.size()];
        changedAt = new long[cohort.size()];
        changeMarker = new String[cohort.size()];
        notifiedAt = new long[cohort.size()];
        withdrawnAt = new long[cohort.size()];
    }

    void received(ReceivedRequest request) {
        long now = System.nanoTime();
        if (!request.accepted()) {
            return;
        }
        Matcher path = CASE.matcher(request.url());
        if (!path.find()) {
            return;
        }
        synchronized (this) {
            arrivals++;
            lastArrival = now;
            if (request.method().equals("PUT") && path.group(2) == null) {
                record(path.group(1), request.body(), now);
            } else if (request.method().equals("POST") && path.group(2) != null) {
                withdrawal(path.group(1), now);
            }
        }
    }

    private void record(String caseId, String body, long now) {
        Matcher cpr = CPR.matcher(body);
        Integer n = cpr.find() ? patientByCpr.get(cpr.group(1)) : null;
        if (n == null) {
            return;
        }
        patientByCase.put(caseId, n);
        if (withdrawnAt[n] != 0) {
            recordsAfterWithdrawal++;
        }
        if (firstRecord[n] == 0) {
            firstRecord[n] = now;
            lastFirstRecord = now;
            delivered++;
        }
        if (changedAt[n] != 0 && body.contains(changeMarker[n])) {
            changeLatencies.add(now - changedAt[n]);
            changedAt[n] = 0;
            lastChangeArrival = now;
        }
    }

    private void withdrawal(String caseId, long now) {
        Integer n = patientByCase.get(caseId);
        if (n == null || withdrawnAt[n] != 0) {
            return;
        }
        withdrawnAt[n] = now;
        if (notifiedAt[n] != 0) {
            withdrawalLatencies.add(now - notifiedAt[n]);
        }
    }

    /** Patient {@code n} was changed at {@code at}: the first record after it that carries {@code marker} counts. */
    synchronized void changed(int n, String marker, long at) {
        changedAt[n] = at;
        changeMarker[n] = marker;
    }

    /** Patient {@code n}'s withdrawal was notified at {@code at}. */
    synchronized void withdrawalNotified(int n, long at) {
        notifiedAt[n] = at;
    }

    /** Patients with at least one case record received. */
    synchronized int delivered() {
        return delivered;
    }

    synchronized long lastFirstRecord() {
        return lastFirstRecord;
    }

    /** Accepted requests about cases so far (progress, for giving up on a stalled phase). */
    synchronized int arrivals() {
        return arrivals;
    }

    synchronized long lastArrival() {
        return lastArrival;
    }

    /** When the latest record of a change arrived. */
    synchronized long lastChangeArrival() {
        return lastChangeArrival;
    }

    /** Changes whose record has arrived: latencies in nanoseconds, in order of arrival. */
    synchronized List<Long> changeLatencies() {
        return List.copyOf(changeLatencies);
    }

    synchronized List<Long> withdrawalLatencies() {
        return List.copyOf(withdrawalLatencies);
    }

    /** Case records (PUT) for a case received after its withdrawal was. Must stay 0. */
    synchronized int recordsAfterWithdrawal() {
        return recordsAfterWithdrawal;
    }
}
