package planning

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// SERPSource is the port a host fills with search results: the top result
// URLs, best first, for each keyword text it is given (from a SERP API, a
// rank tracker or a cache). A keyword it has no results for may be left out
// of the map.
type SERPSource interface {
	TopURLs(ctx context.Context, keywords []string) (map[string][]string, error)
}

// SERPMode is how strictly SERP overlap groups keywords, in the three modes
// the trade uses.
type SERPMode string

// SERP overlap modes.
const (
	// SERPSoft compares each keyword only with the group's highest-volume
	// keyword (its pillar): members share at least K URLs with the pillar,
	// not necessarily with each other.
	SERPSoft SERPMode = "soft"
	// SERPModerate links every pair that shares at least K URLs, and chains
	// are allowed: a group is a connected component of those links.
	SERPModerate SERPMode = "moderate"
	// SERPHard requires every member to share at least K URLs with every
	// other member.
	SERPHard SERPMode = "hard"
)

// SERPOptions tune SERP-overlap clustering; the zero value uses the
// defaults.
type SERPOptions struct {
	// Mode is soft, moderate or hard (default moderate).
	Mode SERPMode
	// MinShared is K, the number of shared URLs that links two keywords
	// (default 3).
	MinShared int
	// TopN is how many URLs per keyword count (default 10).
	TopN int
	// MixIntents lets keywords whose intent modifiers differ share a group.
	MixIntents bool
	// BatchSize is how many keywords go to the source per call (default
	// 100).
	BatchSize int
}

// SERPOverlap clusters keywords whose search results overlap: two keywords
// that Google answers with the same pages can be served by one page.
// Keywords that join no group (a group needs two keywords) go to the stray
// list. Candidate pairs come from an index of URL → keywords, never from all
// pairs.
type SERPOverlap struct {
	src  SERPSource
	opts SERPOptions
}

var _ Clusterer = (*SERPOverlap)(nil)

// NewSERPOverlap returns a SERP-overlap clusterer over src.
func NewSERPOverlap(src SERPSource, opts SERPOptions) *SERPOverlap {
	if opts.Mode == "" {
		opts.Mode = SERPModerate
	}
	if opts.MinShared <= 0 {
		opts.MinShared = 3
	}
	if opts.TopN <= 0 {
		opts.TopN = 10
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 100
	}
	return &SERPOverlap{src: src, opts: opts}
}

// normalizeURL folds the differences that do not make two results
// different pages: case, a trailing slash, a fragment.
func normalizeURL(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	return strings.TrimSuffix(strings.ToLower(u), "/")
}

