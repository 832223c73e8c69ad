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
//   - SiteLinker: the one implementation of internal linking over a site's
//     stored content, for the pipeline and for hosts (the reference
//     server's link routes call it). Pages reads every content of a site
//     as a linking.Page: its cluster from the task it was written for
//     (clusters and tasks read a page at a time, not one task per
//     content), and its cluster's pillar when its primary keyword is the
//     cluster's pillar keyword (the oldest such content). Linking a
//     content inserts its links into its HTML as a new version (reason
//     "linked") with the link records and the content_linked event in one
//     transaction, starts again from the newer version on Conflict, and
//     never saves a link to a target renamed, gone or unpublished since
//     the index read it. LinkContent (the pipeline's Linker) also links
//     the existing pages that mention the new one's keywords; it keeps a
//     site's index for IndexTTL (then builds it again, so changes made
//     elsewhere are seen) and for at most MaxSites sites. LinkPass links a
//     sector (or named contents) with an index built for the pass and
//     counts pages, links placed, candidates skipped per rule, versions
//     and failures. Unlink takes one link out as a new version, its anchor
//     text left byte for byte. Every index is reweighted once loaded and
//     knows the anchors the site already links with.
//
// Store is the persistence port; adapters/sqlstore implements it.
package automation
