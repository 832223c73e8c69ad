-- Planning: keywords (unique per site and sector on their normalized text),
-- clusters, content ideas. Every table carries its tenant columns; every
-- index starts with them.

CREATE TABLE planning_keywords (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id     TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    sector_id   TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL,
    normalized  TEXT NOT NULL CHECK (normalized <> ''),
    volume      BIGINT NOT NULL DEFAULT 0 CHECK (volume >= 0),
    difficulty  INTEGER NOT NULL DEFAULT -1 CHECK (difficulty BETWEEN -1 AND 100),
    cpc         DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (cpc >= 0),
    intent      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    cluster_id  TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX planning_keywords_unique ON planning_keywords (site_id, sector_id, normalized);
CREATE INDEX planning_keywords_scope ON planning_keywords (account_id, site_id, sector_id, id);
-- site-wide lists page in id order without sorting the site's keywords
CREATE INDEX planning_keywords_site ON planning_keywords (account_id, site_id, id);
CREATE INDEX planning_keywords_cluster ON planning_keywords (account_id, site_id, cluster_id, id);

CREATE TABLE planning_clusters (
    id                TEXT PRIMARY KEY,
    account_id        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id           TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    sector_id         TEXT NOT NULL DEFAULT '',
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    intent            TEXT NOT NULL DEFAULT '',
    pillar_keyword_id TEXT NOT NULL DEFAULT '',
    pillar_keyword    TEXT NOT NULL DEFAULT '',
    keyword_count     INTEGER NOT NULL DEFAULT 0,
    total_volume      BIGINT NOT NULL DEFAULT 0,
    mean_difficulty   DOUBLE PRECISION NOT NULL DEFAULT -1,
    status            TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX planning_clusters_scope ON planning_clusters (account_id, site_id, sector_id, id);
CREATE INDEX planning_clusters_site ON planning_clusters (account_id, site_id, id);

CREATE TABLE planning_ideas (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id            TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    sector_id          TEXT NOT NULL DEFAULT '',
    cluster_id         TEXT NOT NULL DEFAULT '',
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    outline            TEXT NOT NULL DEFAULT '[]',
    content_type       TEXT NOT NULL,
    primary_keyword    TEXT NOT NULL,
    primary_normalized TEXT NOT NULL,
    secondary_keywords TEXT NOT NULL DEFAULT '[]',
    estimated_words    INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL,
    cannibalizes       TEXT NOT NULL DEFAULT '[]',
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX planning_ideas_scope ON planning_ideas (account_id, site_id, sector_id, id);
CREATE INDEX planning_ideas_site ON planning_ideas (account_id, site_id, id);
CREATE INDEX planning_ideas_primary ON planning_ideas (account_id, site_id, primary_normalized);
CREATE INDEX planning_ideas_cluster ON planning_ideas (account_id, site_id, cluster_id, id);
