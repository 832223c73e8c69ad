package linking

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/igny8/sdk/igny8"
)

const noTerm = math.MaxUint32

// phrase kinds, best first.
const (
	kindPrimary uint8 = iota
	kindSecondary
	kindTitle
)

// maxPhraseWords bounds the phrases the trie holds.
const maxPhraseWords = 8

type phraseRef struct {
	page uint32
	kind uint8
}

// trie is a token trie over the keyword phrases of every page, keyed by
// word hashes: an edge goes from (node, word hash) to a node, so matching a
// document needs no vocabulary lookups, one map access per word and phrase
// depth whatever the number of pages, and a bitset answers most words (those
// that start no phrase) without touching the map.
type trie struct {
	edges map[uint64]uint32
	refs  [][]phraseRef
	// starts is a one-hash filter of the words that begin a phrase.
	starts []uint64
}

const trieStartBits = 1 << 20

func edgeKey(node uint32, h uint64) uint64 {
	return h ^ (uint64(node)+1)*0x9E3779B97F4A7C15
}

func (t *trie) mayStart(h uint64) bool {
	b := h & (trieStartBits - 1)
	return t.starts[b>>6]&(1<<(b&63)) != 0
}

func (t *trie) child(node uint32, h uint64) (uint32, bool) {
	if node == 0 && !t.mayStart(h) {
		return 0, false
	}
	c, ok := t.edges[edgeKey(node, h)]
	return c, ok
}

func (t *trie) insert(hashes []uint64, ref phraseRef) uint32 {
	node := uint32(0)
	for i, h := range hashes {
		if i == 0 {
			b := h & (trieStartBits - 1)
			t.starts[b>>6] |= 1 << (b & 63)
		}
		k := edgeKey(node, h)
		child, ok := t.edges[k]
		if !ok {
			child = uint32(len(t.refs))
			t.refs = append(t.refs, nil)
			t.edges[k] = child
		}
		node = child
	}
	for _, r := range t.refs[node] {
		if r.page == ref.page {
			return node
		}
	}
	t.refs[node] = append(t.refs[node], ref)
	return node
}

func (t *trie) remove(node, page uint32) {
	refs := t.refs[node]
	for i, r := range refs {
		if r.page == page {
			t.refs[node] = append(refs[:i:i], refs[i+1:]...)
			return
		}
	}
}

type termWeight struct {
	term uint32
	tf   uint32
	w    float32
}

type anchorStats struct {
	total uint32
	by    map[string]uint32
}

// pageEntry is what the index keeps of a page: no HTML, only what
// matching, scoring and the graph need.
type pageEntry struct {
	id, url   string
	normURL   string
	cluster   int32
	pillar    bool
	published bool
	deleted   bool
	words     int32
	// vec is the page's TF-IDF vector, its top terms sorted by term id,
	// unit length.
	vec []termWeight
	emb []float32
	// nodes are the trie nodes of the page's phrases, for removal.
	nodes []uint32
	// phrases are the page's keyword phrases as term ids and as word
	// hashes, for inbound matching.
	phrases      [][]uint32
	phraseHashes [][]uint64
	// bigrams is a Bloom filter of the word pairs of the page's linkable
	// text: a phrase of several words can only be in the page if all its
	// pairs are, so inbound candidates are checked without the text.
	bigrams bloom
}

// bloom is a Bloom filter over 64-bit keys with three probes.
type bloom []uint64

func bigramKey(a, b uint64) uint64 {
	h := a*0x9E3779B97F4A7C15 ^ b
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>29
}

func newBloom(n int) bloom {
	bits := 64
	for bits < n*10 {
		bits <<= 1
	}
	return make(bloom, bits/64)
}

func (f bloom) probes(k uint64, fn func(word int, bit uint64) bool) bool {
	if len(f) == 0 {
		return false
	}
	mask := uint64(len(f)*64 - 1)
	h1, h2 := k, k>>32|k<<32|1
	for i := uint64(0); i < 3; i++ {
		b := (h1 + i*h2) & mask
		if !fn(int(b>>6), 1<<(b&63)) {
			return false
		}
	}
	return true
}

