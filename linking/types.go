package linking

import (
	"strings"
)

// Page is the input of the linker: one page of a site with its HTML and the
// keywords it ranks for.
type Page struct {
	ID    string
	URL   string
	Title string
	HTML  string
	// PrimaryKeyword and SecondaryKeywords are the phrases other pages may
	// use as anchor text to link here.
	PrimaryKeyword    string
	SecondaryKeywords []string
	// ClusterID groups pages of one topic; the cluster's IsPillar page is
	// its hub.
	ClusterID string
	IsPillar  bool
	Published bool
	// Embedding is an optional vector of the page (any dimension, the same
	// for every page of the index); nil leaves vector similarity out.
	Embedding []float32
}

// RuleID names the rule that skipped a candidate link.
type RuleID string

// The rules. Each skipped candidate in a Plan carries one of them.
const (
	RuleSelfLink       RuleID = "self_link"
	RuleOnePerTarget   RuleID = "one_link_per_target"
	RulePageCap        RuleID = "links_per_page"
	RuleInHeading      RuleID = "in_heading"
	RuleInLink         RuleID = "in_existing_link"
	RuleInCode         RuleID = "in_code"
	RuleInButton       RuleID = "in_button"
	RuleInAttribute    RuleID = "in_attribute"
	RuleUnsafeMarkup   RuleID = "unsafe_markup"
	RuleSameSentence   RuleID = "one_link_per_sentence"
	RuleSentenceLinked RuleID = "sentence_has_link"
	RuleVagueAnchor    RuleID = "vague_anchor"
	RuleAnchorVariety  RuleID = "anchor_variety"
	RuleUnpublished    RuleID = "unpublished_target"
	RuleLowRelevance   RuleID = "low_relevance"
)

// Reason names one signal that made a target relevant.
type Reason string

// Reasons a suggestion carries.
const (
	ReasonPrimaryKeyword   Reason = "primary_keyword"
	ReasonSecondaryKeyword Reason = "secondary_keyword"
	ReasonTitle            Reason = "title"
	ReasonTFIDF            Reason = "tfidf"
	ReasonEmbedding        Reason = "embedding"
	ReasonToPillar         Reason = "member_to_pillar"
	ReasonToMember         Reason = "pillar_to_member"
	ReasonSameCluster      Reason = "same_cluster"
)

// LinkType classifies an inserted link by the page structure it serves.
type LinkType string

// Link types.
const (
	LinkContextual LinkType = "contextual"
	LinkToPillar   LinkType = "pillar"
	LinkToMember   LinkType = "cluster_member"
)

// Signals are the parts of a suggestion's score, each in [0, 1].
type Signals struct {
	Keyword float64 `json:"keyword"`
	TFIDF   float64 `json:"tfidf"`
	Vector  float64 `json:"vector"`
	Cluster float64 `json:"cluster"`
}

// Suggestion is one link the linker proposes: anchor text found in the
// source page's own text, where it is, and why the target fits.
type Suggestion struct {
	SourceID  string `json:"source_id"`
	TargetID  string `json:"target_id"`
	TargetURL string `json:"target_url"`
	// Anchor is the text to wrap, exactly as it appears in the source.
	Anchor string `json:"anchor"`
	// Start and End are the anchor's byte offsets in the source HTML.
	Start int `json:"start"`
	End   int `json:"end"`
	// Word is the anchor's position in words from the start of the text.
	Word    int      `json:"word"`
	Score   float64  `json:"score"`
	Signals Signals  `json:"signals"`
	Reasons []Reason `json:"reasons"`
	Type    LinkType `json:"type"`
}

// Skip is a candidate the rules refused, with the rule that refused it.
type Skip struct {
	TargetID string `json:"target_id"`
	Anchor   string `json:"anchor,omitempty"`
	Start    int    `json:"start"`
	Rule     RuleID `json:"rule"`
	Detail   string `json:"detail,omitempty"`
}

// Plan is the outcome of suggesting links for one source page.
type Plan struct {
	SourceID string `json:"source_id"`
	// Suggestions are the chosen links in document order.
	Suggestions []Suggestion `json:"suggestions"`
	// Skipped are the candidates the rules refused, one per target and
	// rule (the first place it applied).
	Skipped []Skip `json:"skipped"`
	// Words is the length of the page's text; Cap the links it may get.
	Words int `json:"words"`
	Cap   int `json:"cap"`

	// html and doc are the source and its analysis, which ApplyPlan reuses.
	html string
	doc  *doc
}

// SkippedBy returns the skips of one rule.
func (p Plan) SkippedBy(r RuleID) []Skip {
	var out []Skip
	for _, s := range p.Skipped {
		if s.Rule == r {
			out = append(out, s)
		}
	}
	return out
}

