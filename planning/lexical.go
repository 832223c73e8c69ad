package planning

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/igny8/sdk/igny8"
)

// LexicalOptions tune the lexical clusterer; the zero value uses the
// defaults.
type LexicalOptions struct {
	// Threshold is the TF-IDF cosine at or above which two keywords link
	// (default 0.5).
	Threshold float64
	// Neighbors is how many best neighbors each keyword keeps (default 10).
	Neighbors int
	// MaxClusterSize splits larger groups by raising the threshold inside
	// them (default 150).
	MaxClusterSize int
	// MinClusterSize sends smaller new groups to the stray list (default
	// 1: a keyword alone forms its own cluster).
	MinClusterSize int
	// MixIntents lets keywords whose intent modifiers differ ("buy …" and
	// "how to …") share a cluster. Off by default.
	MixIntents bool
	// Workers bounds the goroutines of the neighbor search (default
	// GOMAXPROCS).
	Workers int
}

// Lexical clusters keywords offline by their words: each keyword becomes a
// TF-IDF vector of its stemmed content words (stop words and intent
// modifiers left out; the modifiers instead give the keyword its intent),
// every keyword finds its best neighbors above the threshold through an
// inverted index, and the neighbor graph is linked as assemble describes.
//
// The index holds, per keyword, only the words that could still lift a
// cosine to the threshold (the prefix filter of all-pairs similarity
// search: the left-out low-weight words cannot reach it together), so a head
// term shared by thousands of keywords has a short posting list and no
// keyword is compared with all others.
type Lexical struct {
	opts LexicalOptions
}

var _ Clusterer = (*Lexical)(nil)