func (f bloom) add(k uint64) {
	f.probes(k, func(w int, bit uint64) bool { f[w] |= bit; return true })
}

func (f bloom) has(k uint64) bool {
	return f.probes(k, func(w int, bit uint64) bool { return f[w]&bit != 0 })
}

// Index holds a site's pages for linking: a vocabulary of interned terms,
// a token trie of every page's keyword phrases, an inverted index from
// terms to the pages whose linkable text holds them, each page's TF-IDF
// vector and embedding. Adding or replacing one page touches only that
// page's entries, so a site is kept current incrementally. An Index holds
// the pages of one site; keep one per site. It is safe for concurrent use.
type Index struct {
	mu       sync.RWMutex
	opts     Options
	vague    map[string]bool
	vocab    map[uint64]uint32 // term hash -> term id
	stop     []bool            // term id -> is a stop word
	scratch  sync.Pool
	postings [][]uint32
	pages    []pageEntry
	byID     map[string]uint32
	byURL    map[string]uint32
	clusters map[string]int32
	pillars  []int32 // cluster -> pillar page ordinal, -1 if none
	trie     trie
	anchors  map[string]*anchorStats // by target page ID: survives replacing the page
	hosts    map[string]bool
	lnTable  []float32
	live     int
}

// NewIndex returns an empty index. A nil opts means the defaults.
func NewIndex(opts *Options) *Index {
	var o Options
	if opts != nil {
		o = *opts
	}
	o = o.withDefaults()
	x := &Index{
		opts:     o,
		vague:    make(map[string]bool, len(o.Rules.VagueAnchors)),
		vocab:    make(map[uint64]uint32),
		byID:     make(map[string]uint32),
		byURL:    make(map[string]uint32),
		clusters: make(map[string]int32),
		trie:     trie{edges: make(map[uint64]uint32), refs: [][]phraseRef{nil}, starts: make([]uint64, trieStartBits/64)},
		anchors:  make(map[string]*anchorStats),
	}
	for _, v := range o.Rules.VagueAnchors {
		x.vague[normalizePhrase(v)] = true
	}
	x.lnTable = make([]float32, lnTableSize)
	for i := 1; i < lnTableSize; i++ {
		x.lnTable[i] = float32(math.Log(float64(i)))
	}
	x.hosts = make(map[string]bool, len(o.Hosts))
	for _, h := range o.Hosts {
		x.hosts[strings.ToLower(h)] = true
	}
	return x
}

// Options returns the index's options with defaults filled in.
func (x *Index) Options() Options { return x.opts }

// Len returns the number of pages in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

func validatePage(op string, p Page) error {
	if p.ID == "" {
		return igny8.InvalidArgument(op, "page.id", "is required")
	}
	if p.URL == "" {
		return igny8.InvalidArgument(op, "page.url", "is required for page %q", p.ID)
	}
	return nil
}

// Add adds p to the index, replacing a page with the same ID. The HTML is
// analysed and dropped; the index keeps terms, phrases and vectors only.
func (x *Index) Add(p Page) error {
	const op = "linking.Index.Add"
	if err := validatePage(op, p); err != nil {
		return err
	}
	return x.add(op, p, analyze([]byte(p.HTML)))
}