// Rules configures the linking rules. The zero value of each field means
// its default; a negative number turns a numeric rule off.
type Rules struct {
	// WordsPerLink scales the cap on links with the page's length: one
	// link per WordsPerLink words, at least one (default 250). The page's
	// existing internal links count against the cap.
	WordsPerLink int
	// MaxLinksPerPage is the hard maximum of links per page, existing
	// internal links included (default 12).
	MaxLinksPerPage int
	// AllowUnpublished lets unpublished pages be targets.
	AllowUnpublished bool
	// VagueAnchors are refused as anchor text (compared normalized);
	// nil means DefaultVagueAnchors.
	VagueAnchors []string
	// MaxAnchorShare caps the share of one anchor text among a target's
	// inbound links once it has AnchorVarietyAfter of them (default 0.5
	// and 3), so that anchors vary across sources.
	MaxAnchorShare     float64
	AnchorVarietyAfter int
	// EarlyFraction is the leading part of the text the first link is
	// placed in where a candidate allows (default 0.3).
	EarlyFraction float64
	// MinScore is the least relevance a suggestion needs (default 0.3).
	MinScore float64
	// MinAnchorWords and MaxAnchorWords bound an anchor's length in words
	// (defaults 1 and 8).
	MinAnchorWords int
	MaxAnchorWords int
}

// DefaultVagueAnchors are the anchors refused when Rules.VagueAnchors is nil.
func DefaultVagueAnchors() []string {
	return []string{
		"click here", "here", "read more", "learn more", "this article", "this post", "this page",
		"more", "link", "this link", "see more", "find out more", "more info", "more information",
		"continue reading", "check it out", "this", "that", "go here", "details", "website",
	}
}

// Weights weigh the relevance signals in a suggestion's score.
type Weights struct {
	Keyword float64
	TFIDF   float64
	Vector  float64
	Cluster float64
}

// Options configures an Index. The zero value is useful.
type Options struct {
	Rules   Rules
	Weights Weights
	// TopTerms is how many TF-IDF terms each page keeps (default 32).
	TopTerms int
	// MaxInboundSources caps the existing pages examined for inbound links
	// when a page is added (default 50).
	MaxInboundSources int
	// Hosts are the site's host names: absolute links to them count as
	// internal. Relative links always do.
	Hosts []string
	// MaxTargetsPerPhrase caps the targets one anchor phrase can point at;
	// a phrase shared by more pages is too generic to choose by (default
	// 64).
	MaxTargetsPerPhrase int
}

func (o Options) withDefaults() Options {
	r := &o.Rules
	if r.WordsPerLink == 0 {
		r.WordsPerLink = 250
	}
	if r.MaxLinksPerPage == 0 {
		r.MaxLinksPerPage = 12
	}
	if r.VagueAnchors == nil {
		r.VagueAnchors = DefaultVagueAnchors()
	}
	if r.MaxAnchorShare == 0 {
		r.MaxAnchorShare = 0.5
	}
	if r.AnchorVarietyAfter == 0 {
		r.AnchorVarietyAfter = 3
	}
	if r.EarlyFraction == 0 {
		r.EarlyFraction = 0.3
	}
	if r.MinScore == 0 {
		r.MinScore = 0.3
	}
	if r.MinAnchorWords == 0 {
		r.MinAnchorWords = 1
	}
	if r.MaxAnchorWords == 0 {
		r.MaxAnchorWords = 8
	}
	if o.Weights == (Weights{}) {
		o.Weights = Weights{Keyword: 0.45, TFIDF: 0.25, Vector: 0.15, Cluster: 0.15}
	}
	if o.TopTerms == 0 {
		o.TopTerms = 32
	}
	if o.MaxInboundSources == 0 {
		o.MaxInboundSources = 50
	}
	if o.MaxTargetsPerPhrase == 0 {
		o.MaxTargetsPerPhrase = 64
	}
	return o
}

// capFor returns the links a page of n words may hold.
func (r Rules) capFor(words int) int {
	c := r.MaxLinksPerPage
	if r.WordsPerLink > 0 {
		c = words / r.WordsPerLink
		if c < 1 {
			c = 1
		}
		if r.MaxLinksPerPage > 0 && c > r.MaxLinksPerPage {
			c = r.MaxLinksPerPage
		}
	}
	if c < 0 {
		c = 1 << 30
	}
	return c
}

func normalizePhrase(s string) string { return strings.Join(tokenize(s), " ") }

// normalizeURL reduces a URL to the form links are compared in: no scheme
// or host, no query or fragment, no trailing slash.
func normalizeURL(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	} else if strings.HasPrefix(u, "//") {
		u = u[2:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if len(u) > 1 {
		u = strings.TrimRight(u, "/")
	}
	return u
}
