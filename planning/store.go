package planning

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// StatusAll, in a filter, lists active and archived rows alike.
const StatusAll Status = "all"

// KeywordFilter narrows ListKeywords. The zero value lists active keywords.
type KeywordFilter struct {
	// Status is StatusActive (also when empty), StatusArchived or StatusAll.
	Status Status
	// ClusterID keeps the keywords of one cluster.
	ClusterID string
	// Unclustered keeps keywords in no cluster.
	Unclustered bool
	Intent      Intent
	// MinVolume and MaxVolume bound the volume (0: no bound).
	MinVolume, MaxVolume int64
	// Contains keeps keywords whose normalized text contains
	// Normalize(Contains).
	Contains string
}

// ClusterFilter narrows ListClusters. The zero value lists active clusters.
type ClusterFilter struct {
	Status Status
}

// IdeaFilter narrows ListIdeas. The zero value lists active ideas.
type IdeaFilter struct {
	Status    Status
	ClusterID string
}

// Store is the persistence port of planning. adapters/sqlstore implements
// it; planningtest proves any implementation.
//
// Keywords, clusters and ideas live in a site, and in a sector of it when
// the scope names one. Every method keeps to its scope: a row outside it
// answers NotFound (or is not listed), and create methods take the tenant
// columns from the scope. Lists run in ID order (IDs are time-ordered),
// a page after page.After.
type Store interface {
	igny8.Transactor

	// CreateKeywords stores new keywords, all or none. A normalized text
	// that the (site, sector) already has, or that appears twice, is
	// Conflict.
	CreateKeywords(ctx context.Context, scope igny8.Scope, kws []Keyword) error
	GetKeyword(ctx context.Context, scope igny8.Scope, id string) (Keyword, error)
	ListKeywords(ctx context.Context, scope igny8.Scope, f KeywordFilter, page igny8.PageRequest) ([]Keyword, error)
	// KeywordsByNormalized returns the scope's keywords (any status) whose
	// normalized text is one of texts.
	KeywordsByNormalized(ctx context.Context, scope igny8.Scope, texts []string) ([]Keyword, error)
	// UpdateKeyword changes text, normalized text, volume, difficulty, CPC,
	// intent, status, cluster, source and updated_at.
	UpdateKeyword(ctx context.Context, scope igny8.Scope, k Keyword) error
	DeleteKeyword(ctx context.Context, scope igny8.Scope, id string) error
	// AssignKeywords puts keywords into a cluster ("" takes them out), all
	// or none: a keyword or cluster outside the scope is NotFound.
	AssignKeywords(ctx context.Context, scope igny8.Scope, clusterID string, ids []string, now time.Time) error
	// SetKeywordClusters moves every keyword of assign (keyword ID →
	// cluster ID, "" for none) into its cluster in bulk, all or none: a
	// keyword or cluster outside the scope is NotFound.
	SetKeywordClusters(ctx context.Context, scope igny8.Scope, assign map[string]string, now time.Time) error

	// CreateClusters stores new clusters, all or none.
	CreateClusters(ctx context.Context, scope igny8.Scope, cs []Cluster) error
	GetCluster(ctx context.Context, scope igny8.Scope, id string) (Cluster, error)
	ListClusters(ctx context.Context, scope igny8.Scope, f ClusterFilter, page igny8.PageRequest) ([]Cluster, error)
	// UpdateCluster changes name, description, intent, pillar, counts,
	// mean difficulty, status and updated_at.
	UpdateCluster(ctx context.Context, scope igny8.Scope, c Cluster) error
	// DeleteCluster deletes a cluster and takes its keywords out of it.
	DeleteCluster(ctx context.Context, scope igny8.Scope, id string) error

	// CreateIdeas stores new ideas, all or none.
	CreateIdeas(ctx context.Context, scope igny8.Scope, ideas []ContentIdea) error
	GetIdea(ctx context.Context, scope igny8.Scope, id string) (ContentIdea, error)
	ListIdeas(ctx context.Context, scope igny8.Scope, f IdeaFilter, page igny8.PageRequest) ([]ContentIdea, error)
	// IdeasByPrimaryKeyword returns the scope's ideas (any status) whose
	// normalized primary keyword is one of texts.
	IdeasByPrimaryKeyword(ctx context.Context, scope igny8.Scope, texts []string) ([]ContentIdea, error)
	// UpdateIdea changes every field but the ID, tenant and created_at.
	UpdateIdea(ctx context.Context, scope igny8.Scope, i ContentIdea) error
	DeleteIdea(ctx context.Context, scope igny8.Scope, id string) error
}