func (x *Index) add(op string, p Page, d *doc) error {
	sc := x.getScratch()
	defer x.scratch.Put(sc)
	// Resolve known terms under the read lock, so that concurrent adds
	// only serialize on what is new.
	sc.hashes = sc.hashes[:0]
	for _, w := range d.words {
		sc.hashes = append(sc.hashes, wordHash(d.src[w.start:w.end]))
	}
	sc.terms = sc.terms[:0]
	x.mu.RLock()
	for _, h := range sc.hashes {
		t, ok := x.vocab[h]
		if !ok {
			t = noTerm
		}
		sc.terms = append(sc.terms, t)
	}
	x.mu.RUnlock()

	pairs := 0
	for i := 1; i < len(d.words); i++ {
		if d.words[i].glue && d.words[i].ctx == ctxOK && d.words[i-1].ctx == ctxOK {
			pairs++
		}
	}
	bi := newBloom(pairs)
	for i := 1; i < len(d.words); i++ {
		if d.words[i].glue && d.words[i].ctx == ctxOK && d.words[i-1].ctx == ctxOK {
			bi.add(bigramKey(sc.hashes[i-1], sc.hashes[i]))
		}
	}

	ord, tf, err := x.addLocked(op, p, d, sc, bi)
	if err != nil {
		return err
	}
	// The TF-IDF vector needs only read access: weigh it outside the
	// write lock so that concurrent adds overlap.
	x.mu.RLock()
	vec := x.topTermsLocked(tf)
	x.mu.RUnlock()
	x.mu.Lock()
	if cur, ok := x.byID[p.ID]; ok && cur == ord {
		x.pages[ord].vec = vec
	}
	x.mu.Unlock()
	return nil
}

// addLocked enters the page under the write lock and returns its ordinal
// and term frequencies.
func (x *Index) addLocked(op string, p Page, d *doc, sc *scratch, bi bloom) (uint32, []termWeight, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if other, ok := x.byURL[normalizeURL(p.URL)]; ok && !x.pages[other].deleted && x.pages[other].id != p.ID {
		return 0, nil, igny8.Errorf(igny8.CodeConflict, op, "page %q: url %q is already the url of page %q", p.ID, p.URL, x.pages[other].id)
	}
	if old, ok := x.byID[p.ID]; ok {
		x.removeLocked(old)
	}
	ord := uint32(len(x.pages))
	e := pageEntry{id: p.ID, url: p.URL, normURL: normalizeURL(p.URL), cluster: -1, pillar: p.IsPillar,
		published: p.Published, words: int32(d.textWords), bigrams: bi}
	if p.ClusterID != "" {
		c, ok := x.clusters[p.ClusterID]
		if !ok {
			c = int32(len(x.pillars))
			x.clusters[p.ClusterID] = c
			x.pillars = append(x.pillars, -1)
		}
		e.cluster = c
		if p.IsPillar {
			x.pillars[c] = int32(ord)
		}
	}
	// Terms: postings from linkable words, term frequencies from all text.
	var buf []byte
	for i, w := range d.words {
		if sc.terms[i] == noTerm {
			buf = normalizeWord(buf[:0], d.src[w.start:w.end])
			sc.terms[i] = x.internLocked(sc.hashes[i], buf)
		}
	}
	sc.grow(len(x.postings))
	for i, w := range d.words {
		t := sc.terms[i]
		if w.ctx == ctxUnsafe {
			continue
		}
		if !x.stop[t] {
			sc.count[t]++
			if sc.count[t] == 1 {
				sc.touched = append(sc.touched, t)
			}
		}
		if w.ctx == ctxOK && sc.mark[t] != ord+1 {
			sc.mark[t] = ord + 1
			x.postings[t] = append(x.postings[t], ord)
		}
	}
	tf := make([]termWeight, len(sc.touched))
	for i, t := range sc.touched {
		tf[i] = termWeight{term: t, tf: sc.count[t]}
		sc.count[t] = 0
	}
	sc.touched = sc.touched[:0]
	if len(p.Embedding) > 0 {
		e.emb = unit(p.Embedding)
	}
	// Phrases.
	seen := map[string]bool{}
	addPhrase := func(s string, kind uint8) {
		words := tokenize(s)
		if len(words) == 0 || len(words) > maxPhraseWords {
			return
		}
		key := joinWords(words)
		if seen[key] {
			return
		}
		seen[key] = true
		terms := make([]uint32, len(words))
		hashes := make([]uint64, len(words))
		for i, w := range words {
			hashes[i] = hashString(w)
			terms[i] = x.internLocked(hashes[i], []byte(w))
		}
		e.nodes = append(e.nodes, x.trie.insert(hashes, phraseRef{page: ord, kind: kind}))
		e.phrases = append(e.phrases, terms)
		e.phraseHashes = append(e.phraseHashes, hashes)
	}
	addPhrase(p.PrimaryKeyword, kindPrimary)
	for _, s := range p.SecondaryKeywords {
		addPhrase(s, kindSecondary)
	}
	if n := len(tokenize(p.Title)); n >= 2 && n <= maxPhraseWords {
		addPhrase(p.Title, kindTitle)
	}
	if u, err := url.Parse(p.URL); err == nil && u.Host != "" {
		x.hosts[strings.ToLower(u.Host)] = true
	}
	x.pages = append(x.pages, e)
	x.byID[p.ID] = ord
	x.byURL[e.normURL] = ord
	x.live++
	return ord, tf, nil
}

