-- The disclosure ledger: every decision to share, hold back, withdraw or collect, append-only and tamper-evident.
-- An RFC 9162 Merkle tree over the entries, with Ed25519-signed checkpoints. Portable SQL (H2 PostgreSQL mode, PostgreSQL 15+).
-- No column holds a CPR number in clear: only a keyed hash (search) and a ciphertext (display). See docs/ledger.md.

-- The one row every append locks (select ... for update): appends are serialised, leaf indexes gap-free.
create table ledger_head (
    id               integer                  not null primary key,
    tree_size        bigint                   not null,
    root_hash        varchar(64)              not null, -- hex; Merkle Tree Hash of all entries
    frontier         varchar(4096)            not null, -- hex of the perfect subtree hashes making up the tree, largest first
    checkpoint_seq   bigint                   not null, -- the number of the latest checkpoint, 0 for none
    checkpoint_size  bigint                   not null, -- the tree size it signed
    checkpoint_at    timestamp with time zone,
    constraint ledger_head_single check (id = 1)
);
insert into ledger_head (id, tree_size, root_hash, frontier, checkpoint_seq, checkpoint_size)
values (1, 0, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '', 0, 0);

-- One row per leaf. Retention clears every column but leaf_index, recorded_at and leaf_hash, and sets redacted_at.
create table ledger_entry (
    leaf_index       bigint                   not null primary key,
    recorded_at      timestamp with time zone not null,
    decision         varchar(32),  -- shared | held | withdrawn | collected | officer-search | ...
    reason           varchar(64),
    source_id        varchar(32),
    patient_ref      varchar(80),
    recipient        varchar(32),
    case_id          varchar(64),
    consultant_ref   varchar(80),
    consent_id       varchar(64),
    consent_version  varchar(32),
    purpose          varchar(64),
    categories       varchar(200), -- space separated
    payload_sha256   varchar(64),  -- of the exact bytes sent; never the payload
    correlation_id   varchar(64),
    cpr_hash         varchar(64),  -- HMAC-SHA256 of the CPR number, hex
    cpr_ciphertext   varchar(128), -- AES-256-GCM of the CPR number
    actor            varchar(64),  -- the officer's username for officer-search, else null
    leaf_hash        varchar(64)              not null, -- SHA-256(0x00 || canonical entry), hex
    redacted_at      timestamp with time zone
);
create index ledger_entry_cpr on ledger_entry (cpr_hash);
create index ledger_entry_time on ledger_entry (recorded_at);

-- The hash of every perfect subtree of two or more leaves, written as appends complete them: proofs read a few dozen.
create table ledger_node (
    tree_level       integer                  not null, -- 1 = two leaves
    node_index       bigint                   not null, -- covers leaves [node_index * 2^tree_level, (node_index + 1) * 2^tree_level)
    hash             varchar(64)              not null,
    primary key (tree_level, node_index)
);

-- Signed tree heads, numbered from 1 without gaps.
create table ledger_checkpoint (
    seq              bigint                   not null primary key,
    tree_size        bigint                   not null,
    root_hash        varchar(64)              not null,
    created_at       timestamp with time zone not null,
    key_id           varchar(64)              not null, -- hex SHA-256 of the signing public key (SubjectPublicKeyInfo DER)
    signature        varchar(100)             not null  -- base64 Ed25519 signature of the checkpoint text
);
