-- Site builder: blueprints (wizard answers, status), their pages (typed
-- blocks as JSON, in order) and deployment records.

CREATE TABLE site_blueprints (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id    TEXT COLLATE "C" NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    base_url   TEXT NOT NULL,
    wizard     TEXT NOT NULL DEFAULT '{}',
    status     TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX site_blueprints_scope ON site_blueprints (account_id, site_id, id);

CREATE TABLE site_pages (
    id           TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL,
    site_id      TEXT COLLATE "C" NOT NULL,
    blueprint_id TEXT COLLATE "C" NOT NULL REFERENCES site_blueprints (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    slug         TEXT NOT NULL,
    type         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    blocks       TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX site_pages_slug ON site_pages (blueprint_id, slug);
CREATE INDEX site_pages_order ON site_pages (blueprint_id, position);

CREATE TABLE site_deployments (
    id           TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL,
    site_id      TEXT COLLATE "C" NOT NULL,
    blueprint_id TEXT COLLATE "C" NOT NULL REFERENCES site_blueprints (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL,
    path         TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    pages        INTEGER NOT NULL DEFAULT 0,
    files        INTEGER NOT NULL DEFAULT 0,
    bytes        BIGINT NOT NULL DEFAULT 0,
    written      INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    deployed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX site_deployments_blueprint ON site_deployments (blueprint_id, id);