// Remove drops the page with the given ID; it reports whether it was there.
func (x *Index) Remove(id string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	ord, ok := x.byID[id]
	if !ok {
		return false
	}
	x.removeLocked(ord)
	return true
}

func (x *Index) removeLocked(ord uint32) {
	e := &x.pages[ord]
	for _, n := range e.nodes {
		x.trie.remove(n, ord)
	}
	if e.cluster >= 0 && x.pillars[e.cluster] == int32(ord) {
		x.pillars[e.cluster] = -1
	}
	delete(x.byID, e.id)
	if x.byURL[e.normURL] == ord {
		delete(x.byURL, e.normURL)
	}
	// Postings keep the ordinal; lookups skip deleted pages.
	e.deleted = true
	e.vec, e.emb, e.nodes, e.phrases, e.phraseHashes, e.bigrams = nil, nil, nil, nil, nil, nil
	x.live--
}

func (x *Index) internLocked(h uint64, norm []byte) uint32 {
	if t, ok := x.vocab[h]; ok {
		return t
	}
	t := uint32(len(x.postings))
	x.vocab[h] = t
	x.postings = append(x.postings, nil)
	x.stop = append(x.stop, isStopWord(norm))
	return t
}

func (x *Index) lookupTerm(h uint64) uint32 {
	if t, ok := x.vocab[h]; ok {
		return t
	}
	return noTerm
}

// scratch is per-call working memory, pooled: dense per-term counters and
// marks that replace maps on the hot path.
type scratch struct {
	hashes  []uint64
	terms   []uint32
	count   []uint32
	mark    []uint32
	touched []uint32
}

func (x *Index) getScratch() *scratch {
	if sc, ok := x.scratch.Get().(*scratch); ok {
		return sc
	}
	return &scratch{}
}

// grow makes the dense arrays cover n terms. Marks are page ordinals + 1,
// unique per add, so the mark array needs no clearing between calls.
func (sc *scratch) grow(n int) {
	if len(sc.count) < n {
		c := max(n, 2*len(sc.count))
		sc.count = append(sc.count, make([]uint32, c-len(sc.count))...)
		sc.mark = append(sc.mark, make([]uint32, c-len(sc.mark))...)
	}
}

func (x *Index) idf(t uint32) float64 {
	df := 0
	if t != noTerm && int(t) < len(x.postings) {
		df = len(x.postings[t])
	}
	return x.ln(x.live+1) - x.ln(df+1) + 1
}

// lnTableSize bounds the integers whose logarithms the index keeps in a
// table: document frequencies and term counts are small integers, and a
// table lookup is far cheaper than math.Log on the add path.
const lnTableSize = 1 << 16

// ln returns the natural logarithm of n >= 1.
func (x *Index) ln(n int) float64 {
	if n < lnTableSize {
		return float64(x.lnTable[n])
	}
	return math.Log(float64(n))
}

