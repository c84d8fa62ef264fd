-- When the consent a shared case rests on lapses, so that it can be renewed in time (GET /api/consents/expiring).
-- expiry_noticed_at: when the scan first saw the case within the warning window; reset when the consent changes.
alter table ips_case add column consent_expires_on date;
alter table ips_case add column expiry_noticed_at timestamp with time zone;
create index ips_case_expiry on ips_case (state, consent_expires_on);
