package automation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/publishing"
)

// Linker links one content into its site (inserting internal links as a
// new version) and says how many links it added. The linking package's
// service, or a host's, fills it.
type Linker interface {
	LinkContent(ctx context.Context, scope igny8.Scope, contentID string) (int, error)
}

// Optimizer optimizes one content and says whether the rewrite was kept.
type Optimizer interface {
	OptimizeContent(ctx context.Context, scope igny8.Scope, contentID string) (bool, error)
}

// Pipeline holds the domain services the built-in actions drive. Any nil
// service leaves its actions out of Actions.
type Pipeline struct {
	Kernel      igny8.Store
	Credits     *igny8.Credits
	Planner     *planning.Planner
	Writer      *content.Writer
	Library     *content.Library
	Illustrator *content.Illustrator
	Images      content.Store
	Linker      Linker
	Optimizer   Optimizer
	Publisher   *publishing.Service
	// Destinations names the destination ids to publish to, per site; nil
	// means every active destination of the site.
	Destinations func(ctx context.Context, scope igny8.Scope) ([]string, error)
}

// Actions binds the built-in action types to the pipeline's services.
// Each action works on the triggering event's subject where it has one (a
// cluster, an idea, a content) and on the whole scope otherwise, and
// reports the credits its account spent meanwhile.
func (p Pipeline) Actions() Actions {
	a := Actions{}
	if p.Planner != nil {
		a[ActionAutoCluster] = p.metered(p.autoCluster)
		a[ActionGenerateIdeas] = p.metered(p.generateIdeas)
		if p.Writer != nil {
			a[ActionCreateTasks] = p.metered(p.createTasks)
		}
	}
	if p.Writer != nil {
		a[ActionGenerateContent] = p.metered(p.generateContent)
	}
	if p.Illustrator != nil {
		a[ActionGenerateImages] = p.metered(p.generateImages)
	}
	if p.Linker != nil {
		a[ActionLinkContent] = p.metered(func(ctx context.Context, ac ActionContext) (map[string]any, error) {
			id, err := subject(ac, "link_content")
			if err != nil {
				return nil, err
			}
			n, err := p.Linker.LinkContent(ctx, ac.Scope, id)
			return map[string]any{"content_id": id, "links": n}, err
		})
	}
	if p.Optimizer != nil {
		a[ActionOptimizeContent] = p.metered(func(ctx context.Context, ac ActionContext) (map[string]any, error) {
			id, err := subject(ac, "optimize_content")
			if err != nil {
				return nil, err
			}
			kept, err := p.Optimizer.OptimizeContent(ctx, ac.Scope, id)
			return map[string]any{"content_id": id, "kept": kept}, err
		})
	}
	if p.Publisher != nil && p.Library != nil {
		a[ActionPublish] = p.metered(p.publish)
	}
	return a
}

// metered wraps an action and reports the credits the account spent while
// it ran (concurrent work of the same account counts too: an upper bound).
func (p Pipeline) metered(f func(ctx context.Context, ac ActionContext) (map[string]any, error)) ActionFunc {
	return func(ctx context.Context, ac ActionContext) (ActionOutput, error) {
		before, berr := p.balance(ctx, ac.Scope)
		out, err := f(ctx, ac)
		res := ActionOutput{Output: out}
		if after, aerr := p.balance(ctx, ac.Scope); berr == nil && aerr == nil && before > after {
			res.Credits = before - after
		}
		return res, err
	}
}

func (p Pipeline) balance(ctx context.Context, scope igny8.Scope) (int64, error) {
	if p.Credits == nil {
		return 0, igny8.InvalidArgument("automation.Pipeline", "credits", "is not set")
	}
	return p.Credits.Balance(ctx, scope)
}

func subject(ac ActionContext, action string) (string, error) {
	if ac.Event == nil || ac.Event.Subject == "" {
		if id, ok := ac.Action.Params["id"].(string); ok && id != "" {
			return id, nil
		}
		return "", igny8.InvalidArgument("automation."+action, "event.subject", "the %s action needs an event with a subject (or params.id)", action)
	}
	return ac.Event.Subject, nil
}

func intParam(ac ActionContext, name string, def int) int {
	switch v := ac.Action.Params[name].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return def
}

func (p Pipeline) autoCluster(ctx context.Context, ac ActionContext) (map[string]any, error) {
	rep, err := p.Planner.Cluster(ctx, ac.Scope, nil)
	if err != nil {
		return nil, err
	}
	joined := 0
	for _, n := range rep.Joined {
		joined += n
	}
	return map[string]any{"created": len(rep.Created), "joined": joined, "stray": len(rep.Stray)}, nil
}

