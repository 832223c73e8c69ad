package planning

import (
	"cmp"
	"context"
	"slices"
	"sort"
)

// Clusterer groups keywords into clusters. Implementations are
// deterministic: the same request gives the same result, whatever the
// order of its keywords. They are incremental: keywords in
// ClusterRequest.Existing keep their clusters, and new keywords either join
// one of those clusters or form new groups.
type Clusterer interface {
	Cluster(ctx context.Context, req ClusterRequest) (ClusterResult, error)
}

// ClusterRequest is what to cluster.
type ClusterRequest struct {
	// Keywords are the keywords to place; their ClusterID is ignored.
	Keywords []Keyword
	// Existing are keywords already in clusters (ClusterID set). They do
	// not move; new keywords may join their clusters.
	Existing []Keyword
}

// Group is a set of the request's keywords placed together.
type Group struct {
	// ClusterID is the existing cluster the keywords join, "" for a new
	// cluster.
	ClusterID string `json:"cluster_id,omitempty"`
	// KeywordIDs are the members from ClusterRequest.Keywords, the pillar
	// (highest volume) first.
	KeywordIDs []string `json:"keyword_ids"`
	// Intent is the intent the members' modifiers signal, if they agree on
	// one.
	Intent Intent `json:"intent,omitempty"`
	// Name and Description are set by strategies that write them (the AI
	// refiner); otherwise the cluster is named after its pillar.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// ClusterResult is a clustering: groups that join existing clusters
// (sorted by cluster ID), then new groups (sorted by their pillar: highest
// volume first), and the keywords that joined nothing.
type ClusterResult struct {
	Groups []Group  `json:"groups"`
	Stray  []string `json:"stray,omitempty"`
}

// neighbor is a similar document and its similarity.
type neighbor struct {
	j   int32
	sim float32
}

// topK keeps the k best neighbors (highest similarity, then lowest index).
func topK(list []neighbor, k int) []neighbor {
	slices.SortFunc(list, func(a, b neighbor) int {
		if a.sim != b.sim {
			return cmp.Compare(b.sim, a.sim)
		}
		return cmp.Compare(a.j, b.j)
	})
	if len(list) > k {
		list = list[:k]
	}
	return slices.Clone(list)
}

// graphOptions tune assemble.
type graphOptions struct {
	threshold  float32
	maxSize    int
	minSize    int
	mixIntents bool
}

// doc is one keyword as the graph clustering sees it.
type doc struct {
	kw *Keyword
	// norm is kw.Normalized, or Normalize(kw.Text) when the caller left it
	// empty.
	norm string
	mask intentMask
}

// graph is the input of assemble: documents grouped into nodes (documents
// with the same content words and intent are one node: they are the same
// query in other words, "best x" and "top x") and each node's best
// neighbor nodes.
type graph struct {
	docs      []doc
	nExisting int
	nodeOf    []int32
	nodes     [][]int32
	// nbrs[u] are node u's best neighbors with similarity at or above
	// the threshold.
	nbrs [][]neighbor
}

// singletonNodes makes every document its own node.
func singletonNodes(n int) ([]int32, [][]int32) {
	nodeOf := make([]int32, n)
	nodes := make([][]int32, n)
	for i := range nodeOf {
		nodeOf[i] = int32(i)
		nodes[i] = []int32{int32(i)}
	}
	return nodeOf, nodes
}

// assemble turns a neighbor graph into a ClusterResult. docs[:nExisting]
// are existing keywords (ClusterID set), the rest new ones.
//
// First every new keyword may join an existing cluster: the one whose
// members in its own node and its neighbor nodes have the highest summed
// similarity, if the intents agree. The rest are grouped among themselves
// by constrained single linkage over mutual nearest-neighbor edges (an edge
// u–v counts only when each node is among the other's best neighbors, which
// keeps a short head keyword such as "running shoes", similar to hundreds
// of others, from chaining unrelated topics together), strongest edges
// first, never joining two groups whose intents differ. A group larger than
// maxSize is split by raising the threshold inside it.
func assemble(ctx context.Context, g graph, o graphOptions) (ClusterResult, error) {
	docs, nExisting := g.docs, g.nExisting
	n := len(docs)
	var res ClusterResult

	// Phase 1: join existing clusters.
	clusterMask := map[string]intentMask{}
	for _, d := range docs[:nExisting] {
		clusterMask[d.kw.ClusterID] |= d.mask
	}
	joined := map[string][]int{}
	placed := make([]bool, n)
	score := map[string]float32{}
	addScores := func(i int, u int32, sim float32) {
		for _, j := range g.nodes[u] {
			if int(j) >= nExisting {
				break
			}
			c := docs[j].kw.ClusterID
			if !o.mixIntents && !compatible(clusterMask[c], docs[i].mask) {
				continue
			}
			score[c] += sim
		}
	}
	if nExisting > 0 {
		for i := nExisting; i < n; i++ {
			clear(score)
			u := g.nodeOf[i]
			addScores(i, u, 1)
			for _, nb := range g.nbrs[u] {
				if nb.sim >= o.threshold {
					addScores(i, nb.j, nb.sim)
				}
			}
			best, bestScore := "", float32(0)
			for c, s := range score {
				if s > bestScore || (s == bestScore && c < best) {
					best, bestScore = c, s
				}
			}
			if best != "" {
				joined[best] = append(joined[best], i)
				clusterMask[best] |= docs[i].mask
				placed[i] = true
			}
		}
	}
	ids := make([]string, 0, len(joined))
	for c := range joined {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	for _, c := range ids {
		res.Groups = append(res.Groups, makeGroup(docs, joined[c], c))
	}
	if err := ctx.Err(); err != nil {
		return ClusterResult{}, err
	}

	// Phase 2: group the rest. A node's unplaced new documents are linked
	// to its first one at similarity 1; nodes link through their first
	// unplaced new documents.
	rep := make([]int32, len(g.nodes))
	var edges []edge
	for u, members := range g.nodes {
		rep[u] = -1
		for _, j := range members {
			if int(j) < nExisting || placed[j] {
				continue
			}
			if rep[u] < 0 {
				rep[u] = j
				continue
			}
			edges = append(edges, edge{a: rep[u], b: j, sim: 1})
		}
	}
	for u := range g.nodes {
		if rep[u] < 0 {
			continue
		}
		for _, nb := range g.nbrs[u] {
			v := nb.j
			if int(v) <= u || rep[v] < 0 || nb.sim < o.threshold || !hasNeighbor(g.nbrs[v], int32(u)) {
				continue
			}
			a, b := rep[u], rep[v]
			if b < a {
				a, b = b, a
			}
			edges = append(edges, edge{a: a, b: b, sim: nb.sim})
		}
	}
	sortEdges(edges)
	var members []int
	for i := nExisting; i < n; i++ {
		if !placed[i] {
			members = append(members, i)
		}
	}
	comps := linkage(docs, members, edges, o.threshold, o.mixIntents)
	inner := innerEdges(n, comps, edges)
	var groups [][]int
	for k, c := range comps {
		groups = append(groups, split(docs, c, inner[k], o.threshold, o)...)
	}
	if err := ctx.Err(); err != nil {
		return ClusterResult{}, err
	}
	for _, grp := range groups {
		if len(grp) < o.minSize {
			for _, i := range grp {
				res.Stray = append(res.Stray, docs[i].kw.ID)
			}
			continue
		}
		res.Groups = append(res.Groups, makeGroup(docs, grp, ""))
	}
	sort.Strings(res.Stray)
	return res, nil
}

type edge struct {
	a, b int32
	sim  float32
}

func sortEdges(edges []edge) {
	slices.SortFunc(edges, func(x, y edge) int {
		if x.sim != y.sim {
			return cmp.Compare(y.sim, x.sim)
		}
		if x.a != y.a {
			return cmp.Compare(x.a, y.a)
		}
		return cmp.Compare(x.b, y.b)
	})
}

func hasNeighbor(list []neighbor, j int32) bool {
	for _, nb := range list {
		if nb.j == j {
			return true
		}
	}
	return false
}

// linkage unions members over edges (sorted strongest first) at or above
// threshold, refusing unions that would mix intents. It returns the
// components, each sorted by pillar order, the list sorted by pillar.
func linkage(docs []doc, members []int, edges []edge, threshold float32, mixIntents bool) [][]int {
	local := make(map[int32]int32, len(members))
	parent := make([]int32, len(members))
	mask := make([]intentMask, len(members))
	for k, m := range members {
		local[int32(m)] = int32(k)
		parent[k] = int32(k)
		mask[k] = docs[m].mask
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		if e.sim < threshold {
			break
		}
		la, okA := local[e.a]
		lb, okB := local[e.b]
		if !okA || !okB {
			continue
		}
		ra, rb := find(la), find(lb)
		if ra == rb {
			continue
		}
		if !mixIntents && !compatible(mask[ra], mask[rb]) {
			continue
		}
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
		mask[ra] |= mask[rb]
	}
	byRoot := map[int32][]int{}
	for k, m := range members {
		r := find(int32(k))
		byRoot[r] = append(byRoot[r], m)
	}
	comps := make([][]int, 0, len(byRoot))
	for _, c := range byRoot {
		sortByPillar(docs, c)
		comps = append(comps, c)
	}
	slices.SortFunc(comps, func(a, b []int) int { return pillarCmp(docs[a[0]].kw, docs[b[0]].kw) })
	return comps
}

// innerEdges returns, per component, the edges with both ends in it.
func innerEdges(n int, comps [][]int, edges []edge) [][]edge {
	compOf := make([]int32, n)
	for i := range compOf {
		compOf[i] = -1
	}
	for c, members := range comps {
		for _, m := range members {
			compOf[m] = int32(c)
		}
	}
	out := make([][]edge, len(comps))
	for _, e := range edges {
		if c := compOf[e.a]; c >= 0 && c == compOf[e.b] {
			out[c] = append(out[c], e)
		}
	}
	return out
}

// split breaks a component larger than maxSize (a mega-cluster, usually a
// shared head term linking several topics) by re-linking it with a higher
// threshold, step by step; identical keywords that still exceed the size
// are cut in pillar order. edges are the component's own.
func split(docs []doc, comp []int, edges []edge, threshold float32, o graphOptions) [][]int {
	if o.maxSize <= 0 || len(comp) <= o.maxSize {
		return [][]int{comp}
	}
	next := threshold + 0.05
	if next > 1.0001 {
		var out [][]int
		for len(comp) > o.maxSize {
			out = append(out, comp[:o.maxSize])
			comp = comp[o.maxSize:]
		}
		return append(out, comp)
	}
	sub := linkage(docs, comp, edges, next, o.mixIntents)
	inner := innerEdges(len(docs), sub, edges)
	var out [][]int
	for k, c := range sub {
		out = append(out, split(docs, c, inner[k], next, o)...)
	}
	return out
}

func pillarCmp(a, b *Keyword) int {
	if pillarBefore(*a, *b) {
		return -1
	}
	if pillarBefore(*b, *a) {
		return 1
	}
	return 0
}

func sortByPillar(docs []doc, idx []int) {
	slices.SortFunc(idx, func(a, b int) int { return pillarCmp(docs[a].kw, docs[b].kw) })
}

func makeGroup(docs []doc, idx []int, clusterID string) Group {
	sortByPillar(docs, idx)
	g := Group{ClusterID: clusterID, KeywordIDs: make([]string, len(idx))}
	var m intentMask
	for k, i := range idx {
		g.KeywordIDs[k] = docs[i].kw.ID
		m |= docs[i].mask
	}
	g.Intent = m.intent()
	return g
}
