-- AI runtime: the call log (one row per model call, see ai.Call), account
-- prompt overrides and author profiles.

CREATE TABLE ai_calls (
    id                TEXT PRIMARY KEY,
    run_id            TEXT NOT NULL,
    account_id        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id           TEXT NOT NULL DEFAULT '',
    sector_id         TEXT NOT NULL DEFAULT '',
    function          TEXT NOT NULL,
    prompt_id         TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    attempt           INTEGER NOT NULL DEFAULT 0,
    final             BOOLEAN NOT NULL DEFAULT FALSE,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    latency_us        INTEGER NOT NULL DEFAULT 0,
    credits           INTEGER NOT NULL DEFAULT 0,
    outcome           TEXT NOT NULL,
    error_code        TEXT NOT NULL DEFAULT '',
    error             TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX ai_calls_account ON ai_calls (account_id, id);
CREATE INDEX ai_calls_site ON ai_calls (account_id, site_id, id);
CREATE INDEX ai_calls_run ON ai_calls (run_id);

CREATE TABLE ai_prompt_overrides (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prompt_id   TEXT NOT NULL,
    system      TEXT NOT NULL DEFAULT '',
    user_prompt TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, prompt_id)
);

CREATE TABLE ai_author_profiles (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    style          TEXT NOT NULL DEFAULT '',
    tone           TEXT NOT NULL DEFAULT '',
    audience       TEXT NOT NULL DEFAULT '',
    banned_phrases TEXT NOT NULL DEFAULT '[]',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ai_author_profiles_name ON ai_author_profiles (account_id, name);
