-- Optimization: AI rewrite tasks with scores and HTML before and after.

CREATE TABLE optimization_tasks (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    site_id    TEXT NOT NULL,
    content_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX optimization_tasks_content ON optimization_tasks (account_id, site_id, content_id, created_at);
