-- Issue 17: an operator pauses delivery to one jobcenter (during its upgrade, say). While a row is here, nothing is
-- claimed or sent to that jobcenter by any instance; its work, withdrawals included, waits in the outbox as pending.
create table jobcenter_pause (
    recipient  varchar(32)              primary key,
    paused_by  varchar(128)             not null,
    paused_at  timestamp with time zone not null,
    reason     varchar(200)
);

-- Withdrawals go out before case records (after a resume, after an outage): a round claims a jobcenter's due
-- withdrawals first, in this index's order, then its case records.
drop index outbox_claim;
create index outbox_claim on outbox (recipient, kind, status, next_attempt_at, id);
