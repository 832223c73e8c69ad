package rewrite

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization"
)

// Contents is what the Optimizer needs of the content domain;
// *content.Library has these methods.
type Contents interface {
	Get(ctx context.Context, scope igny8.Scope, id string) (content.Content, error)
	Update(ctx context.Context, scope igny8.Scope, id string, baseVersion int, e content.Edit, reason content.Reason, note string) (content.Content, error)
}

// Rewriter asks a model to rewrite a page. key is the idempotency key of
// the call (one per optimization task). AIRewriter runs the SDK's
// optimize_content function.
type Rewriter interface {
	Rewrite(ctx context.Context, scope igny8.Scope, key string, in ai.OptimizeInput) (ai.OptimizeOutput, error)
}

// AIRewriter runs ai.Library.Optimize through an ai.Runner, which meters
// limits and credits and retries.
type AIRewriter struct {
	Library *ai.Library
	Runner  *ai.Runner
}

// Rewrite runs the optimize_content function.
func (r AIRewriter) Rewrite(ctx context.Context, scope igny8.Scope, key string, in ai.OptimizeInput) (ai.OptimizeOutput, error) {
	res, err := r.Library.Optimize.Run(ctx, r.Runner, scope, in, &ai.RunOptions{IdempotencyKey: key})
	if err != nil {
		return ai.OptimizeOutput{}, err
	}
	return res.Output, nil
}

// TaskStatus is how an optimization ended.
type TaskStatus string

// Task statuses.
const (
	// TaskAccepted: the rewrite scored higher and kept every link and
	// image; it is the content's new version.
	TaskAccepted TaskStatus = "accepted"
	// TaskRejected: the rewrite was worse or lost something; the content
	// is unchanged and Reason says why.
	TaskRejected TaskStatus = "rejected"
	// TaskFailed: the model call failed; Reason holds the error.
	TaskFailed TaskStatus = "failed"
)

