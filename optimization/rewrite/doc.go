// Package rewrite is the AI side of on-page optimization: an Optimizer
// asks a model to rewrite a content with the analyzer's failing checks as
// instructions, and keeps the rewrite only when it is better.
//
// One Optimize call:
//
//  1. loads the content and scores it with optimization.Analyzer;
//  2. sends the model (through a Rewriter; AIRewriter runs the SDK's
//     optimize_content function, metered by ai.Runner) the HTML, the
//     keyphrase and the failing checks, plus the rule to keep every link,
//     image, heading and number;
//  3. sanitizes the reply and scores it again;
//  4. accepts it only if the SEO score did not fall, SEO plus readability
//     rose, and no link target, image source, heading (by level and
//     order) or number was lost. An accepted rewrite becomes a new content
//     version (reason "optimized"), its Task is recorded and a
//     content_optimized event emitted, all in one transaction; a rejected
//     one leaves the content as it was and its Task says why.
//
// Task records the scores and HTML before and after. TaskStore keeps
// tasks; a host's store implements it next to content.Store.
//
//	opt := rewrite.NewOptimizer(store, contents, rewrite.AIRewriter{Library: lib, Runner: runner},
//		tasks, events, optimization.NewAnalyzer(optimization.Options{}), rewrite.OptimizerOptions{})
//	task, err := opt.Optimize(ctx, scope, rewrite.OptimizeRequest{ContentID: id, SiteHost: "example.com"})
//	fmt.Println(task.Status, task.SEOBefore, "→", task.SEOAfter, task.Reason)
package rewrite
