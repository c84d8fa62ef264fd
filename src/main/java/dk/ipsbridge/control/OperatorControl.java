package dk.ipsbridge.control;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dk.ipsbridge.config.IpsProperties;
import dk.ipsbridge.config.JobcenterDirectory;
import dk.ipsbridge.ehr.CursorStore;
import dk.ipsbridge.ehr.EhrSources;
import dk.ipsbridge.ehr.PollSchedule;
import dk.ipsbridge.ehr.SnapshotLoader;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.patient.Cpr;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operator's actions on a running adapter. Each is recorded in the ledger with the operator's name, in the
 * transaction of the action itself: an action the ledger does not show did not happen.
 */
@Service
public class OperatorControl {

    private static final Logger log = LoggerFactory.getLogger(OperatorControl.class);
    private static final Pattern CPR_LIKE = Pattern.compile("\\d{6}-?\\d{4}");
    private static final int REASON_LENGTH = 200;

    private final Outbox outbox;
    private final JobcenterDirectory jobcenters;
    private final IpsProperties properties;
    private final EhrSources sources;
    private final SnapshotLoader loader;
    private final ReviewQueue reviews;
    private final CursorStore cursors;
    private final PollSchedule polls;
    private final Ledger ledger;
    private final Clock clock;

    OperatorControl(Outbox outbox, JobcenterDirectory jobcenters, IpsProperties properties, EhrSources sources,
            SnapshotLoader loader, ReviewQueue reviews, CursorStore cursors, PollSchedule polls, Ledger ledger,
            Clock clock) {
        this.outbox = outbox;
        this.jobcenters = jobcenters;
        this.properties = properties;
        this.sources = sources;
        this.loader = loader;
        this.reviews = reviews;
        this.cursors = cursors;
        this.polls = polls;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Pauses delivery to a jobcenter on every instance: nothing more goes out to it (a message already on the wire
     * completes), and everything meant for it, withdrawals included, waits in the outbox until {@link #resume}.
     *
     * @param reason shown to other operators; not recorded in the ledger, and never a CPR number
     * @return false when it was paused already
     * @throws IllegalArgumentException for an unknown jobcenter or a reason that is too long or holds a CPR number
     */
    @Transactional
    public boolean pause(String jobcenterId, String operator, String reason) {
        known(jobcenterId);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && (why.length() > REASON_LENGTH || CPR_LIKE.matcher(why).find())) {
            throw new IllegalArgumentException("reason must be at most " + REASON_LENGTH
                    + " characters and must not hold a CPR number");
        }
        Instant now = clock.instant();
        if (!outbox.pauseRecipient(jobcenterId, operator, why, now)) {
            return false;
        }
        record(entry(LedgerEntry.DELIVERY_PAUSED, operator, now).recipient(jobcenterId, null));
        log.info("delivery to {} paused by {}", jobcenterId, operator);
        return true;
    }

    /**
     * Resumes delivery to a jobcenter: what waited goes out, withdrawals first ({@link Outbox#claim}).
     *
     * @return false when it was not paused
     */
    @Transactional
    public boolean resume(String jobcenterId, String operator) {
        known(jobcenterId);
        Instant now = clock.instant();
        if (!outbox.resumeRecipient(jobcenterId)) {
            return false;
        }
        record(entry(LedgerEntry.DELIVERY_RESUMED, operator, now).recipient(jobcenterId, null));
        log.info("delivery to {} resumed by {}", jobcenterId, operator);
        return true;
    }

    /**
     * Reviews one citizen again at once, in every source that knows the CPR number: read from the EHR, decided and
     * delivered as after any change. The ledger entry holds the CPR number as every entry does (keyed hash and
     * ciphertext), so the citizen's report shows the resync.
     *
     * @return the patient records queued, by source; empty when no source knows the CPR number
     * @throws IllegalArgumentException for an invalid CPR number (never echoed)
     */
    public List<PatientKey> resyncPatient(String cpr, String operator) {
        if (!Cpr.isValid(cpr)) {
            throw new IllegalArgumentException("cpr must be a valid CPR number: ten digits, DDMMYY first");
        }
        Instant now = clock.instant();
        List<PatientKey> found = new ArrayList<>();
        for (IpsProperties.Source source : properties.sources()) {
            loader.patientsWithCpr(source.id(), cpr).forEach(id -> found.add(new PatientKey(source.id(), id)));
        }
        reviews.changedAll(found, now);
        String correlation = UUID.randomUUID().toString();
        if (found.isEmpty()) {
            record(entry(LedgerEntry.RESYNC_REQUESTED, operator, now).reason("patient-not-found").cpr(cpr)
                    .correlationId(correlation));
        }
        found.forEach(key -> record(entry(LedgerEntry.RESYNC_REQUESTED, operator, now).reason("patient").cpr(cpr)
                .source(key.sourceId(), "Patient/" + key.patientId()).correlationId(correlation)));
        log.info("resync of one patient asked by {}: {} record(s) queued", operator, found.size());
        return found;
    }

    /**
     * Reads a whole source again: its poll starts over from the beginning (every IPS resource, as at go-live) at once,
     * and every patient it has cases for is reviewed again now. Nothing unchanged is sent again: a case record goes
     * out only when its content changed.
     *
     * @return the patients queued now (the poll queues the others it finds)
     */
    @Transactional
    public int resyncSource(String sourceId, String operator) {
        if (!sources.contains(sourceId)) {
            throw new IllegalArgumentException("source must be one of the configured EHR sources: "
                    + properties.sources().stream().map(IpsProperties.Source::id).toList());
        }
        Instant now = clock.instant();
        cursors.reset(sourceId);
        int queued = reviews.changedAllOf(sourceId, now);
        polls.request(sourceId, now);
        record(entry(LedgerEntry.RESYNC_REQUESTED, operator, now).reason("source").source(sourceId, null));
        log.info("resync of source {} asked by {}: {} known patient(s) queued, full poll requested", sourceId,
                operator, queued);
        return queued;
    }

    /**
     * A jobcenter as an operator sees it: whether delivery to it is paused (by whom, since when, why) and how many
     * messages wait for it.
     */
    public record JobcenterState(String id, String name, boolean paused, String pausedBy, Instant pausedAt,
            String reason, int waiting, int withdrawalsWaiting) {
    }

    public List<JobcenterState> jobcenters() {
        Map<String, Outbox.Pause> pauses = outbox.pauses().stream()
                .collect(Collectors.toMap(Outbox.Pause::recipient, p -> p));
        Map<String, Map<String, Integer>> waiting = outbox.waiting();
        return jobcenters.all().stream().map(j -> {
            Outbox.Pause pause = pauses.get(j.id());
            Map<String, Integer> kinds = waiting.getOrDefault(j.id(), Map.of());
            return new JobcenterState(j.id(), j.displayName(), pause != null,
                    pause == null ? null : pause.pausedBy(), pause == null ? null : pause.pausedAt(),
                    pause == null ? null : pause.reason(), kinds.values().stream().mapToInt(Integer::intValue).sum(),
                    kinds.getOrDefault(Outbox.WITHDRAWAL, 0));
        }).toList();
    }

    private void known(String jobcenterId) {
        if (jobcenters.get(jobcenterId).isEmpty()) {
            throw new IllegalArgumentException("jobcenter must be one of the configured jobcenters: "
                    + jobcenters.all().stream().map(IpsProperties.Jobcenter::id).toList());
        }
    }

    private static LedgerEntry.Builder entry(String decision, String operator, Instant now) {
        return LedgerEntry.builder().time(now).decision(decision).actor(operator)
                .correlationId(UUID.randomUUID().toString());
    }

    private void record(LedgerEntry.Builder entry) {
        ledger.append(entry.build());
    }
}
