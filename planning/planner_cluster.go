package planning

import (
	"context"

	"github.com/igny8/sdk/igny8"
)

// ClusterReport says what Cluster did.
type ClusterReport struct {
	// Created are the new clusters, in the clusterer's order.
	Created []Cluster `json:"created"`
	// Joined counts, per existing cluster ID, the keywords that joined it.
	Joined map[string]int `json:"joined,omitempty"`
	// Stray are the IDs of keywords that joined nothing.
	Stray []string `json:"stray,omitempty"`
}

// ClusterCreatedPayload is the payload of a cluster_created event.
type ClusterCreatedPayload struct {
	Name          string `json:"name"`
	PillarKeyword string `json:"pillar_keyword"`
	KeywordCount  int    `json:"keyword_count"`
	TotalVolume   int64  `json:"total_volume"`
}

// Cluster places the scope's unclustered active keywords (of its site and
// exactly its sector) with c, or the Planner's default clusterer when c is
// nil. Clustered keywords stay where they are; new keywords join their
// clusters or form new ones. New clusters are created within max_clusters
// (all of them, or none with LimitExceeded saying how many would fit), with
// one cluster_created event each, in the same transaction as the
// assignment.
func (p *Planner) Cluster(ctx context.Context, scope igny8.Scope, c Clusterer) (ClusterReport, error) {
	const op = "planning.Planner.Cluster"
	if err := scope.RequireSite(op); err != nil {
		return ClusterReport{}, err
	}
	if c == nil {
		c = p.cluster
	}
	all, err := p.allKeywords(ctx, scope, KeywordFilter{})
	if err != nil {
		return ClusterReport{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	var req ClusterRequest
	for _, k := range all {
		if k.SectorID != scope.SectorID {
			continue
		}
		if k.ClusterID == "" {
			req.Keywords = append(req.Keywords, k)
		} else {
			req.Existing = append(req.Existing, k)
		}
	}
	rep := ClusterReport{Created: []Cluster{}, Joined: map[string]int{}}
	if len(req.Keywords) == 0 {
		return rep, nil
	}
	res, err := c.Cluster(ctx, req)
	if err != nil {
		return ClusterReport{}, err
	}
	byID := make(map[string]Keyword, len(req.Keywords)+len(req.Existing))
	for _, k := range req.Keywords {
		byID[k.ID] = k
	}
	members := map[string][]Keyword{}
	for _, k := range req.Existing {
		members[k.ClusterID] = append(members[k.ClusterID], k)
	}
	now := p.now()
	type assignment struct {
		cluster string
		ids     []string
	}
	var assign []assignment
	var touched []string
	for _, g := range res.Groups {
		if len(g.KeywordIDs) == 0 {
			continue
		}
		ms := make([]Keyword, 0, len(g.KeywordIDs))
		for _, id := range g.KeywordIDs {
			k, ok := byID[id]
			if !ok {
				return ClusterReport{}, igny8.Errorf(igny8.CodeInternal, op, "clusterer returned keyword %q that was not asked for", id)
			}
			ms = append(ms, k)
		}
		if g.ClusterID != "" {
			if _, ok := members[g.ClusterID]; !ok {
				return ClusterReport{}, igny8.Errorf(igny8.CodeInternal, op, "clusterer joined unknown cluster %q", g.ClusterID)
			}
			assign = append(assign, assignment{cluster: g.ClusterID, ids: g.KeywordIDs})
			touched = append(touched, g.ClusterID)
			rep.Joined[g.ClusterID] += len(g.KeywordIDs)
			continue
		}
		cl := Cluster{
			ID: p.ids.NewID(), AccountID: scope.AccountID, SiteID: scope.SiteID, SectorID: scope.SectorID,
			Intent: g.Intent, Status: StatusActive, CreatedAt: now, UpdatedAt: now,
		}
		cl.Summarize(ms)
		cl.Name, cl.Description = g.Name, g.Description
		if cl.Name == "" {
			cl.Name = cl.PillarKeyword
		}
		if cl.Intent == IntentUnknown {
			cl.Intent = majorityIntent(ms)
		}
		rep.Created = append(rep.Created, cl)
		assign = append(assign, assignment{cluster: cl.ID, ids: g.KeywordIDs})
	}
	rep.Stray = res.Stray
	err = p.store.InTx(ctx, func(ctx context.Context) error {
		if len(rep.Created) > 0 {
			if _, err := p.limits.Reserve(ctx, scope, igny8.LimitMaxClusters, int64(len(rep.Created))); err != nil {
				return limitRefused(op, "new clusters", len(rep.Created), err)
			}
			if err := p.store.CreateClusters(ctx, scope, rep.Created); err != nil {
				return err
			}
		}
		moves := make(map[string]string, len(req.Keywords))
		for _, a := range assign {
			for _, id := range a.ids {
				moves[id] = a.cluster
			}
		}
		if err := p.store.SetKeywordClusters(ctx, scope, moves, now); err != nil {
			return err
		}
		if err := p.refreshClusters(ctx, scope, touched); err != nil {
			return err
		}
		evs := make([]igny8.Event, 0, len(rep.Created))
		for _, cl := range rep.Created {
			ev, err := p.events.New(scope, igny8.EventClusterCreated, cl.ID, ClusterCreatedPayload{
				Name: cl.Name, PillarKeyword: cl.PillarKeyword, KeywordCount: cl.KeywordCount, TotalVolume: cl.TotalVolume,
			})
			if err != nil {
				return err
			}
			evs = append(evs, ev)
		}
		return p.appendEvents(ctx, evs)
	})
	if err != nil {
		return ClusterReport{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	p.log.InfoContext(ctx, "planning: clustered", "scope", scope.String(), "created", len(rep.Created),
		"joined", len(rep.Joined), "stray", len(rep.Stray))
	return rep, nil
}

// majorityIntent is the most common known intent of the members (ties to
// the first in the order informational, navigational, commercial,
// transactional), or unknown.
func majorityIntent(ms []Keyword) Intent {
	counts := map[Intent]int{}
	for _, k := range ms {
		if k.Intent != IntentUnknown {
			counts[k.Intent]++
		}
	}
	best, n := IntentUnknown, 0
	for _, i := range []Intent{IntentInformational, IntentNavigational, IntentCommercial, IntentTransactional} {
		if counts[i] > n {
			best, n = i, counts[i]
		}
	}
	return best
}

// GetCluster returns a cluster of the scope.
func (p *Planner) GetCluster(ctx context.Context, scope igny8.Scope, id string) (Cluster, error) {
	return p.store.GetCluster(ctx, scope, id)
}

// ListClusters lists the scope's clusters, a page at a time.
func (p *Planner) ListClusters(ctx context.Context, scope igny8.Scope, f ClusterFilter, page igny8.PageRequest) ([]Cluster, error) {
	return p.store.ListClusters(ctx, scope, f, page)
}

// DeleteCluster deletes a cluster (its keywords become unclustered) and
// frees its max_clusters slot.
func (p *Planner) DeleteCluster(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "planning.Planner.DeleteCluster"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return igny8.Wrap(igny8.CodeInternal, op, p.store.InTx(ctx, func(ctx context.Context) error {
		if err := p.store.DeleteCluster(ctx, scope, id); err != nil {
			return err
		}
		return p.limits.Release(ctx, igny8.Reservation{Key: igny8.UsageKey{AccountID: scope.AccountID, Limit: igny8.LimitMaxClusters}, N: 1})
	}))
}

// eventBatch bounds the events of one AppendEvents call.
const eventBatch = 1000

// appendEvents writes events in the caller's transaction, in batches,
// through the planner's Events (so a store that wraps event writing, such
// as riverjobs.Outbox, sees them).
func (p *Planner) appendEvents(ctx context.Context, evs []igny8.Event) error {
	for start := 0; start < len(evs); start += eventBatch {
		if _, err := p.events.Append(ctx, evs[start:min(start+eventBatch, len(evs))]...); err != nil {
			return err
		}
	}
	return nil
}
