package planning

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// TargetSource reports which content of a site already targets keywords,
// for the cannibalization check. The content package (or a host) fills it;
// without one, ideas are checked against other ideas only.
type TargetSource interface {
	// ContentTargeting maps each given normalized keyword that some content
	// of the scope's site has as its primary keyword to those contents' IDs.
	ContentTargeting(ctx context.Context, scope igny8.Scope, normalized []string) (map[string][]string, error)
}

// PlannerOptions configures a Planner; the zero value is usable for
// keywords and clustering. Ideas and AI refinement need Runner.
type PlannerOptions struct {
	Clock  igny8.Clock
	IDs    igny8.IDGenerator
	Logger *slog.Logger
	// Clusterer is the default strategy of Cluster (default: lexical with
	// default options).
	Clusterer Clusterer
	// Runner and Library run the AI functions (generate_ideas,
	// auto_cluster). Library defaults to ai.NewLibrary().
	Runner  *ai.Runner
	Library *ai.Library
	// Targets, when set, lets the cannibalization check see content.
	Targets TargetSource
}

// Planner is the planning service: keywords (add, import, list, update,
// archive, delete), clustering, and content ideas, within the plan's
// max_keywords, max_clusters and max_content_ideas limits, emitting
// keyword_added, cluster_created and idea_created events in the same
// transaction as the change.
type Planner struct {
	store   Store
	limits  *igny8.Limits
	events  *igny8.Events
	clock   igny8.Clock
	ids     igny8.IDGenerator
	log     *slog.Logger
	cluster Clusterer
	runner  *ai.Runner
	lib     *ai.Library
	targets TargetSource
}

// NewPlanner returns a Planner over store. limits and events must work on
// the same database as store, so that reservations and events commit with
// the rows they guard.
func NewPlanner(store Store, limits *igny8.Limits, events *igny8.Events, opts PlannerOptions) *Planner {
	p := &Planner{store: store, limits: limits, events: events, clock: opts.Clock, ids: opts.IDs, log: opts.Logger,
		cluster: opts.Clusterer, runner: opts.Runner, lib: opts.Library, targets: opts.Targets}
	if p.clock == nil {
		p.clock = igny8.SystemClock{}
	}
	if p.ids == nil {
		p.ids = &igny8.UUIDv7{Clock: p.clock}
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.cluster == nil {
		p.cluster = NewLexical(LexicalOptions{})
	}
	if p.lib == nil {
		p.lib = ai.NewLibrary()
	}
	return p
}

func (p *Planner) now() time.Time { return p.clock.Now().UTC() }

// limitRefused rewords a refused reservation so that it says how many of
// the request would fit, keeping the *igny8.LimitError reachable.
func limitRefused(op, what string, n int, err error) error {
	var le *igny8.LimitError
	if igny8.CodeOf(err) == igny8.CodeLimitExceeded && asLimit(err, &le) {
		return igny8.Errorf(igny8.CodeLimitExceeded, op, "%d %s refused, only %d more fit (%s is %d, %d used): %w",
			n, what, le.Remaining(), le.Limit, le.Max, le.Used, err)
	}
	return err
}

// ---- keywords ----

// ImportFold is an input keyword that was not added because it duplicates
// an earlier input or a keyword the site (and sector) already has.
type ImportFold struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
	// Into is "input N" (the earlier input) or the existing keyword's ID.
	Into string `json:"into"`
}

