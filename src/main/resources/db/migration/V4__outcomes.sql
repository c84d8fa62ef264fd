-- Employment outcomes collected from each jobcenter's feed and written back to the EHR.

-- Where each jobcenter's outcomes feed resumes (the feed's opaque cursor).
create table outcome_cursor (
    jobcenter_id  varchar(32)              not null primary key,
    feed_cursor   varchar(500)             not null,
    polled_at     timestamp with time zone not null
);

-- Events already handled, so that a replayed page is neither written nor recorded twice.
create table outcome_event (
    jobcenter_id  varchar(32)              not null,
    event_id      varchar(200)             not null,
    case_id       varchar(64),
    outcome       varchar(16)              not null, -- collected | held
    handled_at    timestamp with time zone not null,
    primary key (jobcenter_id, event_id)
);
