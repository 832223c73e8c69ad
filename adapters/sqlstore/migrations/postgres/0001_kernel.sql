-- Kernel tables: plans, tenancy, usage counters, credit ledger, events outbox.
-- Identifier and key columns use COLLATE "C" so that ORDER BY id and keyset
-- pagination (id > ?) follow byte order, as on SQLite, whatever the
-- database's locale.

CREATE TABLE plans (
    id              TEXT COLLATE "C" PRIMARY KEY,
    name            TEXT NOT NULL,
    limits          TEXT NOT NULL DEFAULT '{}',
    costs           TEXT NOT NULL DEFAULT '{}',
    monthly_credits BIGINT NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE accounts (
    id             TEXT COLLATE "C" PRIMARY KEY,
    name           TEXT NOT NULL,
    plan_id        TEXT COLLATE "C" NOT NULL REFERENCES plans (id),
    time_zone      TEXT NOT NULL DEFAULT '',
    credit_balance BIGINT NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
    is_system      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX accounts_plan_id ON accounts (plan_id);

CREATE TABLE sites (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    domain     TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sites_account_id ON sites (account_id, id);

CREATE TABLE sectors (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id    TEXT COLLATE "C" NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sectors_account_id ON sectors (account_id, id);
CREATE INDEX sectors_account_site ON sectors (account_id, site_id, id);
CREATE UNIQUE INDEX sectors_site_slug ON sectors (site_id, slug);

CREATE TABLE users (
    id           TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL,
    is_superuser BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_account_id ON users (account_id, id);
CREATE UNIQUE INDEX users_account_email ON users (account_id, lower(email));

-- One counter per (account, site, limit, period); site and period are ''
-- where the limit has none.
CREATE TABLE usage_counters (
    account_id TEXT COLLATE "C" NOT NULL,
    site_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
    limit_name TEXT COLLATE "C" NOT NULL,
    period     TEXT COLLATE "C" NOT NULL DEFAULT '',
    used       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, site_id, limit_name, period)
);

CREATE TABLE ledger_entries (
    id              TEXT COLLATE "C" PRIMARY KEY,
    account_id      TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    balance_after   BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    reference       TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT COLLATE "C" NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_account_key ON ledger_entries (account_id, idempotency_key);
CREATE INDEX ledger_entries_account_id ON ledger_entries (account_id, id);

-- seq is taken under pg_advisory_xact_lock by the store, so seq order is
-- commit (visibility) order. payload is json (not jsonb) to keep the bytes.
CREATE TABLE events (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         TEXT COLLATE "C" NOT NULL UNIQUE,
    account_id TEXT COLLATE "C" NOT NULL,
    site_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
    sector_id  TEXT COLLATE "C" NOT NULL DEFAULT '',
    type       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    payload    JSON,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_account_seq ON events (account_id, seq);
CREATE INDEX events_account_site_seq ON events (account_id, site_id, seq);

CREATE TABLE event_cursors (
    consumer  TEXT COLLATE "C" NOT NULL,
    scope_key TEXT COLLATE "C" NOT NULL,
    seq       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (consumer, scope_key)
);