// topTermsLocked turns term frequencies into the page's unit TF-IDF vector
// over its TopTerms heaviest terms.
func (x *Index) topTermsLocked(tf []termWeight) []termWeight {
	k := x.opts.TopTerms
	// A min-heap of the k heaviest terms: O(n log k), no full sort.
	h := make([]termWeight, 0, k)
	less := func(a, b termWeight) bool { return a.w < b.w || a.w == b.w && a.term > b.term }
	for _, tw := range tf {
		tw.w = float32(x.tfWeight(tw.tf) * x.idf(tw.term))
		if len(h) < k {
			h = append(h, tw)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(h[i], h[p]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if !less(h[0], tw) {
			continue
		}
		h[0] = tw
		for i := 0; ; {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(h) && less(h[l], h[m]) {
				m = l
			}
			if r < len(h) && less(h[r], h[m]) {
				m = r
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	normalizeVec(h)
	slices.SortFunc(h, func(a, b termWeight) int { return cmp.Compare(a.term, b.term) })
	return h
}

// tfWeight is the sublinear term frequency 1 + ln(n).
func (x *Index) tfWeight(n uint32) float64 {
	if n <= 1 {
		return 1
	}
	return 1 + x.ln(int(n))
}

func normalizeVec(v []termWeight) {
	var s float64
	for _, tw := range v {
		s += float64(tw.w) * float64(tw.w)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i].w *= inv
	}
}

// Reweight recomputes every page's TF-IDF weights with the current
// document frequencies. Pages added early in a bulk load were weighed
// against a smaller site; call Reweight once after loading.
func (x *Index) Reweight() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := range x.pages {
		v := x.pages[i].vec
		for j := range v {
			v[j].w = float32(x.tfWeight(v[j].tf) * x.idf(v[j].term))
		}
		normalizeVec(v)
	}
}

func cosine(a, b []termWeight) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			s += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		}
	}
	return s
}

func unit(v []float32) []float32 {
	var s float64
	for _, f := range v {
		s += float64(f) * float64(f)
	}
	out := make([]float32, len(v))
	if s == 0 {
		return out
	}
	inv := 1 / math.Sqrt(s)
	for i, f := range v {
		out[i] = float32(float64(f) * inv)
	}
	return out
}

func dot(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func joinWords(w []string) string {
	n := len(w)
	for _, s := range w {
		n += len(s)
	}
	b := make([]byte, 0, n)
	for i, s := range w {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, s...)
	}
	return string(b)
}

// Commit records the anchors of applied suggestions, so that later
// suggestions vary the anchors each target gets across sources.
func (x *Index) Commit(s []Suggestion) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, sg := range s {
		if _, ok := x.byID[sg.TargetID]; !ok {
			continue
		}
		st := x.anchors[sg.TargetID]
		if st == nil {
			st = &anchorStats{by: map[string]uint32{}}
			x.anchors[sg.TargetID] = st
		}
		st.total++
		st.by[normalizePhrase(sg.Anchor)]++
	}
}

// Loader returns a page of the site with its HTML, for inbound suggestions
// from pages the index holds only in summary. It is called from several
// goroutines at once.
type Loader func(ctx context.Context, id string) (Page, error)

// Update is the outcome of adding one page: its own outbound links, and
// links from existing pages to it.
type Update struct {
	Outbound Plan
	// Inbound holds one plan per existing page examined, each with at most
	// one suggestion (to the added page) or the skip that refused it.
	Inbound []Plan
}

