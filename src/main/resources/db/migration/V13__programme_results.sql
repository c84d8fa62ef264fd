-- Issue 18: what the programmes' results are computed from, without a CPR number or a name.

-- One row per case the adapter has shared: the source, the jobcenter, the IPS track (C14) and the referral's day, as
-- they stood when the case was last shared. The results count a citizen per case (source, jobcenter).
create table ips_course (
    case_id      varchar(64)              not null primary key,
    source_id    varchar(32)              not null,
    recipient    varchar(32)              not null,
    programme    varchar(32)              not null,
    referred_on  date,
    updated_at   timestamp with time zone not null
);
create index ips_course_group on ips_course (source_id, programme, recipient);

-- An outcome event collected with consent keeps its type, day and terms; a held one keeps none of them. A retracted
-- event's row says retracted, whether it was collected before the retraction or never.
alter table outcome_event add column event_type varchar(32);
alter table outcome_event add column occurred_on date;
alter table outcome_event add column employment_terms varchar(16);
alter table outcome_event add column hours_per_week numeric(5, 2);
create index outcome_event_case on outcome_event (case_id);
