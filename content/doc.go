// Package content turns writing tasks into stored articles: tasks (from a
// content idea or by hand), generation at scale, content with versions, and
// images.
//
// The main types:
//
//   - Writer creates tasks and generates them in batches: tasks are claimed
//     with a lease (a worker that dies leaves its task to another once the
//     lease runs out), run with bounded concurrency capped by the plan's
//     max_concurrent_tasks, and each task ends with exactly one content —
//     a second writer's result is discarded, and its credits are not
//     charged twice. The site's daily content-task and monthly word limits
//     are reserved before the model call and given back when it fails.
//     A cancelled or crashed batch resumes without repeating finished tasks.
//   - Generator writes one article; AIGenerator runs the content type's
//     prompt through the ai runtime in the task's author voice.
//   - Library keeps content and its versions: every change (generation,
//     edit, linking, optimization, restore) is a version with its reason;
//     versions list, compare and restore. Model HTML is sanitized with a
//     strict allow-list before it is stored, and the word count, excerpt,
//     meta fields and JSON blocks are derived from the stored HTML.
//   - Illustrator generates the images the writer asked for through an
//     igny8.ImageGenerator, stores them in igny8.Storage and places them in
//     the HTML, within the site's image limits.
//
// Store is the persistence port (adapters/sqlstore implements it);
// contenttest is its conformance suite.
//
//	lib := content.NewLibrary(store, events, content.LibraryOptions{})
//	w := content.NewWriter(store, lib, content.NewAIGenerator(runner, ai.NewLibrary(), store), limits, events, content.WriterOptions{})
//	tasks, _ := w.CreateTasks(ctx, scope, []content.NewTask{{Title: "How to prune roses", PrimaryKeyword: "prune roses"}})
//	res, err := w.RunBatch(ctx, scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 8, Progress: func(p content.Progress) { ... }})
package content
