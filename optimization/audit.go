package optimization

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/igny8/sdk/igny8"
)

// PageInput is one page of a site for Audit.
type PageInput struct {
	// ID names the page in the report (its URL or content ID); required
	// and unique.
	ID string `json:"id"`
	// Importance scales the page's gain, for example by its monthly
	// impressions; 0 means 1.
	Importance float64 `json:"importance,omitempty"`
	Input
}

// PageReport is one page's result in an audit.
type PageReport struct {
	ID string `json:"id"`
	// Gain is how many score points fixing every problem would add,
	// (100 − SEO) + (100 − Readability), times the page's importance.
	Gain float64 `json:"gain"`
	Result
}

// DuplicateGroup is a value several pages share.
type DuplicateGroup struct {
	// Value is the shared text, trimmed, with runs of spaces collapsed.
	Value string   `json:"value"`
	Pages []string `json:"pages"`
}

// AuditReport is the analysis of a whole site.
type AuditReport struct {
	// Pages are sorted by Gain, largest first, then by ID.
	Pages []PageReport `json:"pages"`
	// DuplicateTitles and DuplicateMetaDescriptions group pages whose SEO
	// titles or meta descriptions are equal ignoring case and spacing;
	// SharedKeyphrases groups pages that target the same keyphrase (equal
	// content-word stems in any order).
	DuplicateTitles           []DuplicateGroup `json:"duplicate_titles"`
	DuplicateMetaDescriptions []DuplicateGroup `json:"duplicate_meta_descriptions"`
	SharedKeyphrases          []DuplicateGroup `json:"shared_keyphrases"`
	// Issues counts, per check, the pages that fail or warn on it, the
	// check whose fixing would gain most across the site first.
	Issues []IssueSummary `json:"issues"`
	// MeanSEO and MeanReadability average the pages' scores.
	MeanSEO         float64 `json:"mean_seo"`
	MeanReadability float64 `json:"mean_readability"`
}

// IssueSummary is one check's problems across a site.
type IssueSummary struct {
	ID       CheckID  `json:"id"`
	Category Category `json:"category"`
	Fail     int      `json:"fail"`
	Warn     int      `json:"warn"`
	// Gain sums the points the pages' category scores would rise, each
	// times its page's importance.
	Gain float64 `json:"gain"`
	// Pages lists the pages with the problem, most gain first (at most 20).
	Pages []string `json:"pages"`
}

// maxIssuePages bounds IssueSummary.Pages.
const maxIssuePages = 20

// maxOtherPages bounds how many same-keyphrase pages Audit passes each page
// for the cannibalization check.
const maxOtherPages = 100

const opAudit = "optimization.Audit"