// Upsert adds or replaces p and returns its outbound suggestions and the
// inbound suggestions from existing pages whose linkable text holds one of
// p's phrases. Candidates come from the inverted index (pages holding
// every term of a phrase), ranked by relevance; the best
// Options.MaxInboundSources are loaded with load and checked against the
// rules. Nothing else of the site is read.
func (x *Index) Upsert(ctx context.Context, p Page, load Loader) (Update, error) {
	const op = "linking.Index.Upsert"
	if err := validatePage(op, p); err != nil {
		return Update{}, err
	}
	if err := ctx.Err(); err != nil {
		return Update{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	d := analyze([]byte(p.HTML))
	if err := x.add(op, p, d); err != nil {
		return Update{}, err
	}
	x.mu.RLock()
	out := x.plan(d, p, "")
	x.mu.RUnlock()
	in, err := x.Inbound(ctx, p.ID, load)
	if err != nil {
		return Update{}, err
	}
	return Update{Outbound: out, Inbound: in}, nil
}

// Inbound returns suggestions from existing pages to the page id.
func (x *Index) Inbound(ctx context.Context, id string, load Loader) ([]Plan, error) {
	const op = "linking.Index.Inbound"
	if load == nil {
		return nil, igny8.InvalidArgument(op, "load", "is required")
	}
	sources, err := x.inboundSources(op, id)
	if err != nil {
		return nil, err
	}
	// Load and check the sources on every core: each is independent.
	plans := make([]Plan, len(sources))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, sid := range sources {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return igny8.Wrap(igny8.CodeUnavailable, op, err)
			}
			sp, err := load(gctx, sid)
			if err != nil {
				return igny8.Wrap(igny8.CodeInternal, op, fmt.Errorf("load page %q: %w", sid, err))
			}
			plan, err := x.suggest(op, sp, id)
			if err != nil {
				return err
			}
			plans[i] = plan
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return plans, nil
}

// inboundSources ranks the pages that hold all terms of one of the
// target's phrases in linkable text.
func (x *Index) inboundSources(op, id string) ([]string, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	t, ok := x.byID[id]
	if !ok {
		return nil, igny8.NotFound(op, "page", id)
	}
	te := &x.pages[t]
	score := map[uint32]float64{}
	for pi, ph := range te.phrases {
		lists := make([][]uint32, len(ph))
		for i, term := range ph {
			lists[i] = x.postings[term]
		}
		slices.SortFunc(lists, func(a, b []uint32) int { return cmp.Compare(len(a), len(b)) })
		cand := lists[0]
		for _, l := range lists[1:] {
			cand = intersect(cand, l)
			if len(cand) == 0 {
				break
			}
		}
		kw := 1.0
		if pi > 0 {
			kw = 0.7
		}
		hs := te.phraseHashes[pi]
	cands:
		for _, s := range cand {
			if s == t || x.pages[s].deleted {
				continue
			}
			for i := 1; i < len(hs); i++ {
				if !x.pages[s].bigrams.has(bigramKey(hs[i-1], hs[i])) {
					continue cands
				}
			}
			if score[s] < kw {
				score[s] = kw
			}
		}
	}
	type sc struct {
		ord uint32
		s   float64
	}
	ranked := make([]sc, 0, len(score))
	w := x.opts.Weights
	for s, kw := range score {
		se := &x.pages[s]
		v := w.Keyword*kw + w.TFIDF*cosine(se.vec, te.vec) + w.Cluster*x.clusterSignal(se, s, te, t)
		if len(se.emb) > 0 && len(te.emb) > 0 {
			v += w.Vector * max(0, dot(se.emb, te.emb))
		}
		ranked = append(ranked, sc{s, v})
	}
	slices.SortFunc(ranked, func(a, b sc) int {
		if c := cmp.Compare(b.s, a.s); c != 0 {
			return c
		}
		return cmp.Compare(a.ord, b.ord)
	})
	if len(ranked) > x.opts.MaxInboundSources {
		ranked = ranked[:x.opts.MaxInboundSources]
	}
	out := make([]string, len(ranked))
	for i, r := range ranked {
		out[i] = x.pages[r.ord].id
	}
	return out, nil
}

func intersect(a, b []uint32) []uint32 {
	out := make([]uint32, 0, min(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// clusterSignal scores the cluster relation of a source to a target.
func (x *Index) clusterSignal(se *pageEntry, s uint32, te *pageEntry, t uint32) float64 {
	if se.cluster < 0 || se.cluster != te.cluster {
		return 0
	}
	switch {
	case te.pillar && !se.pillar:
		return 1
	case se.pillar && !te.pillar:
		return 0.8
	}
	return 0.4
}
