-- Issue 17: the go-live backfill of a source (java -jar ips-bridge.jar backfill --source ID). One row per source while
-- a backfill runs or was stopped; a backfill started again after it finished begins anew.
create table backfill (
    source_id      varchar(32)              primary key,
    started_at     timestamp with time zone not null,
    started_by     varchar(128)             not null,
    enumerated_at  timestamp with time zone,          -- every IPS consent and referral of the source has been read
    finished_at    timestamp with time zone
);

-- The patients a backfill found, each queued for review once; settled when decided and delivered.
create table backfill_patient (
    source_id   varchar(32)              not null,
    patient_id  varchar(64)              not null,
    queued_at   timestamp with time zone not null,
    settled_at  timestamp with time zone,
    primary key (source_id, patient_id)
);
create index backfill_patient_open on backfill_patient (source_id, settled_at);
