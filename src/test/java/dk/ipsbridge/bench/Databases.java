package dk.ipsbridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The adapter's databases in a run: {@code h2}, a file database as the adapter's default, and {@code postgres}, an
 * embedded PostgreSQL 17 with durable commits ({@code synchronous_commit=on}, {@code fsync=on}), started once and
 * given a new database per run.
 */
final class Databases implements AutoCloseable {

    record Target(String url, String user, String password) {
    }

    private final Path work;
    private EmbeddedPostgres postgres;

    Databases(Path work) {
        this.work = work;
    }

    Target create(String kind, Path dir) throws IOException, SQLException {
        return switch (kind) {
            case "h2" -> new Target("jdbc:h2:file:" + dir.toAbsolutePath().resolve("ipsbridge")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000", "sa",
                    "");
            case "postgres" -> {
                String name = "ips_" + UUID.randomUUID().toString().replace("-", "");
                try (Connection c = postgres().getPostgresDatabase().getConnection()) {
                    c.createStatement().execute("create database " + name);
                }
                yield new Target(postgres().getJdbcUrl("postgres", name), "postgres", "postgres");
            }
            default -> throw new IllegalArgumentException("bench.databases: h2 or postgres, not " + kind);
        };
    }

    /** The embedded PostgreSQL server, durable, started on first use. */
    synchronized EmbeddedPostgres postgres() throws IOException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                    .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
        }
        return postgres;
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
