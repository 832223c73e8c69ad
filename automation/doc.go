// Package automation runs the pipeline by rules: when a trigger fires (a
// domain event from the outbox, or a schedule tick) and a rule's
// conditions hold, its actions run in order — cluster keywords, propose
// ideas, create tasks, write, illustrate, link, optimize, publish — within
// the site's limits and the rule's credit budget, and every run is
// recorded with what each action did.
//
// The main types:
//
//   - Rule: trigger, conditions (field, operator, value; all must hold),
//     ordered actions with parameters, an optional cron schedule with a
//     time zone, an active flag, a daily cap and a credit limit per
//     execution. Rules are validated on save (InvalidArgument names the
//     field) and count against the plan's max_automation_rules.
//   - Engine: reads the outbox with its own cursor, matches active rules,
//     reserves the daily execution atomically (the site's
//     daily_automation_executions and the rule's own cap; a run over
//     either is recorded as skipped with the reason), and runs the
//     actions, stopping before one would pass the credit limit. A (rule,
//     event) pair runs at most once, whatever the redelivery. Run (the
//     in-process scheduler) polls the outbox and fires due schedules; a
//     tick missed while the process was down runs once, not once per
//     missed tick. DryRun says what a rule would do and cost.
//   - Actions: the functions behind action types. The engine knows no
//     domain: a host binds the built-in types to the domain services (or
//     its own) and may add types of its own.
//   - Templates: the eight workflows of the pipeline, installed for a site
//     with Engine.Install and editable after.
//
// Store is the persistence port; adapters/sqlstore implements it.
package automation
