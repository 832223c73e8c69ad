-- Linking: records of inserted internal links, per site.

CREATE TABLE internal_links (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    site_id    TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    target_url TEXT NOT NULL DEFAULT '',
    anchor     TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    link_type  TEXT NOT NULL,
    score      DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX internal_links_source ON internal_links (account_id, site_id, source_id, id);
CREATE INDEX internal_links_target ON internal_links (account_id, site_id, target_id, id);
