-- Push: notifications from an EHR (R4 rest-hook Subscriptions, R4 Subscriptions Backport bundles) and the poll
-- schedule they can bring forward. A notification is only a hint about who changed: nothing here holds content.

-- Per EHR source and subscription, what arrived. 'rest-hook' counts the classic R4 rest-hooks, which carry no
-- event numbers.
create table notification_subscription (
    source_id      varchar(32)              not null,
    subscription   varchar(200)             not null, -- Subscription/<id> as the EHR names it
    notifications  bigint                   not null default 0,
    events_seen    bigint                   not null default 0, -- distinct event numbers
    highest_event  bigint                   not null default 0,
    duplicates     bigint                   not null default 0, -- event numbers seen again: ignored
    out_of_order   bigint                   not null default 0, -- event numbers below the highest, first seen late
    gaps           bigint                   not null default 0, -- times events were found missing: polled early
    restarts       bigint                   not null default 0, -- handshakes that started the numbering again
    last_type      varchar(32),
    last_at        timestamp with time zone,
    primary key (source_id, subscription)
);

-- Event numbers seen per subscription, to tell a duplicate from a late arrival; old numbers are pruned.
create table notification_event (
    source_id     varchar(32)  not null,
    subscription  varchar(200) not null,
    event_number  bigint       not null,
    primary key (source_id, subscription, event_number)
);

-- Per EHR source, shared by every instance: when it was last polled, and early polls asked for by notifications.
-- A poll takes the requests made before it started (satisfied = requests); one made during a poll stays open.
create table poll_request (
    source_id     varchar(32)              not null primary key,
    requested_at  timestamp with time zone,          -- the latest early poll asked for
    requests      bigint                   not null default 0,
    satisfied     bigint                   not null default 0,
    polled_at     timestamp with time zone           -- when the last poll started
);
