-- A delivery round claims the few due rows of one jobcenter, the longest due first, while the outbox keeps every
-- delivered message (without its payload) for the audit. In this index's order a claim reads the rows it takes and
-- stops; before, each claim scanned the outbox, so a round cost in proportion to all messages ever queued (issue 16,
-- OutboxBenchmark). It replaces outbox_recipient_due, its prefix.
drop index outbox_recipient_due;
create index outbox_claim on outbox (recipient, status, next_attempt_at, id);