// Audit analyses every page of a site, sorts them by what fixing them
// would gain, and finds titles, meta descriptions and keyphrases that
// several pages share. Each page's cannibalization check also sees the
// keyphrases of the other audited pages (up to 100 of them). Pages are
// analysed concurrently (Options.AuditWorkers). An invalid page fails the
// whole audit with an InvalidArgument error whose field is prefixed with
// "pages[i].".
func (a *Analyzer) Audit(ctx context.Context, pages []PageInput) (AuditReport, error) {
	seen := make(map[string]int, len(pages))
	for i, p := range pages {
		if strings.TrimSpace(p.ID) == "" {
			return AuditReport{}, igny8.InvalidArgument(opAudit, fmt.Sprintf("pages[%d].id", i), "is required")
		}
		if j, dup := seen[p.ID]; dup {
			return AuditReport{}, igny8.InvalidArgument(opAudit, fmt.Sprintf("pages[%d].id", i), "%q repeats pages[%d].id", p.ID, j)
		}
		if p.Importance < 0 {
			return AuditReport{}, igny8.InvalidArgument(opAudit, fmt.Sprintf("pages[%d].importance", i), "must not be negative, got %v", p.Importance)
		}
		seen[p.ID] = i
	}
	keyGroups, err := a.keyphraseGroups(pages)
	if err != nil {
		return AuditReport{}, err
	}

	reports := make([]PageReport, len(pages))
	errs := make([]error, len(pages))
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(a.workers, len(pages)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() && ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(pages) {
					return
				}
				in := pages[i].Input
				if others := keyGroups.others(i, pages); len(others) > 0 {
					in.OtherKeyphrases = append(slices.Clip(in.OtherKeyphrases), others...)
				}
				r, err := a.Analyze(in)
				if err != nil {
					errs[i] = err
					failed.Store(true)
					return
				}
				imp := pages[i].Importance
				if imp == 0 {
					imp = 1
				}
				reports[i] = PageReport{ID: pages[i].ID, Gain: imp * float64(200-r.SEO-r.Readability), Result: r}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return AuditReport{}, pageError(i, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return AuditReport{}, fmt.Errorf("%s: %w", opAudit, err)
	}

	rep := AuditReport{Pages: reports}
	slices.SortStableFunc(rep.Pages, func(x, y PageReport) int {
		if c := cmp.Compare(y.Gain, x.Gain); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	for _, p := range rep.Pages {
		rep.MeanSEO += float64(p.SEO)
		rep.MeanReadability += float64(p.Readability)
	}
	if n := float64(len(pages)); n > 0 {
		rep.MeanSEO = roundTo(rep.MeanSEO/n, 2)
		rep.MeanReadability = roundTo(rep.MeanReadability/n, 2)
	}
	rep.Issues = issues(rep.Pages, pages, seen)
	rep.DuplicateTitles = duplicates(pages, func(p *PageInput) string { return p.Title })
	rep.DuplicateMetaDescriptions = duplicates(pages, func(p *PageInput) string { return p.MetaDescription })
	rep.SharedKeyphrases = keyGroups.report(pages)
	return rep, nil
}

// issues sums the problems of the pages, which are sorted by gain.
func issues(reports []PageReport, pages []PageInput, index map[string]int) []IssueSummary {
	byID := map[CheckID]int{}
	var out []IssueSummary
	for _, p := range reports {
		imp := pages[index[p.ID]].Importance
		if imp == 0 {
			imp = 1
		}
		for _, c := range p.Checks {
			if c.Status == StatusPass {
				continue
			}
			i, ok := byID[c.ID]
			if !ok {
				i = len(out)
				byID[c.ID] = i
				out = append(out, IssueSummary{ID: c.ID, Category: c.Category})
			}
			is := &out[i]
			if c.Status == StatusFail {
				is.Fail++
			} else {
				is.Warn++
			}
			is.Gain += c.Gain * imp
			if len(is.Pages) < maxIssuePages {
				is.Pages = append(is.Pages, p.ID)
			}
		}
	}
	for i := range out {
		out[i].Gain = roundTo(out[i].Gain, 2)
	}
	slices.SortStableFunc(out, func(x, y IssueSummary) int {
		if c := cmp.Compare(y.Gain, x.Gain); c != 0 {
			return c
		}
		return strings.Compare(string(x.ID), string(y.ID))
	})
	return out
}

func pageError(i int, err error) error {
	var e *igny8.Error
	if errors.As(err, &e) && e.Code == igny8.CodeInvalidArgument {
		field := fmt.Sprintf("pages[%d]", i)
		if e.Field != "" {
			field += "." + e.Field
		}
		return igny8.InvalidArgument(opAudit, field, "%s", e.Message)
	}
	return fmt.Errorf("%s: pages[%d]: %w", opAudit, i, err)
}

// keyGroups maps each page to the group of pages sharing its normalized
// keyphrase.
type keyGroups struct {
	group   []int   // page index → group index, -1 without keyphrase
	members [][]int // group index → page indexes
	keys    []string
}

func (a *Analyzer) keyphraseGroups(pages []PageInput) (*keyGroups, error) {
	g := &keyGroups{group: make([]int, len(pages))}
	byKey := map[string]int{}
	st := a.pool.Get().(*state)
	defer a.pool.Put(st)
	for i := range pages {
		g.group[i] = -1
		if strings.TrimSpace(pages[i].Keyphrase) == "" {
			continue
		}
		lang, err := a.language(pages[i].Locale)
		if err != nil {
			return nil, pageError(i, err)
		}
		st.lang = lang
		st.sc.Init(lang, "")
		key := lang.Tag() + ":" + st.normalize(pages[i].Keyphrase)
		gi, ok := byKey[key]
		if !ok {
			gi = len(g.members)
			byKey[key] = gi
			g.members = append(g.members, nil)
			g.keys = append(g.keys, strings.Join(strings.Fields(strings.ToLower(pages[i].Keyphrase)), " "))
		}
		g.group[i] = gi
		g.members[gi] = append(g.members[gi], i)
	}
	return g, nil
}

// others returns the pages, other than i, that share i's keyphrase.
func (g *keyGroups) others(i int, pages []PageInput) []TargetedKeyphrase {
	gi := g.group[i]
	if gi < 0 || len(g.members[gi]) < 2 {
		return nil
	}
	var out []TargetedKeyphrase
	for _, j := range g.members[gi] {
		if j != i && len(out) < maxOtherPages {
			out = append(out, TargetedKeyphrase{Keyphrase: pages[j].Keyphrase, Page: pages[j].ID})
		}
	}
	return out
}

func (g *keyGroups) report(pages []PageInput) []DuplicateGroup {
	var out []DuplicateGroup
	for gi, m := range g.members {
		if len(m) < 2 {
			continue
		}
		d := DuplicateGroup{Value: g.keys[gi]}
		for _, i := range m {
			d.Pages = append(d.Pages, pages[i].ID)
		}
		out = append(out, d)
	}
	sortGroups(out)
	return out
}

// duplicates groups pages by a normalized text field; empty values are
// not duplicates.
func duplicates(pages []PageInput, field func(*PageInput) string) []DuplicateGroup {
	index := map[string]int{}
	var groups []DuplicateGroup
	for i := range pages {
		v := strings.Join(strings.Fields(field(&pages[i])), " ")
		if v == "" {
			continue
		}
		key := strings.ToLower(v)
		gi, ok := index[key]
		if !ok {
			gi = len(groups)
			index[key] = gi
			groups = append(groups, DuplicateGroup{Value: v})
		}
		groups[gi].Pages = append(groups[gi].Pages, pages[i].ID)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Pages) > 1 {
			out = append(out, g)
		}
	}
	sortGroups(out)
	return out
}

// sortGroups puts the largest groups first, then orders by value.
func sortGroups(gs []DuplicateGroup) {
	slices.SortFunc(gs, func(x, y DuplicateGroup) int {
		if c := cmp.Compare(len(y.Pages), len(x.Pages)); c != 0 {
			return c
		}
		return strings.Compare(x.Value, y.Value)
	})
}

func roundTo(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}

func defaultWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }
