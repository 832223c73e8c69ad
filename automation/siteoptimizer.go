package automation

import (
	"context"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/rewrite"
)

// ContentOptimizer is the pipeline's Optimizer over rewrite.Optimizer: it
// optimizes a content for its primary keyword. An accepted rewrite is a
// new version and announces content_optimized itself; when the rewrite is
// kept out, the step still ends with content_optimized (accepted: false,
// with the reason) so that the workflows after it go on with the content
// as it was.
type ContentOptimizer struct {
	opt      *rewrite.Optimizer
	contents content.Store
	events   *igny8.Events
}

// NewContentOptimizer returns a ContentOptimizer.
func NewContentOptimizer(opt *rewrite.Optimizer, contents content.Store, events *igny8.Events) *ContentOptimizer {
	return &ContentOptimizer{opt: opt, contents: contents, events: events}
}

var _ Optimizer = (*ContentOptimizer)(nil)

// OptimizeContent optimizes one content and reports whether the rewrite
// was kept.
func (o *ContentOptimizer) OptimizeContent(ctx context.Context, scope igny8.Scope, contentID string) (bool, error) {
	c, err := o.contents.GetContent(ctx, scope, contentID)
	if err != nil {
		return false, err
	}
	t, err := o.opt.Optimize(ctx, c.Scope, rewrite.OptimizeRequest{ContentID: c.ID})
	if err != nil {
		return false, err
	}
	if t.Status == rewrite.TaskAccepted {
		return true, nil
	}
	_, err = o.events.Emit(ctx, c.Scope, igny8.EventContentOptimized, c.ID, map[string]any{
		"task_id": t.ID, "content_id": c.ID, "accepted": false, "reason": t.Reason, "version": c.Version,
		"seo_before": t.SEOBefore, "seo_after": t.SEOAfter,
	})
	return false, err
}
