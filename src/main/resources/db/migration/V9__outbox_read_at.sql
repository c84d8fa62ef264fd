-- When the EHR read a case record was decided from began (issue 16). A case record whose read is recent enough goes
-- out without another EHR read just before delivery (ips.operations.delivery-read-max-age); an older one, and every
-- row queued before this column existed (null), is checked against the EHR again first.
alter table outbox add column read_at timestamp with time zone;
