package dk.ipsbridge.control;

import static dk.ipsbridge.config.Times.utc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dk.ipsbridge.config.IpsProperties.Source;
import dk.ipsbridge.ehr.CursorStore;
import dk.ipsbridge.ehr.EhrClient;
import dk.ipsbridge.ehr.EhrIngest;
import dk.ipsbridge.ehr.EhrSources;
import dk.ipsbridge.failure.BadInputException;
import dk.ipsbridge.ledger.Ledger;
import dk.ipsbridge.ledger.LedgerEntry;
import dk.ipsbridge.patient.PatientKey;
import dk.ipsbridge.queue.ReviewQueue;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The go-live backfill of one EHR source: every existing IPS consent and referral is read, each patient they name is
 * queued for review once, and followed until decided and delivered. All of it is kept in the store
 * ({@code backfill}, {@code backfill_patient}), so a backfill that was stopped goes on where it stopped: a patient
 * found before is not queued again, and what was sent is not sent again. The command around it is
 * {@link BackfillCommand}.
 */
@Component
public class Backfill {

    /** The types that start an IPS course: consents and referrals (C1: a ServiceRequest or an EpisodeOfCare). */
    static final List<String> TYPES = List.of("Consent", "ServiceRequest", "EpisodeOfCare");

    /**
     * How far before a backfill's start the polls of a source that was never polled begin: changes from then on are
     * the polls' to see, everything before the backfill's. The margin covers a clock of the EHR behind ours.
     */
    static final Duration POLL_MARGIN = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final EhrSources sources;
    private final EhrClient ehr;
    private final EhrIngest ingest;
    private final CursorStore cursors;
    private final ReviewQueue reviews;
    private final Ledger ledger;
    private final Clock clock;
    private final TransactionTemplate transactions;

    Backfill(JdbcClient jdbc, EhrSources sources, EhrClient ehr, EhrIngest ingest, CursorStore cursors,
            ReviewQueue reviews, Ledger ledger, Clock clock, PlatformTransactionManager transactions) {
        this.transactions = new TransactionTemplate(transactions);
        this.jdbc = jdbc;
        this.sources = sources;
        this.ehr = ehr;
        this.ingest = ingest;
        this.cursors = cursors;
        this.reviews = reviews;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** A backfill of a source: when and by whom it was started, whether it is one that was stopped and goes on. */
    public record Run(String sourceId, Instant startedAt, String startedBy, boolean resumed, boolean enumerated) {
    }

    /**
     * Starts a backfill of the source, or goes on with the one that was stopped. A new one is a ledger entry
     * ({@code resync-requested}, reason {@code backfill}) naming who started it; when the source was never polled,
     * its polls are set to begin shortly before now, so that they do not read everything a second time.
     */
    @Transactional
    public Run start(String sourceId, String by) {
        sources.get(sourceId);
        Optional<Run> open = jdbc.sql("select started_at, started_by, enumerated_at from backfill "
                + "where source_id = ? and finished_at is null").param(sourceId)
                .query((rs, n) -> new Run(sourceId, rs.getObject(1, OffsetDateTime.class).toInstant(),
                        rs.getString(2), true, rs.getObject(3) != null))
                .optional();
        if (open.isPresent()) {
            return open.get();
        }
        Instant now = clock.instant();
        jdbc.sql("delete from backfill_patient where source_id = ?").param(sourceId).update();
        jdbc.sql("delete from backfill where source_id = ?").param(sourceId).update();
        jdbc.sql("insert into backfill (source_id, started_at, started_by) values (?, ?, ?)")
                .params(sourceId, utc(now), by).update();
        String pollsFrom = now.minus(POLL_MARGIN).toString();
        for (String type : EhrIngest.RESOURCE_TYPES) {
            if (cursors.cursor(sourceId, type).isEmpty()) {
                cursors.save(sourceId, type, new CursorStore.Cursor(pollsFrom, Set.of()), now);
            }
        }
        ledger.append(LedgerEntry.builder().time(now).decision(LedgerEntry.RESYNC_REQUESTED).reason("backfill")
                .actor(by).source(sourceId, null).correlationId(UUID.randomUUID().toString()).build());
        return new Run(sourceId, now, by, false, false);
    }

    /**
     * Reads every IPS consent and referral of the source, page by page, and queues each patient not found before.
     * An unreadable entry becomes a failed record and its patient is queued all the same (fail closed: an unreadable
     * consent shares nothing).
     *
     * @param stop asked between pages whether to stop there (the next run reads from the start again, and queues
     *             only patients not found before)
     * @return true when every consent and referral was read
     */
    public boolean enumerate(String sourceId, BooleanSupplier stop) {
        Source source = sources.get(sourceId);
        for (String type : TYPES) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("_count", String.valueOf(source.pageSize()));
            params.putAll(EhrIngest.ipsFilter(type));
            EhrClient.Page page = ehr.search(source, type, params);
            Set<String> links = new HashSet<>();
            while (true) {
                Set<String> patients = new HashSet<>();
                page.resources().forEach(r -> EhrIngest.patientIds(r).forEach(patients::add));
                page.badEntries().forEach(bad -> ingest.unreadable(sourceId, bad).ifPresent(patients::add));
                queue(sourceId, patients);
                if (stop.getAsBoolean()) {
                    return false;
                }
                if (page.next() == null) {
                    break;
                }
                if (!links.add(page.next())) {
                    throw new BadInputException("paging-loop", type + " search repeated a next link", null);
                }
                page = ehr.next(source, page.next());
            }
        }
        jdbc.sql("update backfill set enumerated_at = ? where source_id = ?").params(utc(clock.instant()), sourceId)
                .update();
        return true;
    }

