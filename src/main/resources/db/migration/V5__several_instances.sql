-- Several instances on one database (PostgreSQL). Work rows are claimed for a lease with
-- select ... for update skip locked; a claim whose lease ran out (its instance died) is taken over by another.
alter table outbox add column claimed_by varchar(64);
alter table outbox add column claimed_until timestamp with time zone;
create index outbox_recipient_due on outbox (recipient, status, next_attempt_at);

alter table patient_review add column claimed_by varchar(64);
alter table patient_review add column claimed_until timestamp with time zone;

-- Decisions for one patient are applied one at a time, and only from a read of the EHR that began after the
-- previous decision was applied (optimistic: a stale read is not applied; the patient is read again).
create table patient_generation (
    source_id   varchar(32) not null,
    patient_id  varchar(64) not null,
    generation  bigint      not null,
    primary key (source_id, patient_id)
);

-- Reconciliation: when each case was last compared with what its jobcenter holds (GET /cases/{caseId}).
alter table ips_case add column reconciled_at timestamp with time zone;

-- Singleton routes (EHR polling, outcome collection, ledger upkeep, reconciliation) run on one instance at a time:
-- ShedLock's table, as its documentation gives it.
create table shedlock (
    name        varchar(64)  not null primary key,
    lock_until  timestamp    not null,
    locked_at   timestamp    not null,
    locked_by   varchar(255) not null
);