func (p Pipeline) generateIdeas(ctx context.Context, ac ActionContext) (map[string]any, error) {
	id, err := subject(ac, "generate_ideas")
	if err != nil {
		return nil, err
	}
	ideas, err := p.Planner.ProposeIdeas(ctx, ac.Scope, id, planning.IdeaOptions{
		Count: intParam(ac, "count", 3), IdempotencyKey: "automation:" + ac.RunID + ":ideas",
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"cluster_id": id, "ideas": len(ideas)}, nil
}

func (p Pipeline) createTasks(ctx context.Context, ac ActionContext) (map[string]any, error) {
	id, err := subject(ac, "create_tasks")
	if err != nil {
		return nil, err
	}
	idea, err := p.Planner.GetIdea(ctx, ac.Scope, id)
	if err != nil {
		return nil, err
	}
	tasks, err := p.Writer.CreateTasks(ctx, idea.Scope(), []content.NewTask{TaskFromIdea(idea)})
	if err != nil {
		return nil, err
	}
	return map[string]any{"idea_id": id, "task_id": tasks[0].ID, "batch_id": tasks[0].BatchID}, nil
}

func (p Pipeline) generateContent(ctx context.Context, ac ActionContext) (map[string]any, error) {
	max := intParam(ac, "max", 10)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := 0
	res, err := p.Writer.RunBatch(ctx, ac.Scope.Site(), "", content.BatchOptions{Concurrency: intParam(ac, "concurrency", 4), Progress: func(pr content.Progress) {
		done = pr.Completed + pr.Failed
		if done >= max {
			cancel() // the rest stays queued for the next run
		}
	}})
	if err != nil && ctx.Err() == nil {
		return nil, err
	}
	return map[string]any{"completed": res.Completed, "failed": res.Failed}, nil
}

func (p Pipeline) generateImages(ctx context.Context, ac ActionContext) (map[string]any, error) {
	id, err := subject(ac, "generate_images")
	if err != nil {
		return nil, err
	}
	res, err := p.Illustrator.Illustrate(ctx, ac.Scope, id)
	return map[string]any{"content_id": id, "generated": res.Generated, "failed": res.Failed}, err
}

func (p Pipeline) publish(ctx context.Context, ac ActionContext) (map[string]any, error) {
	id, err := subject(ac, "publish")
	if err != nil {
		return nil, err
	}
	c, err := p.Library.Get(ctx, ac.Scope, id)
	if err != nil {
		return nil, err
	}
	var imgs []content.Image
	if p.Images != nil {
		if imgs, err = p.Images.ListImages(ctx, c.Scope, c.ID); err != nil {
			return nil, err
		}
	}
	var dests []string
	if p.Destinations != nil {
		if dests, err = p.Destinations(ctx, c.Scope.Site()); err != nil {
			return nil, err
		}
	} else {
		ds, err := p.Publisher.Destinations(ctx, c.Scope.Site(), igny8.PageRequest{Limit: igny8.MaxPageLimit})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.Active {
				dests = append(dests, d.ID)
			}
		}
	}
	var placed []content.Placement
	urls := []string{}
	for _, d := range dests {
		rec, err := p.publishOne(ctx, c, d, PublishItem(c, imgs, nil))
		if err != nil {
			return map[string]any{"content_id": id, "published": len(placed)}, fmt.Errorf("destination %s: %w", d, err)
		}
		placed = append(placed, content.Placement{Destination: d, ExternalID: rec.RemoteID, URL: rec.URL, Version: rec.PublishedVersion, PublishedAt: time.Now().UTC()})
		urls = append(urls, rec.URL)
	}
	if len(placed) > 0 {
		if err := p.Library.SetStatus(ctx, c.Scope, c.ID, content.StatusPublished, placed); err != nil {
			return nil, err
		}
	}
	return map[string]any{"content_id": id, "published": len(placed), "urls": urls}, nil
}

// publishOne publishes, waiting for a publish of the same content to the
// same destination that is already under way (Conflict) to finish first:
// two events about one content (linked twice, say) publish in turn.
func (p Pipeline) publishOne(ctx context.Context, c content.Content, dest string, it publishing.Item) (publishing.Record, error) {
	delay := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		rec, err := p.Publisher.Publish(ctx, c.Scope.Site(), dest, it)
		if igny8.CodeOf(err) != igny8.CodeConflict || attempt == 8 {
			return rec, err
		}
		select {
		case <-ctx.Done():
			return rec, err
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// TaskFromIdea turns a planning idea into a writing task: its outline's
// H2s become sections and its H3s their subheadings.
func TaskFromIdea(i planning.ContentIdea) content.NewTask {
	t := content.NewTask{
		Title: i.Title, Brief: i.Description, PrimaryKeyword: i.PrimaryKeyword, Keywords: i.SecondaryKeywords,
		Type: content.Type(i.ContentType), TargetWords: i.EstimatedWords, IdeaID: i.ID, ClusterID: i.ClusterID,
	}
	for _, h := range i.Outline {
		if h.Level == 3 && len(t.Outline) > 0 {
			last := &t.Outline[len(t.Outline)-1]
			last.Subheadings = append(last.Subheadings, h.Text)
			continue
		}
		t.Outline = append(t.Outline, content.Section{Heading: h.Text})
	}
	if !t.Type.Valid() {
		t.Type = content.TypePost
	}
	return t
}

// PublishItem is what a destination gets of a content: its current
// version with its generated images (the featured one, and the in-article
// ones its HTML shows).
func PublishItem(c content.Content, imgs []content.Image, categories []string) publishing.Item {
	it := publishing.Item{
		Scope: c.Scope.Site(), ContentID: c.ID, Version: c.Version, Type: string(c.Type),
		Title: c.Title, Slug: c.Slug, HTML: c.HTML, Excerpt: c.Excerpt,
		MetaTitle: c.MetaTitle, MetaDescription: c.MetaDescription,
		Categories: categories, Tags: c.SecondaryKeywords, Status: publishing.StatusPublish,
	}
	for _, m := range imgs {
		if m.Status != content.ImageGenerated {
			continue
		}
		img := publishing.Image{Key: m.StorageKey, Alt: m.Alt}
		if m.Kind == content.ImageFeatured {
			it.FeaturedImage = &img
		} else if strings.Contains(c.HTML, `src="`+m.StorageKey+`"`) {
			it.Images = append(it.Images, img)
		}
	}
	return it
}