// Task records one optimization: the scores and HTML before and after,
// and what became of the rewrite.
type Task struct {
	ID        string      `json:"id"`
	Scope     igny8.Scope `json:"scope"`
	ContentID string      `json:"content_id"`
	Keyphrase string      `json:"keyphrase"`
	// BaseVersion is the content version rewritten; NewVersion the version
	// the accepted rewrite became (0 otherwise).
	BaseVersion int        `json:"base_version"`
	NewVersion  int        `json:"new_version,omitempty"`
	Status      TaskStatus `json:"status"`
	// Reason says why a rewrite was rejected or failed.
	Reason string `json:"reason,omitempty"`
	// Instructions are the failing checks sent to the model.
	Instructions      []string `json:"instructions"`
	Changes           []string `json:"changes,omitempty"`
	SEOBefore         int      `json:"seo_before"`
	ReadabilityBefore int      `json:"readability_before"`
	SEOAfter          int      `json:"seo_after"`
	ReadabilityAfter  int      `json:"readability_after"`
	HTMLBefore        string   `json:"html_before"`
	// HTMLAfter is the sanitized rewrite (also when rejected).
	HTMLAfter string    `json:"html_after,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// TaskStore keeps optimization tasks. Methods are scoped: a task outside
// the scope answers NotFound.
type TaskStore interface {
	CreateOptimizationTask(ctx context.Context, scope igny8.Scope, t Task) error
	GetOptimizationTask(ctx context.Context, scope igny8.Scope, id string) (Task, error)
	// ListOptimizationTasks returns a content's tasks, newest first.
	ListOptimizationTasks(ctx context.Context, scope igny8.Scope, contentID string) ([]Task, error)
}

// OptimizerOptions configures an Optimizer; the zero value is usable.
type OptimizerOptions struct {
	// Sanitizer cleans the model's HTML before it is scored; nil means
	// content.DefaultSanitizer(), the one content.Library applies.
	Sanitizer content.Sanitizer
	Clock     igny8.Clock
	IDs       igny8.IDGenerator
	Logger    *slog.Logger
}

// Optimizer rewrites content with a model and keeps the rewrite only when
// it is better: analyze, ask for a rewrite with the failing checks as
// instructions, sanitize, analyze again, and accept it only if the score
// rose and no link, image, heading or number was lost.
type Optimizer struct {
	tx       igny8.Transactor
	contents Contents
	rewriter Rewriter
	tasks    TaskStore
	events   *igny8.Events
	analyzer *optimization.Analyzer
	san      content.Sanitizer
	clock    igny8.Clock
	ids      igny8.IDGenerator
	log      *slog.Logger
}

// NewOptimizer returns an Optimizer. tx is the store the contents, tasks
// and events live in, so that a new version, its task and its event commit
// together.
func NewOptimizer(tx igny8.Transactor, contents Contents, rewriter Rewriter, tasks TaskStore, events *igny8.Events, analyzer *optimization.Analyzer, opts OptimizerOptions) *Optimizer {
	o := &Optimizer{tx: tx, contents: contents, rewriter: rewriter, tasks: tasks, events: events, analyzer: analyzer,
		san: opts.Sanitizer, clock: opts.Clock, ids: opts.IDs, log: opts.Logger}
	if o.san == nil {
		o.san = content.DefaultSanitizer()
	}
	if o.clock == nil {
		o.clock = igny8.SystemClock{}
	}
	if o.ids == nil {
		o.ids = &igny8.UUIDv7{Clock: o.clock}
	}
	if o.log == nil {
		o.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// OptimizeRequest names the content to optimize and the context the
// analyzer needs.
type OptimizeRequest struct {
	ContentID string
	// Keyphrase defaults to the content's primary keyword.
	Keyphrase string
	Synonyms  []string
	// SiteHost tells internal links from outbound ones.
	SiteHost string
	Locale   string
	// OtherKeyphrases are the site's other pages' keyphrases.
	OtherKeyphrases []optimization.TargetedKeyphrase
	Voice           ai.Voice
}

const opOptimize = "rewrite.Optimizer.Optimize"

// keepInstruction is sent first: a rewrite that breaks it is rejected.
const keepInstruction = "Keep every link (same href), every image (same src), the headings in their order and levels, and every fact and number; change wording only."

// Optimize runs one optimization and returns its task. A rejected rewrite
// is not an error: the task says why. A failed model call is recorded as
// a failed task and returned as the error.
func (o *Optimizer) Optimize(ctx context.Context, scope igny8.Scope, req OptimizeRequest) (Task, error) {
	if err := scope.RequireSite(opOptimize); err != nil {
		return Task{}, err
	}
	if strings.TrimSpace(req.ContentID) == "" {
		return Task{}, igny8.InvalidArgument(opOptimize, "content_id", "is required")
	}
	c, err := o.contents.Get(ctx, scope, req.ContentID)
	if err != nil {
		return Task{}, err
	}
	key := req.Keyphrase
	if strings.TrimSpace(key) == "" {
		key = c.PrimaryKeyword
	}
	if strings.TrimSpace(key) == "" {
		return Task{}, igny8.InvalidArgument(opOptimize, "keyphrase", "is required: content %s has no primary keyword", c.ID)
	}
	in := o.input(c, c.Body, key, req)
	before, err := o.analyzer.Analyze(in)
	if err != nil {
		return Task{}, err
	}
	t := Task{
		ID: o.ids.NewID(), Scope: scope, ContentID: c.ID, Keyphrase: key, BaseVersion: c.Version,
		SEOBefore: before.SEO, ReadabilityBefore: before.Readability, HTMLBefore: c.HTML,
		CreatedAt: o.clock.Now().UTC(),
	}
	t.Instructions = append(t.Instructions, keepInstruction)
	for _, p := range before.Problems() {
		t.Instructions = append(t.Instructions, p.Message)
	}
	out, err := o.rewriter.Rewrite(ctx, scope, "optimize:"+t.ID, ai.OptimizeInput{
		Title: c.Title, MetaTitle: c.MetaTitle, MetaDescription: c.MetaDescription, HTML: c.HTML,
		PrimaryKeyword: key, SecondaryKeywords: c.SecondaryKeywords, Issues: t.Instructions, Voice: req.Voice,
	})
	if err != nil {
		t.Status, t.Reason = TaskFailed, err.Error()
		t.SEOAfter, t.ReadabilityAfter = t.SEOBefore, t.ReadabilityBefore
		if serr := o.tasks.CreateOptimizationTask(ctx, scope, t); serr != nil {
			o.log.ErrorContext(ctx, "record failed optimization", "task", t.ID, "content", c.ID, "err", serr)
		}
		return t, igny8.Wrap(igny8.CodeInternal, opOptimize, err)
	}
	t.Changes = out.Changes
	body := c.Body
	body.HTML = o.san.Sanitize(out.HTML)
	if s := strings.TrimSpace(out.MetaTitle); s != "" {
		body.MetaTitle = s
	}
	if s := strings.TrimSpace(out.MetaDescription); s != "" {
		body.MetaDescription = s
	}
	t.HTMLAfter = body.HTML
	after, err := o.analyzer.Analyze(o.input(c, body, key, req))
	if err != nil {
		return Task{}, err
	}
	t.SEOAfter, t.ReadabilityAfter = after.SEO, after.Readability

	var why []string
	why = append(why, lost(takeInventory(c.HTML), takeInventory(body.HTML))...)
	if !(after.SEO >= before.SEO && after.SEO+after.Readability > before.SEO+before.Readability) {
		why = append(why, fmt.Sprintf("the scores did not rise (SEO %d → %d, readability %d → %d)", before.SEO, after.SEO, before.Readability, after.Readability))
	}
	if len(why) > 0 {
		t.Status, t.Reason = TaskRejected, strings.Join(why, "; ")
		if err := o.tasks.CreateOptimizationTask(ctx, scope, t); err != nil {
			return Task{}, err
		}
		o.log.InfoContext(ctx, "optimization rejected", "task", t.ID, "content", c.ID, "reason", t.Reason)
		return t, nil
	}

	t.Status = TaskAccepted
	err = o.tx.InTx(ctx, func(ctx context.Context) error {
		note := fmt.Sprintf("optimization %s: SEO %d → %d, readability %d → %d", t.ID, t.SEOBefore, t.SEOAfter, t.ReadabilityBefore, t.ReadabilityAfter)
		nc, err := o.contents.Update(ctx, scope, c.ID, c.Version, content.Edit{
			HTML: &body.HTML, MetaTitle: &body.MetaTitle, MetaDescription: &body.MetaDescription,
		}, content.ReasonOptimized, note)
		if err != nil {
			return err
		}
		t.NewVersion = nc.Version
		if err := o.tasks.CreateOptimizationTask(ctx, scope, t); err != nil {
			return err
		}
		_, err = o.events.Emit(ctx, scope, igny8.EventContentOptimized, c.ID, map[string]any{
			"task_id": t.ID, "content_id": c.ID, "version": t.NewVersion, "keyphrase": key,
			"seo_before": t.SEOBefore, "seo_after": t.SEOAfter,
			"readability_before": t.ReadabilityBefore, "readability_after": t.ReadabilityAfter,
		})
		return err
	})
	if err != nil {
		return Task{}, igny8.Wrap(igny8.CodeInternal, opOptimize, err)
	}
	o.log.InfoContext(ctx, "optimization accepted", "task", t.ID, "content", c.ID, "version", t.NewVersion, "seo", t.SEOAfter)
	return t, nil
}

func (o *Optimizer) input(c content.Content, b content.Body, key string, req OptimizeRequest) optimization.Input {
	title := b.MetaTitle
	if strings.TrimSpace(title) == "" {
		title = b.Title
	}
	return optimization.Input{
		HTML: b.HTML, Keyphrase: key, Synonyms: req.Synonyms, Title: title, MetaDescription: b.MetaDescription,
		Slug: b.Slug, Type: optimization.ContentType(c.Type), Locale: req.Locale, SiteHost: req.SiteHost,
		OtherKeyphrases: req.OtherKeyphrases,
	}
}

// inventory is what a rewrite must keep: link targets, image sources,
// heading levels in order, and the numbers of the text (a proxy for its
// facts).
type inventory struct {
	links, images, numbers []string
	headings               []int
}

func takeInventory(src string) inventory {
	var inv inventory
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return inv
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.A, atom.Img:
				want := "href"
				if a == atom.Img {
					want = "src"
				}
				for more := true; more; {
					var k, v []byte
					k, v, more = z.TagAttr()
					if string(k) == want && len(strings.TrimSpace(string(v))) > 0 {
						if a == atom.A {
							inv.links = append(inv.links, strings.TrimSpace(string(v)))
						} else {
							inv.images = append(inv.images, strings.TrimSpace(string(v)))
						}
					}
				}
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				inv.headings = append(inv.headings, int(name[1]-'0'))
			}
		case html.TextToken:
			for _, f := range strings.FieldsFunc(string(z.Text()), func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == ',') }) {
				if f = strings.Trim(f, ".,"); f != "" {
					inv.numbers = append(inv.numbers, f)
				}
			}
		}
	}
}

// lost lists what the rewrite dropped.
func lost(before, after inventory) []string {
	var why []string
	missing := func(what string, b, a []string) {
		have := map[string]int{}
		for _, x := range a {
			have[x]++
		}
		var gone []string
		for _, x := range b {
			if have[x] == 0 {
				gone = append(gone, x)
				continue
			}
			have[x]--
		}
		if len(gone) > 0 {
			why = append(why, fmt.Sprintf("the rewrite drops %s %s", what, strings.Join(gone, ", ")))
		}
	}
	missing("link", before.links, after.links)
	missing("image", before.images, after.images)
	missing("number", before.numbers, after.numbers)
	if !isSubsequence(before.headings, after.headings) {
		why = append(why, fmt.Sprintf("the rewrite changes the heading structure (levels %v → %v)", before.headings, after.headings))
	}
	return why
}

// isSubsequence reports whether a appears in b in order.
func isSubsequence(a, b []int) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}
