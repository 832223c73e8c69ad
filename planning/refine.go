package planning

import (
	"context"
	"slices"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// AIRefinerOptions tune the AI refiner; the zero value uses the defaults.
type AIRefinerOptions struct {
	// BatchKeywords bounds the keywords of one model call (default 200),
	// so that a batch fits the model's context. Groups are packed whole
	// into batches; a larger group is sent alone with its highest-volume
	// BatchKeywords keywords, the rest staying in their group.
	BatchKeywords int
	// Sector and Language give the model context.
	Sector, Language string
	// MixIntents lets the model's clusters mix intent modifiers; by
	// default a model cluster that mixes them is split by intent.
	MixIntents bool
	// RunOptions are passed to every model run (nil: defaults).
	RunOptions *ai.RunOptions
}

// AIRefiner refines another strategy's clusters with the model
// (auto_cluster): the model names each cluster, writes its description,
// and may merge or split the groups it sees in one batch. Keywords the
// model leaves out stay in their original group, named after its pillar.
// Intent comes from the keywords' modifiers and imported intents (the
// model's answer has no intent field), and the intent guard holds after
// the model: a model cluster mixing intents is split by intent unless
// MixIntents is set. Groups that join existing clusters pass through
// unchanged.
//
// The model runs for scope (credits, daily AI request limit), so an
// AIRefiner is made per site: planner.Cluster(ctx, scope,
// planning.NewAIRefiner(nil, runner, nil, scope, opts)).
type AIRefiner struct {
	base   Clusterer
	runner *ai.Runner
	lib    *ai.Library
	scope  igny8.Scope
	opts   AIRefinerOptions
}

var _ Clusterer = (*AIRefiner)(nil)

// NewAIRefiner returns a refiner of base (nil: lexical with defaults)
// running the model through runner for scope. A nil lib means
// ai.NewLibrary().
func NewAIRefiner(base Clusterer, runner *ai.Runner, lib *ai.Library, scope igny8.Scope, opts AIRefinerOptions) *AIRefiner {
	if base == nil {
		base = NewLexical(LexicalOptions{MixIntents: opts.MixIntents})
	}
	if lib == nil {
		lib = ai.NewLibrary()
	}
	if opts.BatchKeywords <= 1 {
		opts.BatchKeywords = 200
	}
	return &AIRefiner{base: base, runner: runner, lib: lib, scope: scope, opts: opts}
}

// Cluster clusters with the base strategy, then refines the new groups.
func (r *AIRefiner) Cluster(ctx context.Context, req ClusterRequest) (ClusterResult, error) {
	const op = "planning.AIRefiner.Cluster"
	if r.runner == nil {
		return ClusterResult{}, igny8.InvalidArgument(op, "runner", "is required")
	}
	if err := r.scope.RequireSite(op); err != nil {
		return ClusterResult{}, err
	}
	base, err := r.base.Cluster(ctx, req)
	if err != nil {
		return ClusterResult{}, err
	}
	kws := slices.Clone(req.Keywords) // normalized below without touching the caller's slice
	byID := make(map[string]*Keyword, len(kws))
	for i := range kws {
		k := &kws[i]
		if k.Normalized == "" {
			k.Normalized = Normalize(k.Text)
		}
		byID[k.ID] = k
	}
	a := newAnalyzer()
	maskOfKw := func(k *Keyword) intentMask {
		_, m := a.analyze(k.Normalized, nil)
		if m == 0 {
			m = maskOf(k.Intent)
		}
		return m
	}
	out := ClusterResult{Stray: base.Stray}
	var fresh [][]Group
	var batch []Group
	size := 0
	for _, g := range base.Groups {
		if g.ClusterID != "" {
			out.Groups = append(out.Groups, g)
			continue
		}
		if size > 0 && size+len(g.KeywordIDs) > r.opts.BatchKeywords {
			fresh = append(fresh, batch)
			batch, size = nil, 0
		}
		batch = append(batch, g)
		size += len(g.KeywordIDs)
	}
	if len(batch) > 0 {
		fresh = append(fresh, batch)
	}
	for _, b := range fresh {
		groups, err := r.refine(ctx, op, b, byID, maskOfKw)
		if err != nil {
			return ClusterResult{}, err
		}
		out.Groups = append(out.Groups, groups...)
	}
	return out, nil
}

// refine sends one batch of groups to the model and returns the refined
// groups.
func (r *AIRefiner) refine(ctx context.Context, op string, batch []Group, byID map[string]*Keyword, maskOfKw func(*Keyword) intentMask) ([]Group, error) {
	var sent []*Keyword
	for _, g := range batch {
		ids := g.KeywordIDs
		if len(ids) > r.opts.BatchKeywords {
			ids = ids[:r.opts.BatchKeywords] // members come pillar first
		}
		for _, id := range ids {
			sent = append(sent, byID[id])
		}
	}
	if len(sent) < 2 {
		return batch, nil
	}
	in := ai.ClusterKeywordsInput{Sector: r.opts.Sector, Language: r.opts.Language}
	byText := make(map[string]*Keyword, len(sent))
	for _, k := range sent {
		in.Keywords = append(in.Keywords, ai.KeywordInput{Text: k.Text, Volume: int(min(k.Volume, 1<<31-1)), Difficulty: max(k.Difficulty, 0), Intent: string(k.Intent)})
		byText[Normalize(k.Text)] = k
	}
	res, err := r.lib.AutoCluster.Run(ctx, r.runner, r.scope, in, r.opts.RunOptions)
	if err != nil {
		return nil, err
	}
	placed := map[string]bool{}
	where := map[string]int{} // placed keyword id -> index in out
	var out []Group
	for _, c := range res.Output.Clusters {
		var members []*Keyword
		for _, text := range c.Keywords {
			k, ok := byText[Normalize(text)]
			if !ok || placed[k.ID] {
				continue
			}
			placed[k.ID] = true
			members = append(members, k)
		}
		for _, part := range r.splitByIntent(members, maskOfKw) {
			for _, k := range part {
				where[k.ID] = len(out)
			}
			g := groupOf(part, maskOfKw)
			g.Name, g.Description = c.Name, c.Description
			out = append(out, g)
		}
	}
	// What the model did not place stays with its base group: with the
	// model cluster that took the group's pillar (the keywords of a group
	// too large to send), else as a group of its own.
	rest := make([][]*Keyword, len(batch))
	for gi, g := range batch {
		for _, id := range g.KeywordIDs {
			if !placed[id] {
				rest[gi] = append(rest[gi], byID[id])
			}
		}
	}
	for gi, ms := range rest {
		if len(ms) == 0 {
			continue
		}
		if j, ok := where[batch[gi].KeywordIDs[0]]; ok && len(batch[gi].KeywordIDs) > r.opts.BatchKeywords {
			ids := out[j].KeywordIDs
			for _, k := range ms {
				ids = append(ids, k.ID)
			}
			members := make([]*Keyword, len(ids))
			for i, id := range ids {
				members[i] = byID[id]
			}
			g := groupOf(members, maskOfKw)
			g.Name, g.Description = out[j].Name, out[j].Description
			out[j] = g
			continue
		}
		out = append(out, groupOf(ms, maskOfKw))
	}
	return out, nil
}

// splitByIntent partitions members by their intent; members without one
// join the partition of the highest-volume member.
func (r *AIRefiner) splitByIntent(members []*Keyword, maskOfKw func(*Keyword) intentMask) [][]*Keyword {
	if r.opts.MixIntents || len(members) == 0 {
		return [][]*Keyword{members}
	}
	slices.SortFunc(members, pillarCmp)
	var order []intentMask
	parts := map[intentMask][]*Keyword{}
	var neutral []*Keyword
	for _, k := range members {
		m := maskOfKw(k)
		if m == 0 {
			neutral = append(neutral, k)
			continue
		}
		if _, ok := parts[m]; !ok {
			order = append(order, m)
		}
		parts[m] = append(parts[m], k)
	}
	if len(order) == 0 {
		return [][]*Keyword{neutral}
	}
	lead := maskOfKw(members[0])
	if lead == 0 {
		lead = order[0]
	}
	parts[lead] = append(parts[lead], neutral...)
	out := make([][]*Keyword, 0, len(order))
	for _, m := range order {
		out = append(out, parts[m])
	}
	return out
}

func groupOf(ms []*Keyword, maskOfKw func(*Keyword) intentMask) Group {
	slices.SortFunc(ms, pillarCmp)
	g := Group{KeywordIDs: make([]string, len(ms))}
	var m intentMask
	for i, k := range ms {
		g.KeywordIDs[i] = k.ID
		m |= maskOfKw(k)
	}
	g.Intent = m.intent()
	return g
}
