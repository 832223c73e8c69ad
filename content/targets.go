package content

import (
	"context"

	"github.com/igny8/sdk/igny8"
)

// Targeting answers which content of a site already targets keywords, for
// the planner's cannibalization check (it satisfies planning.TargetSource
// when given the planner's normalization, planning.Normalize).
type Targeting struct {
	store     Store
	normalize func(string) string
}

// NewTargeting returns a Targeting over store; normalize must be the same
// normalization the keywords were given in (planning.Normalize).
func NewTargeting(store Store, normalize func(string) string) *Targeting {
	return &Targeting{store: store, normalize: normalize}
}

// ContentTargeting maps each normalized keyword that some content of the
// scope's site has as its primary keyword to those contents' ids.
func (t *Targeting) ContentTargeting(ctx context.Context, scope igny8.Scope, normalized []string) (map[string][]string, error) {
	const op = "content.Targeting"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(normalized))
	for _, k := range normalized {
		want[k] = true
	}
	out := map[string][]string{}
	page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	for {
		cs, err := t.store.ListContent(ctx, scope.Site(), ContentFilter{}, page)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.PrimaryKeyword == "" {
				continue
			}
			if k := t.normalize(c.PrimaryKeyword); want[k] {
				out[k] = append(out[k], c.ID)
			}
		}
		if len(cs) < page.Limit {
			return out, nil
		}
		page.After = cs[len(cs)-1].ID
	}
}
