package optimization

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/textstat"
)

// ContentType is the kind of page analysed; it sets the minimum text
// length.
type ContentType string

// The content types, as in the content package.
const (
	TypePost     ContentType = "post"
	TypePage     ContentType = "page"
	TypeProduct  ContentType = "product"
	TypeService  ContentType = "service"
	TypeTaxonomy ContentType = "taxonomy"
)

// Input is one page to analyse. Only HTML is required; checks whose input
// is missing report what to add.
type Input struct {
	// HTML is the page's content (a fragment or a whole document).
	HTML string `json:"html"`
	// Keyphrase is the focus keyphrase; Synonyms are accepted in its place
	// (and counted with it for density).
	Keyphrase string   `json:"keyphrase,omitempty"`
	Synonyms  []string `json:"synonyms,omitempty"`
	// Title is the SEO title, MetaDescription the meta description, Slug
	// the last path element of the page's URL.
	Title           string `json:"title,omitempty"`
	MetaDescription string `json:"meta_description,omitempty"`
	Slug            string `json:"slug,omitempty"`
	// Type defaults to TypePost. Cornerstone pages need at least 900 words.
	Type        ContentType `json:"type,omitempty"`
	Cornerstone bool        `json:"cornerstone,omitempty"`
	// Locale is a BCP 47 tag ("en", "en-GB"); its language must be known
	// to the Analyzer. Empty means "en".
	Locale string `json:"locale,omitempty"`
	// SiteHost is the site's host name ("example.com"); links to it, with or
	// without "www.", and relative links are internal. A URL is accepted and
	// reduced to its host.
	SiteHost string `json:"site_host,omitempty"`
	// OtherKeyphrases are the focus keyphrases of the site's other pages,
	// for the cannibalization check.
	OtherKeyphrases []TargetedKeyphrase `json:"other_keyphrases,omitempty"`
}

// TargetedKeyphrase is a keyphrase another page of the site targets.
type TargetedKeyphrase struct {
	Keyphrase string `json:"keyphrase"`
	// Page names the page (its URL or ID) in messages.
	Page string `json:"page"`
}

// Status is a check's verdict.
type Status string

// The verdicts, and the score each one gives a check.
const (
	StatusPass Status = "pass" // score 100
	StatusWarn Status = "warn" // score 50
	StatusFail Status = "fail" // score 0
)

// Score returns the check score of a verdict: 100, 50 or 0.
func (s Status) Score() int {
	switch s {
	case StatusPass:
		return 100
	case StatusWarn:
		return 50
	}
	return 0
}

// Category groups checks into the two scores.
type Category string

// The categories.
const (
	CategorySEO         Category = "seo"
	CategoryReadability Category = "readability"
)

// Check is one assessment of a page.
type Check struct {
	ID       CheckID  `json:"id"`
	Category Category `json:"category"`
	Status   Status   `json:"status"`
	// Score is 100 for pass, 50 for warn, 0 for fail.
	Score int `json:"score"`
	// Weight is the check's share in its category score.
	Weight int `json:"weight"`
	// Gain is how many points the category score would rise if this check
	// passed.
	Gain float64 `json:"gain"`
	// Value is what the check measured, in the unit its ID documents.
	Value float64 `json:"value"`
	// Message says what was found and what to change.
	Message string `json:"message"`
}

// Stats are the counts the checks were computed from.
type Stats struct {
	Words          int     `json:"words"`
	Sentences      int     `json:"sentences"`
	Paragraphs     int     `json:"paragraphs"`
	Subheadings    int     `json:"subheadings"`
	Images         int     `json:"images"`
	InternalLinks  int     `json:"internal_links"`
	OutboundLinks  int     `json:"outbound_links"`
	Syllables      int     `json:"syllables"`
	ReadingEase    float64 `json:"reading_ease"`
	KeyphraseCount int     `json:"keyphrase_count"`
	Density        float64 `json:"density"`
	TitleWidth     float64 `json:"title_width_px"`
}

// Result is the analysis of one page.
type Result struct {
	// SEO and Readability are weighted means of their checks' scores,
	// 0–100.
	SEO         int     `json:"seo"`
	Readability int     `json:"readability"`
	Checks      []Check `json:"checks"`
	Stats       Stats   `json:"stats"`
}

// Check returns the check with the given id and whether it ran.
func (r Result) Check(id CheckID) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// Problems returns the checks that did not pass, the one that would gain
// most first.
func (r Result) Problems() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status != StatusPass {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Gain > out[j].Gain })
	return out
}

// Options configure an Analyzer. The zero value is ready to use.
type Options struct {
	// Languages adds languages, or replaces a built-in one with the same
	// Tag. English is built in.
	Languages []textstat.Language
	// MaxHTMLBytes bounds Input.HTML; 0 means DefaultMaxHTMLBytes.
	MaxHTMLBytes int
	// AuditWorkers is how many pages Audit analyses at once; 0 means
	// GOMAXPROCS.
	AuditWorkers int
}

// DefaultMaxHTMLBytes is the largest HTML an Analyzer accepts by default.
const DefaultMaxHTMLBytes = 8 << 20

// Analyzer scores pages. It is safe for concurrent use and keeps scratch
// buffers between calls, so share one.
type Analyzer struct {
	langs   map[string]textstat.Language
	maxHTML int
	workers int
	pool    sync.Pool
}

// NewAnalyzer returns an Analyzer with the built-in languages and those in
// opts.
func NewAnalyzer(opts Options) *Analyzer {
	a := &Analyzer{langs: map[string]textstat.Language{}, maxHTML: opts.MaxHTMLBytes}
	if a.maxHTML <= 0 {
		a.maxHTML = DefaultMaxHTMLBytes
	}
	a.workers = opts.AuditWorkers
	if a.workers <= 0 {
		a.workers = defaultWorkers()
	}
	en := textstat.English()
	a.langs[en.Tag()] = en
	for _, l := range opts.Languages {
		if l != nil {
			a.langs[strings.ToLower(l.Tag())] = l
		}
	}
	a.pool.New = func() any { return &state{} }
	return a
}

// Limits on keyphrases, so that matching stays linear with small masks.
const (
	maxKeyphraseWords = 64
	maxSynonyms       = 32
)

const opAnalyze = "optimization.Analyze"

// Analyze scores one page. It returns an InvalidArgument error for an
// unknown content type or locale, HTML over the size limit, or a keyphrase
// or synonym of more than 64 words.
func (a *Analyzer) Analyze(in Input) (Result, error) {
	lang, err := a.language(in.Locale)
	if err != nil {
		return Result{}, err
	}
	if in.Type == "" {
		in.Type = TypePost
	}
	if _, ok := typeMinWords(in.Type); !ok {
		return Result{}, igny8.InvalidArgument(opAnalyze, "type", "unknown content type %q; want post, page, product, service or taxonomy", in.Type)
	}
	if len(in.HTML) > a.maxHTML {
		return Result{}, igny8.InvalidArgument(opAnalyze, "html", "is %d bytes, more than the limit of %d", len(in.HTML), a.maxHTML)
	}
	if len(in.Synonyms) > maxSynonyms {
		return Result{}, igny8.InvalidArgument(opAnalyze, "synonyms", "has %d entries, at most %d", len(in.Synonyms), maxSynonyms)
	}
	st := a.pool.Get().(*state)
	defer a.put(st)
	st.lang = lang
	st.sc.Init(lang, "")
	if err := st.setKeyphrase(in.Keyphrase, in.Synonyms); err != nil {
		return Result{}, err
	}
	st.doc.parse(in.HTML, hostOf(in.SiteHost))
	st.measure()
	return st.result(&in), nil
}

// maxPooledBytes bounds the buffers a pooled state keeps, so that one huge
// page does not pin its memory.
const maxPooledBytes = 1 << 20

// put returns st to the pool without references to the page it analysed.
func (a *Analyzer) put(st *state) {
	st.text, st.prevFirst = "", ""
	clear(st.words[:cap(st.words)])
	st.words = st.words[:0]
	st.sc.Reset("")
	if cap(st.doc.text) > maxPooledBytes || cap(st.doc.alts) > maxPooledBytes {
		st.doc = doc{}
	}
	if cap(st.words) > maxPooledBytes/16 {
		st.words = nil
	}
	a.pool.Put(st)
}

func (a *Analyzer) language(locale string) (textstat.Language, error) {
	tag := strings.ToLower(locale)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "" {
		tag = "en"
	}
	if l, ok := a.langs[tag]; ok {
		return l, nil
	}
	known := make([]string, 0, len(a.langs))
	for t := range a.langs {
		known = append(known, t)
	}
	sort.Strings(known)
	return nil, igny8.InvalidArgument(opAnalyze, "locale", "language %q is not supported; supported: %s", locale, strings.Join(known, ", "))
}

// hostOf reduces "https://www.example.com:8080/x" to "www.example.com".
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	s = strings.TrimPrefix(s, "//")
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && strings.IndexByte(s, ']') < i {
		s = s[:i]
	}
	return s
}

// typeMinWords is the text length each content type needs.
func typeMinWords(t ContentType) (int, bool) {
	switch t {
	case TypePost, TypePage, TypeService:
		return 300, true
	case TypeProduct:
		return 200, true
	case TypeTaxonomy:
		return 30, true
	}
	return 0, false
}

// CornerstoneMinWords is the text length a cornerstone page needs.
const CornerstoneMinWords = 900

// MinWords returns the number of words a page of type t needs.
func MinWords(t ContentType, cornerstone bool) int {
	n, _ := typeMinWords(t)
	if cornerstone && n < CornerstoneMinWords {
		n = CornerstoneMinWords
	}
	return n
}

func pct(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
