// Package ai is the AI runtime of the SDK: typed AI functions, the Runner
// that runs them for a tenant under its plan's limits and credits, the
// prompt library of the pipeline, and account prompt overrides and author
// voices.
//
// # Functions
//
// A Function[In, Out] has a name (its key in the plan's cost table and in
// the call log), a text/template prompt (system and user parts), the JSON
// Schema of Out derived from the Go type (SchemaFor: every field required,
// omitempty fields nullable, additionalProperties false, no $ref — the
// shape OpenAI's strict structured output accepts), and a Validate func.
// NewFunction executes the templates against the zero In, so a broken
// prompt fails at construction. The framework appends the input to the
// last user message as a JSON block (see InputMarker): templates hold the
// instructions, the data travels as JSON.
//
// Hosts add their own functions the same way; their names need a cost in
// the plan (igny8.Plan.Costs) or in the Credits defaults.
//
// # Running
//
// Function.Run(ctx, runner, scope, in, opts) for a scope with a site:
//
//  1. checks the input (InvalidArgument, nothing charged);
//  2. in one store transaction, reserves 1 of the site's
//     daily_ai_requests and debits the function's per-call cost with an
//     idempotency key (the caller's, or "ai:<function>:<run id>"):
//     LimitExceeded or InsufficientCredits stop the run before the model;
//  3. calls the model. An Unavailable answer is retried with exponential
//     backoff and full jitter, at least as long as the server's
//     Retry-After, up to RetryPolicy.MaxAttempts calls; a Retry-After
//     longer than MaxRetryAfter ends the run at once. Other model errors
//     (PermissionDenied, InvalidArgument) end it;
//  4. parses the reply (a Markdown fence is tolerated; a reply cut at the
//     token limit or JSON that ends early is refused), checks it against
//     the schema and runs Validate. An invalid reply is sent back with the
//     error, up to MaxReasks times;
//  5. on success debits the token part of the cost (Cost.Per1KTokens
//     over the tokens of every call of the run) with the key
//     "<key>:tokens". On any failure it refunds the per-call debit and
//     releases the daily reservation, even if ctx was canceled.
//
// So a run charges exactly once on success (per-call part plus token
// part, each under its own idempotency key) and nothing on failure. Running
// again with the key of a successful run (even concurrently) charges
// nothing more and, if it fails, refunds nothing of the earlier charge: a
// run only refunds a debit it made itself (its run ID is the debit's
// Reference). The key of a refunded run is refused with Conflict. If the balance cannot cover the
// token part, the run fails with InsufficientCredits and is refunded.
//
// Errors: the model's own code where it has one (Unavailable after the
// retries, PermissionDenied, InvalidArgument), Internal with an
// *OutputError in the chain when the output stayed invalid, and the
// limit, credit and input errors above.
//
// # Images
//
// Runner.GenerateImage runs an igny8.ImageGenerator (RunnerOptions.Images)
// under the same rules: it reserves the site's daily and monthly image
// limits, debits the generate_image cost, retries Unavailable answers,
// refunds and releases on failure and logs every attempt.
//
// # Call log
//
// Every model call writes one Call through the CallStore (function,
// prompt, model, tokens in and out, latency, outcome, error code and
// message, scope, run id, attempt). The last row of a run has Final set and
// carries the credits the run charged (0 after a refund). A run refused
// before the model writes one row with Attempt 0. A row that cannot be
// written is logged and does not change the run's outcome.
//
// # Prompts and voices
//
// NewLibrary builds the pipeline's functions: AutoCluster, GenerateIdeas,
// one writing function per content type (Content, WriteContent),
// ImagePrompts, SiteStructure and Optimize, with exported input and output
// types for the domain packages. Prompts saves an account's override of
// any of them after checking that it parses and executes, and keeps
// author profiles (Voice: style, tone, audience, banned phrases). The
// writing and optimizing functions render the Voice given in their input
// and refuse output that uses a banned phrase. A Runner with
// RunnerOptions.Prompts uses the account's override when there is one.
//
// Example:
//
//	lib := ai.NewLibrary()
//	runner, _ := ai.NewRunner(store, igny8.NewLimits(store, nil), credits, llm, store, ai.RunnerOptions{Prompts: store})
//	res, err := lib.GenerateIdeas.Run(ctx, runner, site.Scope(), ai.IdeasInput{
//		Cluster: "green tea", Keywords: []string{"green tea benefits", "matcha"}, Count: 3,
//	}, nil)
package ai