// Cluster groups the request's keywords.
func (s *SERPOverlap) Cluster(ctx context.Context, req ClusterRequest) (ClusterResult, error) {
	const op = "planning.SERPOverlap.Cluster"
	switch s.opts.Mode {
	case SERPSoft, SERPModerate, SERPHard:
	default:
		return ClusterResult{}, igny8.InvalidArgument(op, "mode", "%q is not soft, moderate or hard", string(s.opts.Mode))
	}
	docs, nExisting, err := prepareDocs(op, req)
	if err != nil {
		return ClusterResult{}, err
	}
	urls, err := s.fetch(ctx, op, docs)
	if err != nil {
		return ClusterResult{}, err
	}
	// index: url id -> docs
	ids := map[string]int32{}
	sets := make([][]int32, len(docs))
	var post [][]int32
	for i, list := range urls {
		for _, u := range list {
			id, ok := ids[u]
			if !ok {
				id = int32(len(post))
				ids[u] = id
				post = append(post, nil)
			}
			sets[i] = append(sets[i], id)
			post[id] = append(post[id], int32(i))
		}
		slices.Sort(sets[i])
	}
	shared := func(a, b int) int {
		x, y := sets[a], sets[b]
		n := 0
		for len(x) > 0 && len(y) > 0 {
			switch {
			case x[0] == y[0]:
				n++
				x, y = x[1:], y[1:]
			case x[0] < y[0]:
				x = x[1:]
			default:
				y = y[1:]
			}
		}
		return n
	}
	// links(i) lists the docs sharing at least K URLs with i.
	counts := make([]int32, len(docs))
	var touched []int32
	links := func(i int) []int32 {
		touched = touched[:0]
		for _, u := range sets[i] {
			for _, j := range post[u] {
				if int(j) == i {
					continue
				}
				if counts[j] == 0 {
					touched = append(touched, j)
				}
				counts[j]++
			}
		}
		var out []int32
		for _, j := range touched {
			if int(counts[j]) >= s.opts.MinShared {
				out = append(out, j)
			}
			counts[j] = 0
		}
		slices.Sort(out)
		return out
	}
	k := s.opts.MinShared
	ok := func(a, b intentMask) bool { return s.opts.MixIntents || compatible(a, b) }

	var res ClusterResult
	placed := make([]bool, len(docs))

	// Existing clusters: members by cluster, pillar first.
	byCluster := map[string][]int{}
	for i := 0; i < nExisting; i++ {
		byCluster[docs[i].kw.ClusterID] = append(byCluster[docs[i].kw.ClusterID], i)
	}
	clusterIDs := make([]string, 0, len(byCluster))
	for c, m := range byCluster {
		sortByPillar(docs, m)
		clusterIDs = append(clusterIDs, c)
	}
	sort.Strings(clusterIDs)
	mask := map[string]intentMask{}
	for _, c := range clusterIDs {
		for _, i := range byCluster[c] {
			mask[c] |= docs[i].mask
		}
	}
	joined := map[string][]int{}
	order := make([]int, 0, len(docs)-nExisting)
	for i := nExisting; i < len(docs); i++ {
		order = append(order, i)
	}
	sortByPillar(docs, order)
	if nExisting > 0 {
		for _, i := range order {
			best, bestShared := "", 0
			for _, c := range clusterIDs {
				if !ok(mask[c], docs[i].mask) {
					continue
				}
				members := byCluster[c]
				score := 0
				switch s.opts.Mode {
				case SERPSoft:
					score = shared(i, members[0])
				case SERPModerate:
					for _, m := range members {
						score = max(score, shared(i, m))
					}
				case SERPHard:
					score = len(sets[i])
					for _, m := range members {
						score = min(score, shared(i, m))
					}
				}
				if score >= k && score > bestShared {
					best, bestShared = c, score
				}
			}
			if best != "" {
				joined[best] = append(joined[best], i)
				mask[best] |= docs[i].mask
				if s.opts.Mode == SERPHard {
					byCluster[best] = append(byCluster[best], i)
				}
				placed[i] = true
			}
		}
	}
	for _, c := range clusterIDs {
		if len(joined[c]) > 0 {
			res.Groups = append(res.Groups, makeGroup(docs, joined[c], c))
		}
	}

	var groups [][]int
	switch s.opts.Mode {
	case SERPSoft:
		for _, p := range order {
			if placed[p] {
				continue
			}
			placed[p] = true
			g := []int{p}
			m := docs[p].mask
			for _, j := range links(p) {
				if int(j) < nExisting || placed[j] || !ok(m, docs[j].mask) {
					continue
				}
				placed[j] = true
				m |= docs[j].mask
				g = append(g, int(j))
			}
			groups = append(groups, g)
		}
	case SERPModerate:
		var edges []edge
		var members []int
		for _, i := range order {
			if placed[i] {
				continue
			}
			members = append(members, i)
			for _, j := range links(i) {
				if int(j) > i && !placed[j] {
					edges = append(edges, edge{a: int32(i), b: j, sim: float32(shared(i, int(j)))})
				}
			}
		}
		sortEdges(edges)
		groups = linkage(docs, members, edges, float32(k), s.opts.MixIntents)
	case SERPHard:
		var open [][]int
		var masks []intentMask
		for _, i := range order {
			if placed[i] {
				continue
			}
			joinedGroup := -1
			for gi, g := range open {
				if !ok(masks[gi], docs[i].mask) {
					continue
				}
				all := true
				for _, m := range g {
					if shared(i, m) < k {
						all = false
						break
					}
				}
				if all {
					joinedGroup = gi
					break
				}
			}
			if joinedGroup < 0 {
				open = append(open, []int{i})
				masks = append(masks, docs[i].mask)
				continue
			}
			open[joinedGroup] = append(open[joinedGroup], i)
			masks[joinedGroup] |= docs[i].mask
		}
		groups = open
	}
	if err := ctx.Err(); err != nil {
		return ClusterResult{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	var fresh []Group
	for _, g := range groups {
		if len(g) < 2 {
			for _, i := range g {
				res.Stray = append(res.Stray, docs[i].kw.ID)
			}
			continue
		}
		fresh = append(fresh, makeGroup(docs, g, ""))
	}
	res.Groups = append(res.Groups, fresh...)
	sort.Strings(res.Stray)
	return res, nil
}

// fetch asks the source for every document's URLs, in batches, and keeps
// each keyword's first TopN distinct normalized URLs.
func (s *SERPOverlap) fetch(ctx context.Context, op string, docs []doc) ([][]string, error) {
	out := make([][]string, len(docs))
	for start := 0; start < len(docs); start += s.opts.BatchSize {
		end := min(start+s.opts.BatchSize, len(docs))
		texts := make([]string, 0, end-start)
		for _, d := range docs[start:end] {
			texts = append(texts, d.kw.Text)
		}
		got, err := s.src.TopURLs(ctx, texts)
		if err != nil {
			return nil, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
		for i := start; i < end; i++ {
			seen := map[string]bool{}
			for _, u := range got[docs[i].kw.Text] {
				if len(out[i]) >= s.opts.TopN {
					break
				}
				if nu := normalizeURL(u); nu != "" && !seen[nu] {
					seen[nu] = true
					out[i] = append(out[i], nu)
				}
			}
		}
	}
	return out, nil
}