    /**
     * Queues the patients not found before, in one transaction with their review: a patient the backfill counts is
     * always one the review queue holds.
     */
    private void queue(String sourceId, Set<String> patientIds) {
        for (int attempt = 1; ; attempt++) {
            try {
                queueOnce(sourceId, patientIds);
                return;
            } catch (DuplicateKeyException e) {
                // the polls marked one of these patients at the same instant (a concurrent first insert into the
                // review queue): rolled back, and once more, when the row is there
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void queueOnce(String sourceId, Set<String> patientIds) {
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            List<PatientKey> fresh = patientIds.stream().sorted().filter(id -> jdbc.sql("""
                    insert into backfill_patient (source_id, patient_id, queued_at)
                    select ?, ?, ? where not exists
                      (select 1 from backfill_patient where source_id = ? and patient_id = ?)
                    """).params(sourceId, id, utc(now), sourceId, id).update() == 1)
                    .map(id -> new PatientKey(sourceId, id)).toList();
            reviews.changedAll(fresh, now);
        });
    }

    /**
     * Where the backfill stands.
     *
     * @param found     patients found so far (all of them once {@code enumerated})
     * @param settled   decided, and nothing of theirs waits for delivery
     * @param failed    not settled, and held in the failed records for an operator (a review that failed, a delivery
     *                  given up or refused)
     */
    public record Progress(int found, int settled, int failed, boolean enumerated) {

        public boolean done() {
            return enumerated && settled + failed >= found;
        }
    }

    /** Marks the patients settled since the last look, and says where the backfill stands. */
    public Progress progress(String sourceId) {
        Instant now = clock.instant();
        jdbc.sql("""
                update backfill_patient b set settled_at = ?
                where b.source_id = ? and b.settled_at is null
                  and not exists (select 1 from patient_review r where r.source_id = b.source_id
                                  and r.patient_id = b.patient_id and (r.due_at <= ? or r.attempts > 0))
                  and not exists (select 1 from ips_case c join outbox o on o.case_id = c.case_id
                                  where c.source_id = b.source_id and c.patient_id = b.patient_id
                                    and o.status in ('pending', 'failed'))
                """).params(utc(now), sourceId, utc(now)).update();
        int failed = jdbc.sql("""
                select count(*) from backfill_patient b where b.source_id = ? and b.settled_at is null
                  and (exists (select 1 from failed_record f where f.status = 'open' and f.source_id = b.source_id
                               and f.stage = 'review' and f.subject = 'Patient/' || b.patient_id)
                       or exists (select 1 from ips_case c join outbox o on o.case_id = c.case_id
                                  where c.source_id = b.source_id and c.patient_id = b.patient_id
                                    and o.status = 'failed'))
                """).param(sourceId).query(Integer.class).single();
        boolean enumerated = jdbc.sql("select count(*) from backfill where source_id = ? and enumerated_at is not null")
                .param(sourceId).query(Integer.class).single() == 1;
        return new Progress(count(sourceId, false), count(sourceId, true), failed, enumerated);
    }

    /** The backfill is over: the next one starts anew. */
    public void finish(String sourceId) {
        jdbc.sql("update backfill set finished_at = ? where source_id = ?").params(utc(clock.instant()), sourceId)
                .update();
    }

    private int count(String sourceId, boolean settledOnly) {
        return jdbc.sql("select count(*) from backfill_patient where source_id = ?"
                + (settledOnly ? " and settled_at is not null" : "")).param(sourceId).query(Integer.class).single();
    }
}
