// Package planning is the first stage of the content operation: keywords,
// clusters and content ideas for a site (and a sector of it).
//
// Keywords are unique per site and sector on their normalized text
// (Normalize: NFKC, case folding, punctuation and white space folded).
// Planner.Import adds them in bulk from any source — package kwimport reads
// the exports of Google Keyword Planner, Semrush and Ahrefs — folding
// duplicates within the batch and against the site, and either writes the
// whole batch within the plan's max_keywords limit, with one keyword_added
// event, or refuses it with LimitExceeded saying how many would fit.
//
// Clustering sits behind the Clusterer interface, with strategies a caller
// picks:
//
//   - Lexical (the default, offline): TF-IDF over stemmed, stop-word-free
//     words, neighbors from an inverted index with a prefix filter (never
//     all pairs), mutual-nearest-neighbor linkage above a threshold;
//   - Semantic: cosine of Embedder vectors, candidates from
//     random-hyperplane hashing;
//   - SERPOverlap: keywords whose top results (from a SERPSource the host
//     fills) share at least K URLs, in soft, moderate or hard mode, with a
//     stray list;
//   - AIRefiner: the model (auto_cluster) names each cluster, describes
//     it, and may merge or split the groups of another strategy, in batches
//     that fit its context.
//
// Every strategy keeps keywords whose intent modifiers differ ("buy …",
// "how to …") apart unless told otherwise, splits mega-clusters held
// together by a shared head term, is deterministic for the same input, and
// is incremental: Planner.Cluster keeps clustered keywords where they are
// and places only new ones, in existing clusters or new ones (within
// max_clusters, one cluster_created event each). A cluster carries its
// pillar (highest-volume keyword), keyword count, total volume and mean
// difficulty.
//
// Planner.ProposeIdeas asks the model (generate_ideas) for content ideas
// for a cluster, within max_content_ideas, flags ideas whose primary
// keyword another idea or content of the site already targets
// (cannibalization), and emits idea_created.
//
// Persistence is the narrow Store interface; adapters/sqlstore implements
// it on SQLite and Postgres and planningtest proves any implementation.
//
//	res, _ := kwimport.Parse(file, kwimport.Options{})
//	report, err := planner.Import(ctx, scope, res.Keywords())
//	clusters, err := planner.Cluster(ctx, scope, nil)
//	ideas, err := planner.ProposeIdeas(ctx, scope, clusters.Created[0].ID, planning.IdeaOptions{Count: 3})
package planning