// ImportRejection is an input keyword that is not valid.
type ImportRejection struct {
	Index  int    `json:"index"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// ImportReport says what Import did.
type ImportReport struct {
	// BatchID is the subject of the batch's keyword_added event.
	BatchID  string            `json:"batch_id"`
	Added    []Keyword         `json:"added"`
	Folded   []ImportFold      `json:"folded,omitempty"`
	Rejected []ImportRejection `json:"rejected,omitempty"`
}

// KeywordAddedPayload is the payload of a keyword_added event: one event
// per added keyword or imported batch.
type KeywordAddedPayload struct {
	BatchID    string   `json:"batch_id"`
	Count      int      `json:"count"`
	Source     string   `json:"source,omitempty"`
	KeywordIDs []string `json:"keyword_ids,omitempty"`
}

// maxIDsInEvent bounds the IDs listed in a keyword_added payload; a larger
// batch lists none (consumers page through the keywords by batch instead).
const maxIDsInEvent = 1000

// AddKeyword adds one keyword to the scope's site (and sector). A keyword
// whose normalized text the site and sector already has is Conflict.
func (p *Planner) AddKeyword(ctx context.Context, scope igny8.Scope, in KeywordInput) (Keyword, error) {
	const op = "planning.Planner.AddKeyword"
	if err := scope.RequireSite(op); err != nil {
		return Keyword{}, err
	}
	rep, err := p.importKeywords(ctx, op, scope, []KeywordInput{in})
	if err != nil {
		return Keyword{}, err
	}
	if len(rep.Rejected) > 0 {
		return Keyword{}, igny8.InvalidArgument(op, "keyword", "%s", rep.Rejected[0].Reason)
	}
	if len(rep.Folded) > 0 {
		return Keyword{}, igny8.Errorf(igny8.CodeConflict, op, "keyword %q already exists as %s", in.Text, rep.Folded[0].Into)
	}
	return rep.Added[0], nil
}

// Import adds keywords in bulk to the scope's site (and sector). Invalid
// inputs are rejected one by one with their index and reason; inputs that
// normalize to an earlier input or to a keyword the site and sector already
// has are folded. The rest is written whole, in one transaction, after
// max_keywords is reserved for all of it, with one keyword_added event;
// or, when the limit would be passed, nothing is written and the error is
// LimitExceeded (a *igny8.LimitError in its chain) saying how many would
// fit.
func (p *Planner) Import(ctx context.Context, scope igny8.Scope, ins []KeywordInput) (ImportReport, error) {
	const op = "planning.Planner.Import"
	if err := scope.RequireSite(op); err != nil {
		return ImportReport{}, err
	}
	return p.importKeywords(ctx, op, scope, ins)
}

func (p *Planner) importKeywords(ctx context.Context, op string, scope igny8.Scope, ins []KeywordInput) (ImportReport, error) {
	rep := ImportReport{BatchID: p.ids.NewID()}
	now := p.now()
	type pending struct {
		index int
		kw    Keyword
	}
	var todo []pending
	first := make(map[string]int, len(ins))
	for i, in := range ins {
		norm, err := in.Validate(op)
		if err != nil {
			rep.Rejected = append(rep.Rejected, ImportRejection{Index: i, Text: in.Text, Reason: reason(err)})
			continue
		}
		if j, dup := first[norm]; dup {
			rep.Folded = append(rep.Folded, ImportFold{Index: i, Text: in.Text, Into: fmt.Sprintf("input %d", j)})
			continue
		}
		first[norm] = i
		todo = append(todo, pending{index: i, kw: Keyword{
			ID: p.ids.NewID(), AccountID: scope.AccountID, SiteID: scope.SiteID, SectorID: scope.SectorID,
			Text: in.Text, Normalized: norm, Volume: in.Volume, Difficulty: in.Difficulty, CPC: in.CPC,
			Intent: in.Intent, Status: StatusActive, Source: in.Source, CreatedAt: now, UpdatedAt: now,
		}})
	}
	if len(todo) == 0 {
		rep.Added = []Keyword{}
		return rep, nil
	}
	texts := make([]string, len(todo))
	for i, t := range todo {
		texts[i] = t.kw.Normalized
	}
	err := p.store.InTx(ctx, func(ctx context.Context) error {
		existing, err := p.store.KeywordsByNormalized(ctx, scope, texts)
		if err != nil {
			return err
		}
		have := make(map[string]string, len(existing))
		for _, k := range existing {
			have[k.Normalized] = k.ID
		}
		var add []Keyword
		var folded []ImportFold
		for _, t := range todo {
			if id, ok := have[t.kw.Normalized]; ok {
				folded = append(folded, ImportFold{Index: t.index, Text: t.kw.Text, Into: id})
				continue
			}
			add = append(add, t.kw)
		}
		if len(add) > 0 {
			if _, err := p.limits.Reserve(ctx, scope, igny8.LimitMaxKeywords, int64(len(add))); err != nil {
				return limitRefused(op, "keywords", len(add), err)
			}
			if err := p.store.CreateKeywords(ctx, scope, add); err != nil {
				return err
			}
			payload := KeywordAddedPayload{BatchID: rep.BatchID, Count: len(add), Source: add[0].Source}
			if len(add) <= maxIDsInEvent {
				for _, k := range add {
					payload.KeywordIDs = append(payload.KeywordIDs, k.ID)
				}
			}
			if _, err := p.events.Emit(ctx, scope, igny8.EventKeywordAdded, rep.BatchID, payload); err != nil {
				return err
			}
		}
		rep.Added, rep.Folded = add, append(rep.Folded, folded...)
		return nil
	})
	if err != nil {
		return ImportReport{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if rep.Added == nil {
		rep.Added = []Keyword{}
	}
	p.log.InfoContext(ctx, "planning: keywords imported", "scope", scope.String(), "batch", rep.BatchID,
		"added", len(rep.Added), "folded", len(rep.Folded), "rejected", len(rep.Rejected))
	return rep, nil
}

// reason is an error's message without its operation, for reports.
func reason(err error) string {
	var e *igny8.Error
	if asError(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return err.Error()
}

// GetKeyword returns a keyword of the scope.
func (p *Planner) GetKeyword(ctx context.Context, scope igny8.Scope, id string) (Keyword, error) {
	return p.store.GetKeyword(ctx, scope, id)
}

// ListKeywords lists the scope's keywords, a page at a time.
func (p *Planner) ListKeywords(ctx context.Context, scope igny8.Scope, f KeywordFilter, page igny8.PageRequest) ([]Keyword, error) {
	const op = "planning.Planner.ListKeywords"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", StatusActive, StatusArchived, StatusAll:
	default:
		return nil, igny8.InvalidArgument(op, "status", "%q is not active, archived or all", string(f.Status))
	}
	if !f.Intent.Valid() {
		return nil, igny8.InvalidArgument(op, "intent", "%q is not a search intent", string(f.Intent))
	}
	if f.MinVolume < 0 || f.MaxVolume < 0 || (f.MaxVolume > 0 && f.MinVolume > f.MaxVolume) {
		return nil, igny8.InvalidArgument(op, "min_volume", "range %d–%d is empty or negative", f.MinVolume, f.MaxVolume)
	}
	return p.store.ListKeywords(ctx, scope, f, page)
}

// KeywordUpdate changes a keyword's fields; nil fields stay.
type KeywordUpdate struct {
	Text       *string
	Volume     *int64
	Difficulty *int
	CPC        *float64
	Intent     *Intent
	Status     *Status
}

// UpdateKeyword changes a keyword. A new text is normalized again; if the
// site and sector already have it, the answer is Conflict.
func (p *Planner) UpdateKeyword(ctx context.Context, scope igny8.Scope, id string, u KeywordUpdate) (Keyword, error) {
	const op = "planning.Planner.UpdateKeyword"
	if err := scope.Validate(op); err != nil {
		return Keyword{}, err
	}
	var out Keyword
	err := p.store.InTx(ctx, func(ctx context.Context) error {
		k, err := p.store.GetKeyword(ctx, scope, id)
		if err != nil {
			return err
		}
		in := KeywordInput{Text: k.Text, Volume: k.Volume, Difficulty: k.Difficulty, CPC: k.CPC, Intent: k.Intent, Source: k.Source}
		if u.Text != nil {
			in.Text = *u.Text
		}
		if u.Volume != nil {
			in.Volume = *u.Volume
		}
		if u.Difficulty != nil {
			in.Difficulty = *u.Difficulty
		}
		if u.CPC != nil {
			in.CPC = *u.CPC
		}
		if u.Intent != nil {
			in.Intent = *u.Intent
		}
		norm, err := in.Validate(op)
		if err != nil {
			return err
		}
		if u.Status != nil {
			if *u.Status != StatusActive && *u.Status != StatusArchived {
				return igny8.InvalidArgument(op, "status", "%q is not active or archived", string(*u.Status))
			}
			k.Status = *u.Status
		}
		k.Text, k.Normalized, k.Volume, k.Difficulty, k.CPC, k.Intent = in.Text, norm, in.Volume, in.Difficulty, in.CPC, in.Intent
		k.UpdatedAt = p.now()
		if err := p.store.UpdateKeyword(ctx, scope, k); err != nil {
			return err
		}
		out = k
		if k.ClusterID != "" {
			return p.refreshClusters(ctx, scope, []string{k.ClusterID})
		}
		return nil
	})
	if err != nil {
		return Keyword{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return out, nil
}

// ArchiveKeyword archives a keyword: it leaves lists and clustering but
// keeps its slot in max_keywords (delete it to free the slot).
func (p *Planner) ArchiveKeyword(ctx context.Context, scope igny8.Scope, id string) (Keyword, error) {
	st := StatusArchived
	return p.UpdateKeyword(ctx, scope, id, KeywordUpdate{Status: &st})
}

// DeleteKeyword deletes a keyword, frees its max_keywords slot and
// refreshes its cluster's figures.
func (p *Planner) DeleteKeyword(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "planning.Planner.DeleteKeyword"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return igny8.Wrap(igny8.CodeInternal, op, p.store.InTx(ctx, func(ctx context.Context) error {
		k, err := p.store.GetKeyword(ctx, scope, id)
		if err != nil {
			return err
		}
		if err := p.store.DeleteKeyword(ctx, scope, id); err != nil {
			return err
		}
		if err := p.limits.Release(ctx, igny8.Reservation{Key: igny8.UsageKey{AccountID: scope.AccountID, Limit: igny8.LimitMaxKeywords}, N: 1}); err != nil {
			return err
		}
		if k.ClusterID != "" {
			return p.refreshClusters(ctx, k.Scope(), []string{k.ClusterID})
		}
		return nil
	}))
}

// allKeywords loads every keyword of the scope matching f.
func (p *Planner) allKeywords(ctx context.Context, scope igny8.Scope, f KeywordFilter) ([]Keyword, error) {
	var out []Keyword
	after := ""
	for {
		page, err := p.store.ListKeywords(ctx, scope, f, igny8.PageRequest{Limit: igny8.MaxPageLimit, After: after})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < igny8.MaxPageLimit {
			return out, nil
		}
		after = page[len(page)-1].ID
	}
}

// refreshClusters recomputes the figures of clusters from their active
// members.
func (p *Planner) refreshClusters(ctx context.Context, scope igny8.Scope, ids []string) error {
	for _, id := range ids {
		c, err := p.store.GetCluster(ctx, scope, id)
		if err != nil {
			return err
		}
		members, err := p.allKeywords(ctx, c.Scope(), KeywordFilter{ClusterID: id})
		if err != nil {
			return err
		}
		c.Summarize(members)
		c.UpdatedAt = p.now()
		if err := p.store.UpdateCluster(ctx, c.Scope(), c); err != nil {
			return err
		}
	}
	return nil
}
