package dk.ipsbridge.store;

import javax.sql.DataSource;

import dk.ipsbridge.keys.TestKeys;
import dk.ipsbridge.ehr.CursorStore;
import dk.ipsbridge.failure.FailedRecords;
import dk.ipsbridge.queue.Outbox;
import dk.ipsbridge.queue.ReviewQueue;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The stores over a plain DataSource, without Spring. */
final class StoreAccess {

    private StoreAccess() {
    }

    static CursorStore cursors(DataSource ds) {
        return new CursorStore(JdbcClient.create(ds));
    }

    static ReviewQueue reviews(DataSource ds) {
        return new ReviewQueue(JdbcClient.create(ds));
    }

    static Outbox outbox(DataSource ds) {
        return new Outbox(JdbcClient.create(ds), TestKeys.atRest());
    }

    static FailedRecords failed(DataSource ds) {
        return new FailedRecords(JdbcClient.create(ds), TestKeys.atRest());
    }
}
