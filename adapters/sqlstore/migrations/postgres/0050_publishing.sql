-- Publishing: destinations per site (credentials sealed by the host's key,
-- never in clear) and one record per (content, destination).

CREATE TABLE publishing_destinations (
    id            TEXT COLLATE "C" PRIMARY KEY,
    account_id    TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id       TEXT COLLATE "C" NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    settings      TEXT NOT NULL DEFAULT '{}',
    secret_key_id TEXT NOT NULL DEFAULT '',
    secret        BYTEA,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX publishing_destinations_site_name ON publishing_destinations (site_id, name);
CREATE INDEX publishing_destinations_scope ON publishing_destinations (account_id, site_id, id);

CREATE TABLE publishing_records (
    id                TEXT COLLATE "C" PRIMARY KEY,
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id           TEXT COLLATE "C" NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    content_id        TEXT NOT NULL,
    destination_id    TEXT COLLATE "C" NOT NULL REFERENCES publishing_destinations (id) ON DELETE CASCADE,
    status            TEXT NOT NULL,
    remote_id         TEXT NOT NULL DEFAULT '',
    remote_kind       TEXT NOT NULL DEFAULT '',
    url               TEXT NOT NULL DEFAULT '',
    idempotency_key   TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 0,
    published_version INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT NOT NULL DEFAULT '',
    revision          INTEGER NOT NULL,
    published_at      TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX publishing_records_content_destination ON publishing_records (destination_id, content_id);
CREATE INDEX publishing_records_scope ON publishing_records (account_id, site_id, id);