// NewLexical returns a lexical clusterer.
func NewLexical(opts LexicalOptions) *Lexical {
	if opts.Threshold <= 0 || opts.Threshold > 1 {
		opts.Threshold = 0.5
	}
	if opts.Neighbors <= 0 {
		opts.Neighbors = 10
	}
	if opts.MaxClusterSize <= 0 {
		opts.MaxClusterSize = 150
	}
	if opts.MinClusterSize <= 0 {
		opts.MinClusterSize = 1
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	return &Lexical{opts: opts}
}

// sparse holds all documents' vectors in flat arrays: document i has terms
// ids[off[i]:off[i+1]] (ascending) with weights ws[...] (unit length).
type sparse struct {
	off []int32
	ids []int32
	ws  []float32
}

func (s *sparse) dot(a, b int) float32 {
	ia, ea := s.off[a], s.off[a+1]
	ib, eb := s.off[b], s.off[b+1]
	var sum float32
	for ia < ea && ib < eb {
		switch x, y := s.ids[ia], s.ids[ib]; {
		case x == y:
			sum += s.ws[ia] * s.ws[ib]
			ia++
			ib++
		case x < y:
			ia++
		default:
			ib++
		}
	}
	return sum
}

// Cluster groups the request's keywords.
func (l *Lexical) Cluster(ctx context.Context, req ClusterRequest) (ClusterResult, error) {
	const op = "planning.Lexical.Cluster"
	docs, nExisting, err := prepareDocs(op, req)
	if err != nil {
		return ClusterResult{}, err
	}
	g := graph{docs: docs, nExisting: nExisting}
	vec, err := l.vectors(ctx, &g)
	if err != nil {
		return ClusterResult{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	masks := make([]intentMask, len(g.nodes))
	for u, m := range g.nodes {
		masks[u] = docs[m[0]].mask
	}
	g.nbrs, err = l.neighbors(ctx, vec, masks)
	if err != nil {
		return ClusterResult{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	res, err := assemble(ctx, g, graphOptions{
		threshold: float32(l.opts.Threshold), maxSize: l.opts.MaxClusterSize,
		minSize: l.opts.MinClusterSize, mixIntents: l.opts.MixIntents,
	})
	if err != nil {
		return ClusterResult{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	return res, nil
}

// prepareDocs validates a request and returns its documents, existing
// first, each part in a fixed order, with their intent modifiers read.
func prepareDocs(op string, req ClusterRequest) ([]doc, int, error) {
	seen := make(map[string]bool, len(req.Existing)+len(req.Keywords))
	docs := make([]doc, 0, len(req.Existing)+len(req.Keywords))
	// The documents point into the caller's slices (a copy of a million
	// keywords would cost hundreds of megabytes); nothing writes through
	// them.
	add := func(list []Keyword, existing bool) error {
		start := len(docs)
		for i := range list {
			k := &list[i]
			if k.ID == "" {
				return igny8.InvalidArgument(op, "keywords", "keyword %q has no id", k.Text)
			}
			if existing && k.ClusterID == "" {
				return igny8.InvalidArgument(op, "existing", "keyword %q has no cluster_id", k.ID)
			}
			if seen[k.ID] {
				return igny8.InvalidArgument(op, "keywords", "keyword id %q appears twice", k.ID)
			}
			seen[k.ID] = true
			n := k.Normalized
			if n == "" {
				n = Normalize(k.Text)
			}
			docs = append(docs, doc{kw: k, norm: n})
		}
		part := docs[start:]
		slices.SortFunc(part, func(a, b doc) int {
			if c := cmp.Compare(a.norm, b.norm); c != 0 {
				return c
			}
			return cmp.Compare(a.kw.ID, b.kw.ID)
		})
		return nil
	}
	if err := add(req.Existing, true); err != nil {
		return nil, 0, err
	}
	nExisting := len(docs)
	if err := add(req.Keywords, false); err != nil {
		return nil, 0, err
	}
	a := newAnalyzer()
	var buf []string
	for i := range docs {
		buf, docs[i].mask = a.analyze(docs[i].norm, buf)
	}
	return docs, nExisting, nil
}

// vectors groups the documents into nodes of equal content words and
// intent and returns the nodes' unit TF-IDF vectors (document frequency
// counted over nodes, so that "best x", "top x" and "x reviews" do not make
// x look common).
func (l *Lexical) vectors(ctx context.Context, g *graph) (*sparse, error) {
	docs := g.docs
	a := newAnalyzer()
	dict := map[string]int32{}
	nodeKey := map[string]int32{}
	var df []int32
	s := &sparse{off: make([]int32, 1, len(docs)+1)}
	g.nodeOf = make([]int32, len(docs))
	var buf []string
	var key []byte
	var ids []int32
	for i, d := range docs {
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		buf, _ = a.analyze(d.norm, buf)
		ids = ids[:0]
		for _, t := range buf {
			id, ok := dict[t]
			if !ok {
				id = int32(len(df))
				dict[t] = id
				df = append(df, 0)
			}
			ids = append(ids, id)
		}
		slices.Sort(ids)
		key = append(key[:0], byte(d.mask))
		for _, id := range ids {
			key = append(key, byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
		}
		if len(ids) == 0 {
			// no content words: a node of its own, similar to nothing
			key = append(key, 0xff)
			key = append(key, d.norm...)
		}
		u, ok := nodeKey[string(key)]
		if !ok {
			u = int32(len(g.nodes))
			nodeKey[string(key)] = u
			g.nodes = append(g.nodes, nil)
			for _, id := range ids {
				df[id]++
			}
			s.ids = append(s.ids, ids...)
			s.off = append(s.off, int32(len(s.ids)))
		}
		g.nodeOf[i] = u
		g.nodes[u] = append(g.nodes[u], int32(i))
	}
	n := float64(len(g.nodes))
	idf := make([]float32, len(df))
	for t, c := range df {
		idf[t] = float32(math.Log(1 + n/float64(c)))
	}
	s.ws = make([]float32, len(s.ids))
	for u := range g.nodes {
		lo, hi := s.off[u], s.off[u+1]
		var norm float64
		for k := lo; k < hi; k++ {
			w := idf[s.ids[k]]
			s.ws[k] = w
			norm += float64(w) * float64(w)
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(norm))
			for k := lo; k < hi; k++ {
				s.ws[k] *= inv
			}
		}
	}
	return s, nil
}

// neighbors finds every document's best neighbors at or above the
// threshold. Each document indexes the terms outside its "low-weight
// suffix": the lightest terms whose squared weights sum below t², which on
// their own cannot give a cosine of t. Any pair at or above t therefore
// shares an indexed term of one of them, so probing the index with all of a
// document's terms finds every such pair.
func (l *Lexical) neighbors(ctx context.Context, s *sparse, masks []intentMask) ([][]neighbor, error) {
	n := len(masks)
	t := float32(l.opts.Threshold)
	t2 := t * t
	// indexed[k] marks term slot k as indexed.
	indexed := make([]bool, len(s.ids))
	var order []int32
	nTerms := int32(0)
	for _, id := range s.ids {
		nTerms = max(nTerms, id+1)
	}
	counts := make([]int32, nTerms+1)
	for i := 0; i < n; i++ {
		lo, hi := s.off[i], s.off[i+1]
		order = order[:0]
		for k := lo; k < hi; k++ {
			order = append(order, k)
		}
		slices.SortFunc(order, func(a, b int32) int {
			if s.ws[a] != s.ws[b] {
				if s.ws[a] < s.ws[b] {
					return -1
				}
				return 1
			}
			return int(s.ids[a] - s.ids[b])
		})
		var cum float32
		for _, k := range order {
			w2 := s.ws[k] * s.ws[k]
			if cum+w2 < t2 {
				cum += w2
				continue
			}
			indexed[k] = true
			counts[s.ids[k]+1]++
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	postings := make([]int32, counts[len(counts)-1])
	fill := slices.Clone(counts[:len(counts)-1])
	for i := 0; i < n; i++ {
		for k := s.off[i]; k < s.off[i+1]; k++ {
			if indexed[k] {
				id := s.ids[k]
				postings[fill[id]] = int32(i)
				fill[id]++
			}
		}
	}

	nbrs := make([][]neighbor, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var cancelled atomic.Bool
	const chunk = 256
	for w := 0; w < l.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mark := make([]int32, n)
			var cands []neighbor
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n || cancelled.Load() {
					return
				}
				if ctx.Err() != nil {
					cancelled.Store(true)
					return
				}
				for x := start; x < min(start+chunk, n); x++ {
					cands = cands[:0]
					stamp := int32(x + 1)
					mark[x] = stamp
					for k := s.off[x]; k < s.off[x+1]; k++ {
						id := s.ids[k]
						for _, y := range postings[counts[id]:counts[id+1]] {
							if mark[y] == stamp {
								continue
							}
							mark[y] = stamp
							if !l.opts.MixIntents && !compatible(masks[x], masks[y]) {
								continue
							}
							if sim := s.dot(x, int(y)); sim >= t {
								cands = append(cands, neighbor{j: y, sim: sim})
							}
						}
					}
					if len(cands) > 0 {
						nbrs[x] = topK(cands, l.opts.Neighbors)
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nbrs, nil
}
