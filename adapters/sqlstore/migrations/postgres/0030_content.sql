-- Content: writing tasks (leased by workers), content with versions, images.

CREATE TABLE content_tasks (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id         TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    sector_id       TEXT NOT NULL DEFAULT '',
    idea_id         TEXT NOT NULL DEFAULT '',
    cluster_id      TEXT NOT NULL DEFAULT '',
    batch_id        TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    brief           TEXT NOT NULL DEFAULT '',
    outline         TEXT NOT NULL DEFAULT '[]',
    primary_keyword TEXT NOT NULL DEFAULT '',
    keywords        TEXT NOT NULL DEFAULT '[]',
    type            TEXT NOT NULL,
    target_words    INTEGER NOT NULL DEFAULT 0,
    author_profile  TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    lease_owner     TEXT NOT NULL DEFAULT '',
    lease_until     TIMESTAMPTZ,
    content_id      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX content_tasks_scope ON content_tasks (account_id, site_id, sector_id, id);
CREATE INDEX content_tasks_claim ON content_tasks (account_id, site_id, status, id);
CREATE INDEX content_tasks_batch ON content_tasks (account_id, batch_id, id);

CREATE TABLE contents (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id            TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    sector_id          TEXT NOT NULL DEFAULT '',
    task_id            TEXT NOT NULL DEFAULT '',
    type               TEXT NOT NULL,
    status             TEXT NOT NULL,
    version            INTEGER NOT NULL,
    title              TEXT NOT NULL,
    meta_title         TEXT NOT NULL DEFAULT '',
    meta_description   TEXT NOT NULL DEFAULT '',
    slug               TEXT NOT NULL,
    html               TEXT NOT NULL DEFAULT '',
    blocks             TEXT NOT NULL DEFAULT '[]',
    excerpt            TEXT NOT NULL DEFAULT '',
    faq                TEXT NOT NULL DEFAULT '[]',
    word_count         INTEGER NOT NULL DEFAULT 0,
    primary_keyword    TEXT NOT NULL DEFAULT '',
    secondary_keywords TEXT NOT NULL DEFAULT '[]',
    published_to       TEXT NOT NULL DEFAULT '[]',
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX contents_scope ON contents (account_id, site_id, sector_id, id);
CREATE UNIQUE INDEX contents_site_slug ON contents (site_id, slug);
-- A task produces at most one content, whatever happens to its workers.
CREATE UNIQUE INDEX contents_task ON contents (task_id) WHERE task_id <> '';
CREATE INDEX contents_keyword ON contents (account_id, site_id, primary_keyword);

CREATE TABLE content_versions (
    content_id       TEXT NOT NULL REFERENCES contents (id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    account_id       TEXT NOT NULL,
    site_id          TEXT NOT NULL,
    reason           TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL,
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_description TEXT NOT NULL DEFAULT '',
    slug             TEXT NOT NULL,
    html             TEXT NOT NULL DEFAULT '',
    blocks           TEXT NOT NULL DEFAULT '[]',
    excerpt          TEXT NOT NULL DEFAULT '',
    faq              TEXT NOT NULL DEFAULT '[]',
    word_count       INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (content_id, number)
);
CREATE INDEX content_versions_scope ON content_versions (account_id, site_id, content_id);

CREATE TABLE content_images (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id     TEXT NOT NULL,
    sector_id   TEXT NOT NULL DEFAULT '',
    content_id  TEXT NOT NULL REFERENCES contents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    prompt      TEXT NOT NULL DEFAULT '',
    alt         TEXT NOT NULL DEFAULT '',
    storage_key TEXT NOT NULL DEFAULT '',
    media_type  TEXT NOT NULL DEFAULT '',
    size        BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    error       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX content_images_scope ON content_images (account_id, site_id, content_id, id);
