-- Site audit: the inventory of pages imported from a live site (kind
-- "imported"). The page (content, links, headings, validators) is one JSON
-- document; the columns beside it are what queries and uniqueness need.

CREATE TABLE siteaudit_items (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id    TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    url        TEXT NOT NULL,
    final_url  TEXT NOT NULL DEFAULT '',
    status     INTEGER NOT NULL DEFAULT 0,
    hash       TEXT NOT NULL DEFAULT '',
    page       TEXT NOT NULL,
    crawled_at TIMESTAMPTZ NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX siteaudit_items_url ON siteaudit_items (account_id, site_id, url);
CREATE INDEX siteaudit_items_scope ON siteaudit_items (account_id, site_id, id);
