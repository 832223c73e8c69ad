package linking

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/igny8/sdk/igny8"
)

// occurrence is one place a target's phrase appears in the source.
type occurrence struct {
	first, last int // word indexes
	kind        uint8
}

type candidate struct {
	target  uint32
	kind    uint8 // best phrase kind seen
	occ     []occurrence
	score   float64
	signals Signals
	reasons []Reason
	typ     LinkType
}

// Suggest returns the links p should get to other pages of the index,
// with the candidates the rules refused. p need not be in the index; if
// it is, its entry gives its vector and cluster.
func (x *Index) Suggest(ctx context.Context, p Page) (Plan, error) {
	const op = "linking.Index.Suggest"
	if err := ctx.Err(); err != nil {
		return Plan{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	return x.suggest(op, p, "")
}

// suggest plans links from p; a non-empty only restricts targets to that
// page.
func (x *Index) suggest(op string, p Page, only string) (Plan, error) {
	if err := validatePage(op, p); err != nil {
		return Plan{}, err
	}
	d := analyze([]byte(p.HTML))
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.plan(d, p, only), nil
}

func (x *Index) plan(d *doc, p Page, only string) Plan {
	r := x.opts.Rules
	plan := Plan{SourceID: p.ID, Words: d.textWords, html: p.HTML, doc: d}
	onlyOrd := int64(-1)
	if only != "" {
		o, ok := x.byID[only]
		if !ok {
			return plan
		}
		onlyOrd = int64(o)
	}

	// The source's entry, or one made for the call.
	src := pageEntry{id: p.ID, url: p.URL, normURL: normalizeURL(p.URL), cluster: -1, pillar: p.IsPillar}
	srcOrd := int64(-1)
	if o, ok := x.byID[p.ID]; ok {
		src = x.pages[o]
		srcOrd = int64(o)
	} else if c, ok := x.clusters[p.ClusterID]; ok && p.ClusterID != "" {
		src.cluster = c
	}

	// Hash the words; a page not in the index also needs its terms.
	hashes := make([]uint64, len(d.words))
	for i, w := range d.words {
		hashes[i] = wordHash(d.src[w.start:w.end])
	}
	if srcOrd < 0 {
		tf := map[uint32]uint32{}
		for i, w := range d.words {
			if t := x.lookupTerm(hashes[i]); w.ctx != ctxUnsafe && t != noTerm && !x.stop[t] {
				tf[t]++
			}
		}
		tws := make([]termWeight, 0, len(tf))
		for t, n := range tf {
			tws = append(tws, termWeight{term: t, tf: n})
		}
		src.vec = x.topTermsLocked(tws)
		if len(p.Embedding) > 0 {
			src.emb = unit(p.Embedding)
		}
	}

	// Existing links: which targets the page already links to, and how
	// many internal links it holds.
	linked := map[uint32]bool{}
	existingInternal := 0
	for _, h := range d.hrefs {
		u, internal := resolveInternal(p.URL, h, x.hosts)
		if !internal {
			continue
		}
		if t, ok := x.byURL[normalizeURL(u)]; ok {
			linked[t] = true
			existingInternal++
		}
	}
	plan.Cap = r.capFor(d.textWords)

	// Match phrases.
	cands := map[uint32]*candidate{}
	var order []uint32
	for i := range d.words {
		node := uint32(0)
		for j := i; j < len(d.words) && j-i < maxPhraseWords; j++ {
			if j > i && !d.words[j].glue {
				break
			}
			child, ok := x.trie.child(node, hashes[j])
			if !ok {
				break
			}
			node = child
			refs := x.trie.refs[node]
			if len(refs) > x.opts.MaxTargetsPerPhrase {
				refs = refs[:x.opts.MaxTargetsPerPhrase]
			}
			for _, ref := range refs {
				if onlyOrd >= 0 && int64(ref.page) != onlyOrd {
					continue
				}
				c := cands[ref.page]
				if c == nil {
					c = &candidate{target: ref.page, kind: ref.kind}
					cands[ref.page] = c
					order = append(order, ref.page)
				}
				c.kind = min(c.kind, ref.kind)
				c.occ = append(c.occ, occurrence{first: i, last: j, kind: ref.kind})
			}
		}
	}

	type skipKey struct {
		t    uint32
		rule RuleID
	}
	skipped := map[skipKey]bool{}
	skip := func(t uint32, anchor string, start int, rule RuleID, detail string) {
		key := skipKey{t, rule}
		if skipped[key] {
			return
		}
		skipped[key] = true
		plan.Skipped = append(plan.Skipped, Skip{TargetID: x.pages[t].id, Anchor: anchor, Start: start, Rule: rule, Detail: detail})
	}

	// Phrases only in attributes are reported, never linked.
	for _, a := range d.attrs {
		words := tokenize(a.text)
		ts := make([]uint64, len(words))
		for i, w := range words {
			ts[i] = hashString(w)
		}
		for i := range ts {
			node := uint32(0)
			for j := i; j < len(ts) && j-i < maxPhraseWords; j++ {
				child, ok := x.trie.child(node, ts[j])
				if !ok {
					break
				}
				node = child
				for _, ref := range x.trie.refs[node] {
					if (onlyOrd < 0 || int64(ref.page) == onlyOrd) && cands[ref.page] == nil {
						skip(ref.page, joinWords(words[i:j+1]), int(a.offset), RuleInAttribute, "text is in an attribute (alt or title)")
					}
				}
			}
		}
	}

	// Per target rules and scores.
	live := make([]*candidate, 0, len(order))
	for _, t := range order {
		c := cands[t]
		te := &x.pages[t]
		o := c.occ[0]
		anchor := string(d.src[d.words[o.first].start:d.words[o.last].end])
		start := int(d.words[o.first].start)
		switch {
		case int64(t) == srcOrd || te.normURL == src.normURL:
			skip(t, anchor, start, RuleSelfLink, "the target is the page itself")
			continue
		case !te.published && !r.AllowUnpublished:
			skip(t, anchor, start, RuleUnpublished, "the target is not published")
			continue
		case linked[t]:
			skip(t, anchor, start, RuleOnePerTarget, "the page already links to the target")
			continue
		}
		x.score(c, &src, t)
		if c.score < r.MinScore {
			skip(t, anchor, start, RuleLowRelevance, fmt.Sprintf("score %.3f is below %.3f", c.score, r.MinScore))
			continue
		}
		live = append(live, c)
	}
	slices.SortFunc(live, func(a, b *candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(x.pages[a.target].id, x.pages[b.target].id)
	})

	// Choose places: one link per target, one per sentence, none in a
	// sentence that already holds a link, the first link early.
	remaining := plan.Cap - existingInternal
	capDetail := fmt.Sprintf("the page holds its cap of %d links", plan.Cap)
	usedSent := map[int32]bool{}
	earlyLimit := int(float64(len(d.words)) * r.EarlyFraction)
	chosen := make([]bool, len(live))
	var picks []Suggestion
	var normBuf []byte
	place := func(ci int, c *candidate, earlyOnly bool) bool {
		var firstRule RuleID
		firstOcc := -1
		best := -1
		bestUse := uint32(0)
		st := x.anchors[x.pages[c.target].id]
		for k, o := range c.occ {
			if earlyOnly && o.first >= earlyLimit {
				break
			}
			w0 := d.words[o.first]
			normBuf = d.normPhrase(normBuf[:0], o.first, o.last)
			var rule RuleID
			n := o.last - o.first + 1
			switch {
			case w0.ctx != ctxOK:
				rule = w0.ctx.rule()
			case x.vague[string(normBuf)]:
				rule = RuleVagueAnchor
			case r.MinAnchorWords > 0 && n < r.MinAnchorWords || r.MaxAnchorWords > 0 && n > r.MaxAnchorWords:
				rule = RuleVagueAnchor
			case d.sentenceHasLink(w0.sent):
				rule = RuleSentenceLinked
			case usedSent[w0.sent]:
				rule = RuleSameSentence
			case overused(st, normBuf, r):
				rule = RuleAnchorVariety
			}
			if rule != "" {
				if firstOcc < 0 {
					firstRule, firstOcc = rule, k
				}
				continue
			}
			use := uint32(0)
			if st != nil {
				use = st.by[string(normBuf)]
			}
			if best < 0 || use < bestUse {
				best, bestUse = k, use
			}
			if use == 0 {
				break
			}
		}
		if best < 0 {
			if !earlyOnly && firstOcc >= 0 {
				o := c.occ[firstOcc]
				w0, w1 := d.words[o.first], d.words[o.last]
				anchor := string(d.src[w0.start:w1.end])
				skip(c.target, anchor, int(w0.start), firstRule, ruleDetail(firstRule, anchor, o.last-o.first+1))
			}
			return false
		}
		o := c.occ[best]
		w0, w1 := d.words[o.first], d.words[o.last]
		usedSent[w0.sent] = true
		te := &x.pages[c.target]
		picks = append(picks, Suggestion{
			SourceID: p.ID, TargetID: te.id, TargetURL: te.url,
			Anchor: string(d.src[w0.start:w1.end]), Start: int(w0.start), End: int(w1.end), Word: o.first,
			Score: c.score, Signals: c.signals, Reasons: c.reasons, Type: c.typ,
		})
		chosen[ci] = true
		return true
	}
	if remaining > 0 {
		for ci, c := range live {
			if place(ci, c, true) {
				remaining--
				break
			}
		}
	}
	for ci, c := range live {
		if chosen[ci] {
			continue
		}
		if remaining <= 0 {
			o := c.occ[0]
			skip(c.target, string(d.src[d.words[o.first].start:d.words[o.last].end]), int(d.words[o.first].start),
				RulePageCap, capDetail)
			continue
		}
		if place(ci, c, false) {
			remaining--
		}
	}
	slices.SortFunc(picks, func(a, b Suggestion) int { return cmp.Compare(a.Start, b.Start) })
	plan.Suggestions = picks
	return plan
}

// ruleDetail explains a rule that refused an anchor.
func ruleDetail(rule RuleID, anchor string, words int) string {
	switch rule {
	case RuleVagueAnchor:
		return fmt.Sprintf("anchor %q is vague or has a length (%d words) outside the bounds", anchor, words)
	case RuleSentenceLinked:
		return "the sentence already holds a link"
	case RuleSameSentence:
		return "another inserted link is in the sentence"
	case RuleAnchorVariety:
		return fmt.Sprintf("anchor %q already carries too large a share of the target's links", anchor)
	}
	return "anchor is inside markup where links are not placed"
}

func overused(st *anchorStats, norm []byte, r Rules) bool {
	if st == nil || r.MaxAnchorShare < 0 || r.AnchorVarietyAfter < 0 || int(st.total) < r.AnchorVarietyAfter {
		return false
	}
	return float64(st.by[string(norm)]+1)/float64(st.total+1) > r.MaxAnchorShare
}

// score fills the candidate's signals, score, reasons and type.
func (x *Index) score(c *candidate, src *pageEntry, t uint32) {
	te := &x.pages[t]
	w := x.opts.Weights
	var s Signals
	switch c.kind {
	case kindPrimary:
		s.Keyword = 1
		c.reasons = append(c.reasons, ReasonPrimaryKeyword)
	case kindSecondary:
		s.Keyword = 0.7
		c.reasons = append(c.reasons, ReasonSecondaryKeyword)
	default:
		s.Keyword = 0.5
		c.reasons = append(c.reasons, ReasonTitle)
	}
	s.TFIDF = cosine(src.vec, te.vec)
	if s.TFIDF >= 0.05 {
		c.reasons = append(c.reasons, ReasonTFIDF)
	}
	if len(src.emb) > 0 && len(te.emb) > 0 {
		s.Vector = max(0, dot(src.emb, te.emb))
		if s.Vector >= 0.5 {
			c.reasons = append(c.reasons, ReasonEmbedding)
		}
	}
	s.Cluster = x.clusterSignal(src, 0, te, t)
	c.typ = LinkContextual
	switch {
	case s.Cluster == 1:
		c.reasons = append(c.reasons, ReasonToPillar)
		c.typ = LinkToPillar
	case s.Cluster == 0.8:
		c.reasons = append(c.reasons, ReasonToMember)
		c.typ = LinkToMember
	case s.Cluster > 0:
		c.reasons = append(c.reasons, ReasonSameCluster)
	}
	c.signals = s
	c.score = w.Keyword*s.Keyword + w.TFIDF*s.TFIDF + w.Vector*s.Vector + w.Cluster*s.Cluster
}
