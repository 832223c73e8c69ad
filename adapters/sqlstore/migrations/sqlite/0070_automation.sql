-- Automation: rules, their runs (one per rule and event), schedule marks.

CREATE TABLE automation_rules (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id      TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    template     TEXT NOT NULL DEFAULT '',
    trigger_type TEXT NOT NULL,
    body         TEXT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    scheduled    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX automation_rules_scope ON automation_rules (account_id, site_id, trigger_type, id);
CREATE INDEX automation_rules_scheduled ON automation_rules (scheduled, active, id);

CREATE TABLE automation_runs (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    site_id      TEXT NOT NULL,
    rule_id      TEXT NOT NULL REFERENCES automation_rules (id) ON DELETE CASCADE,
    event_id     TEXT NOT NULL,
    status       TEXT NOT NULL,
    body         TEXT NOT NULL,
    scheduled_at TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
-- A rule runs at most once per event, whatever the redelivery.
CREATE UNIQUE INDEX automation_runs_rule_event ON automation_runs (rule_id, event_id);
CREATE INDEX automation_runs_scope ON automation_runs (account_id, site_id, rule_id, id);

CREATE TABLE automation_schedule_marks (
    rule_id    TEXT PRIMARY KEY REFERENCES automation_rules (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    fired_at   TIMESTAMP NOT NULL
);
