package planning

import (
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/igny8/sdk/igny8"
)

// SemanticOptions tune the semantic clusterer; the zero value uses the
// defaults.
type SemanticOptions struct {
	// Threshold is the cosine of two embeddings at or above which the
	// keywords link (default 0.8).
	Threshold float64
	// Neighbors is how many best neighbors each keyword keeps (default 10).
	Neighbors int
	// MaxClusterSize splits larger groups (default 150).
	MaxClusterSize int
	// MinClusterSize sends smaller new groups to the stray list (default 1).
	MinClusterSize int
	// MixIntents lets keywords whose intent modifiers differ share a
	// cluster.
	MixIntents bool
	// BatchSize is how many texts go to the Embedder per call (default 256).
	BatchSize int
	// Tables is the number of locality-sensitive hash tables (default 8);
	// more find more true neighbors at more cost.
	Tables int
	// Bits per hash (default log2(n/8), within 4–20).
	Bits int
	// Seed fixes the random hyperplanes, so that results repeat (default 1).
	Seed uint64
	// Workers bounds the goroutines of the neighbor search (default
	// GOMAXPROCS).
	Workers int
}

// Semantic clusters keywords by the cosine of their embeddings. Candidate
// neighbors come from random-hyperplane locality-sensitive hashing (keywords
// whose vectors fall on the same side of Bits random hyperplanes, in any of
// Tables tables), so the search grows with n, not n²; the candidates are
// then scored exactly and linked as the lexical strategy links them.
type Semantic struct {
	emb  igny8.Embedder
	opts SemanticOptions
}

var _ Clusterer = (*Semantic)(nil)

// NewSemantic returns a semantic clusterer over emb.
func NewSemantic(emb igny8.Embedder, opts SemanticOptions) *Semantic {
	if opts.Threshold <= 0 || opts.Threshold > 1 {
		opts.Threshold = 0.8
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
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if opts.Tables <= 0 {
		opts.Tables = 8
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	return &Semantic{emb: emb, opts: opts}
}

// Cluster groups the request's keywords.
func (s *Semantic) Cluster(ctx context.Context, req ClusterRequest) (ClusterResult, error) {
	const op = "planning.Semantic.Cluster"
	docs, nExisting, err := prepareDocs(op, req)
	if err != nil {
		return ClusterResult{}, err
	}
	vecs, err := s.embed(ctx, op, docs)
	if err != nil {
		return ClusterResult{}, err
	}
	g := graph{docs: docs, nExisting: nExisting}
	g.nodeOf, g.nodes = singletonNodes(len(docs))
	g.nbrs, err = s.neighbors(ctx, docs, vecs)
	if err != nil {
		return ClusterResult{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	res, err := assemble(ctx, g, graphOptions{
		threshold: float32(s.opts.Threshold), maxSize: s.opts.MaxClusterSize,
		minSize: s.opts.MinClusterSize, mixIntents: s.opts.MixIntents,
	})
	if err != nil {
		return ClusterResult{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	return res, nil
}

// embed returns unit vectors for docs, in batches.
func (s *Semantic) embed(ctx context.Context, op string, docs []doc) ([][]float32, error) {
	out := make([][]float32, 0, len(docs))
	texts := make([]string, 0, s.opts.BatchSize)
	dim := -1
	for start := 0; start < len(docs); start += s.opts.BatchSize {
		texts = texts[:0]
		for _, d := range docs[start:min(start+s.opts.BatchSize, len(docs))] {
			texts = append(texts, d.norm)
		}
		vs, err := s.emb.Embed(ctx, texts)
		if err != nil {
			return nil, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
		if len(vs) != len(texts) {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "embedder returned %d vectors for %d texts", len(vs), len(texts))
		}
		for k, v := range vs {
			if dim < 0 {
				dim = len(v)
			}
			if len(v) != dim || dim == 0 {
				return nil, igny8.Errorf(igny8.CodeInternal, op, "embedder returned a vector of dimension %d for %q, expected %d", len(v), texts[k], dim)
			}
			var norm float64
			for _, x := range v {
				norm += float64(x) * float64(x)
			}
			if norm == 0 || math.IsNaN(norm) || math.IsInf(norm, 0) {
				return nil, igny8.Errorf(igny8.CodeInternal, op, "embedder returned a zero or non-finite vector for %q", texts[k])
			}
			u := make([]float32, dim)
			inv := 1 / math.Sqrt(norm)
			for i, x := range v {
				u[i] = float32(float64(x) * inv)
			}
			out = append(out, u)
		}
	}
	return out, nil
}

func dotDense(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func (s *Semantic) neighbors(ctx context.Context, docs []doc, vecs [][]float32) ([][]neighbor, error) {
	n := len(vecs)
	if n == 0 {
		return nil, nil
	}
	dim := len(vecs[0])
	nbits := s.opts.Bits
	if nbits <= 0 {
		nbits = bits.Len(uint(max(n/8, 1))) - 1
	}
	nbits = min(max(nbits, 4), 20)
	rng := rand.New(rand.NewPCG(s.opts.Seed, 0x5eed))
	tables := make([]map[uint32][]int32, s.opts.Tables)
	sigs := make([][]uint32, s.opts.Tables)
	planes := make([]float32, nbits*dim)
	for t := range tables {
		for i := range planes {
			planes[i] = float32(rng.NormFloat64())
		}
		sig := make([]uint32, n)
		tab := map[uint32][]int32{}
		for i, v := range vecs {
			var h uint32
			for b := 0; b < nbits; b++ {
				if dotDense(planes[b*dim:(b+1)*dim], v) >= 0 {
					h |= 1 << b
				}
			}
			sig[i] = h
			tab[h] = append(tab[h], int32(i))
		}
		tables[t], sigs[t] = tab, sig
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	th := float32(s.opts.Threshold)
	nbrs := make([][]neighbor, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	const chunk = 64
	for w := 0; w < s.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mark := make([]int32, n)
			var cands []neighbor
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n || ctx.Err() != nil {
					return
				}
				for x := start; x < min(start+chunk, n); x++ {
					cands = cands[:0]
					stamp := int32(x + 1)
					mark[x] = stamp
					for t := range tables {
						for _, y := range tables[t][sigs[t][x]] {
							if mark[y] == stamp {
								continue
							}
							mark[y] = stamp
							if !s.opts.MixIntents && !compatible(docs[x].mask, docs[y].mask) {
								continue
							}
							if sim := dotDense(vecs[x], vecs[y]); sim >= th {
								cands = append(cands, neighbor{j: y, sim: sim})
							}
						}
					}
					if len(cands) > 0 {
						nbrs[x] = topK(cands, s.opts.Neighbors)
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
