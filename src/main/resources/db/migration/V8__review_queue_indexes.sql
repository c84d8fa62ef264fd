-- The review queue keeps every shared patient for its re-check, so it holds about as many rows as there are IPS
-- patients, while a round claims the few that are due. Without these, each claim scanned the whole queue (and on H2
-- ran its subquery for every row), so a round cost in proportion to all patients (issue 16, ReviewQueueBenchmark).
create index patient_review_due on patient_review (due_at);
create index patient_review_claim on patient_review (claimed_by, claimed_until);
