package planning

import (
	"context"
	"slices"
	"strings"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// IdeaOptions tune ProposeIdeas.
type IdeaOptions struct {
	// Count is how many ideas to ask for (1–20, default 3).
	Count int
	// ContentTypes limits the ideas' types; empty means any.
	ContentTypes []ContentType
	// Site and Sector name them for the prompt (optional context).
	Site, Sector string
	Language     string
	// IdempotencyKey keys the AI run's credit debit (see ai.RunOptions).
	IdempotencyKey string
}

// maxIdeaKeywords bounds the cluster keywords sent with the prompt: the
// highest-volume ones carry the topic.
const maxIdeaKeywords = 50

// IdeaCreatedPayload is the payload of an idea_created event.
type IdeaCreatedPayload struct {
	ClusterID      string   `json:"cluster_id"`
	Title          string   `json:"title"`
	PrimaryKeyword string   `json:"primary_keyword"`
	Cannibalizes   []string `json:"cannibalizes,omitempty"`
}

// ProposeIdeas asks the model (generate_ideas) for content ideas for a
// cluster and stores them within max_content_ideas, with one idea_created
// event each. Before the model is called, the limit is checked for the
// whole count, so that no credits are spent on ideas that could not be
// kept; the reservation itself is made with the write.
//
// Every idea gets a cannibalization check: if its primary keyword
// (normalized) is already the primary keyword of another idea of the site
// (of this batch too) or, through the TargetSource, of content of the site,
// Cannibalizes names them ("idea:ID", "content:ID"). Flagged ideas are
// kept, so that a person decides.
func (p *Planner) ProposeIdeas(ctx context.Context, scope igny8.Scope, clusterID string, opts IdeaOptions) ([]ContentIdea, error) {
	const op = "planning.Planner.ProposeIdeas"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	if p.runner == nil {
		return nil, igny8.InvalidArgument(op, "runner", "the Planner has no ai.Runner (PlannerOptions.Runner)")
	}
	if opts.Count == 0 {
		opts.Count = 3
	}
	if opts.Count < 1 || opts.Count > 20 {
		return nil, igny8.InvalidArgument(op, "count", "must be 1–20, got %d", opts.Count)
	}
	for _, t := range opts.ContentTypes {
		if !t.Valid() {
			return nil, igny8.InvalidArgument(op, "content_types", "%q is not post, page, product, service or taxonomy", string(t))
		}
	}
	cl, err := p.store.GetCluster(ctx, scope, clusterID)
	if err != nil {
		return nil, err
	}
	cscope := cl.Scope()
	members, err := p.allKeywords(ctx, cscope, KeywordFilter{ClusterID: cl.ID})
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if len(members) == 0 {
		return nil, igny8.InvalidArgument(op, "cluster_id", "cluster %q has no active keywords", cl.ID)
	}
	slices.SortFunc(members, func(a, b Keyword) int { return pillarCmp(&a, &b) })
	if len(members) > maxIdeaKeywords {
		members = members[:maxIdeaKeywords]
	}
	use, err := p.limits.Usage(ctx, cscope, igny8.LimitMaxContentIdeas)
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if use.Max >= 0 && use.Used+int64(opts.Count) > use.Max {
		return nil, limitRefused(op, "ideas", opts.Count, &igny8.LimitError{Op: op, Limit: igny8.LimitMaxContentIdeas, Max: use.Max, Used: use.Used, Requested: int64(opts.Count)})
	}

	in := ai.IdeasInput{Cluster: cl.Name, ClusterDescription: cl.Description, Count: opts.Count, Site: opts.Site, Sector: opts.Sector, Language: opts.Language}
	for _, k := range members {
		in.Keywords = append(in.Keywords, k.Text)
	}
	for _, t := range opts.ContentTypes {
		in.ContentTypes = append(in.ContentTypes, ai.ContentType(t))
	}
	res, err := p.lib.GenerateIdeas.Run(ctx, p.runner, cscope, in, &ai.RunOptions{IdempotencyKey: opts.IdempotencyKey})
	if err != nil {
		return nil, err
	}
	now := p.now()
	ideas := make([]ContentIdea, 0, len(res.Output.Ideas))
	for _, x := range res.Output.Ideas {
		idea := ContentIdea{
			ID: p.ids.NewID(), AccountID: cl.AccountID, SiteID: cl.SiteID, SectorID: cl.SectorID, ClusterID: cl.ID,
			Title: strings.TrimSpace(x.Title), Description: x.Description, ContentType: ContentType(x.ContentType),
			PrimaryKeyword: strings.TrimSpace(x.PrimaryKeyword), SecondaryKeywords: x.SecondaryKeywords,
			EstimatedWords: x.EstimatedWords, Status: StatusActive, CreatedAt: now, UpdatedAt: now,
		}
		for _, sec := range x.Outline {
			idea.Outline = append(idea.Outline, Heading{Level: 2, Text: sec.Heading})
			for _, sub := range sec.Subheadings {
				idea.Outline = append(idea.Outline, Heading{Level: 3, Text: sub})
			}
		}
		if err := idea.Validate(op); err != nil {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "model proposed an idea the planner cannot keep: %w", err)
		}
		ideas = append(ideas, idea)
	}
	err = p.store.InTx(ctx, func(ctx context.Context) error {
		if err := p.flagCannibalization(ctx, cscope, ideas); err != nil {
			return err
		}
		if _, err := p.limits.Reserve(ctx, cscope, igny8.LimitMaxContentIdeas, int64(len(ideas))); err != nil {
			return limitRefused(op, "ideas", len(ideas), err)
		}
		if err := p.store.CreateIdeas(ctx, cscope, ideas); err != nil {
			return err
		}
		for _, idea := range ideas {
			_, err := p.events.Emit(ctx, cscope, igny8.EventIdeaCreated, idea.ID, IdeaCreatedPayload{
				ClusterID: idea.ClusterID, Title: idea.Title, PrimaryKeyword: idea.PrimaryKeyword, Cannibalizes: idea.Cannibalizes,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return ideas, nil
}

// flagCannibalization fills Cannibalizes of each idea from the site's
// other ideas, earlier ideas of the same batch and the TargetSource.
func (p *Planner) flagCannibalization(ctx context.Context, scope igny8.Scope, ideas []ContentIdea) error {
	texts := make([]string, 0, len(ideas))
	for _, i := range ideas {
		texts = append(texts, Normalize(i.PrimaryKeyword))
	}
	existing, err := p.store.IdeasByPrimaryKeyword(ctx, scope.Site(), texts)
	if err != nil {
		return err
	}
	targets := map[string][]string{}
	for _, e := range existing {
		n := Normalize(e.PrimaryKeyword)
		targets[n] = append(targets[n], "idea:"+e.ID)
	}
	if p.targets != nil {
		content, err := p.targets.ContentTargeting(ctx, scope.Site(), texts)
		if err != nil {
			return err
		}
		for n, ids := range content {
			for _, id := range ids {
				targets[n] = append(targets[n], "content:"+id)
			}
		}
	}
	for i := range ideas {
		n := texts[i]
		ideas[i].Cannibalizes = slices.Clone(targets[n])
		targets[n] = append(targets[n], "idea:"+ideas[i].ID)
	}
	return nil
}

// CheckCannibalization reports what already targets a keyword in the
// scope's site: ideas ("idea:ID") and, with a TargetSource, content
// ("content:ID").
func (p *Planner) CheckCannibalization(ctx context.Context, scope igny8.Scope, keyword string) ([]string, error) {
	const op = "planning.Planner.CheckCannibalization"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	n := Normalize(keyword)
	if n == "" {
		return nil, igny8.InvalidArgument(op, "keyword", "%q has no letters or digits", keyword)
	}
	probe := []ContentIdea{{ID: "probe", PrimaryKeyword: keyword}}
	if err := p.flagCannibalization(ctx, scope, probe); err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if probe[0].Cannibalizes == nil {
		return []string{}, nil
	}
	return probe[0].Cannibalizes, nil
}

// GetIdea returns an idea of the scope.
func (p *Planner) GetIdea(ctx context.Context, scope igny8.Scope, id string) (ContentIdea, error) {
	return p.store.GetIdea(ctx, scope, id)
}

// ListIdeas lists the scope's ideas, a page at a time.
func (p *Planner) ListIdeas(ctx context.Context, scope igny8.Scope, f IdeaFilter, page igny8.PageRequest) ([]ContentIdea, error) {
	return p.store.ListIdeas(ctx, scope, f, page)
}

// ArchiveIdea archives an idea (it keeps its max_content_ideas slot).
func (p *Planner) ArchiveIdea(ctx context.Context, scope igny8.Scope, id string) (ContentIdea, error) {
	const op = "planning.Planner.ArchiveIdea"
	var out ContentIdea
	err := p.store.InTx(ctx, func(ctx context.Context) error {
		i, err := p.store.GetIdea(ctx, scope, id)
		if err != nil {
			return err
		}
		i.Status, i.UpdatedAt = StatusArchived, p.now()
		out = i
		return p.store.UpdateIdea(ctx, scope, i)
	})
	return out, igny8.Wrap(igny8.CodeInternal, op, err)
}

// DeleteIdea deletes an idea and frees its max_content_ideas slot.
func (p *Planner) DeleteIdea(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "planning.Planner.DeleteIdea"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return igny8.Wrap(igny8.CodeInternal, op, p.store.InTx(ctx, func(ctx context.Context) error {
		if err := p.store.DeleteIdea(ctx, scope, id); err != nil {
			return err
		}
		return p.limits.Release(ctx, igny8.Reservation{Key: igny8.UsageKey{AccountID: scope.AccountID, Limit: igny8.LimitMaxContentIdeas}, N: 1})
	}))
}
