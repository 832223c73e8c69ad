package siteaudit

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/igny8/sdk/igny8"
)

// SERPSource lists the URLs that rank for a keyword, best first. The host
// fills it from its rank tracker or search API.
type SERPSource interface {
	RankingURLs(ctx context.Context, keyword string, n int) ([]string, error)
}

// SERPFunc adapts a function to SERPSource.
type SERPFunc func(ctx context.Context, keyword string, n int) ([]string, error)

// RankingURLs calls f.
func (f SERPFunc) RankingURLs(ctx context.Context, keyword string, n int) ([]string, error) {
	return f(ctx, keyword, n)
}

// TermOptions configures Terms. The zero value is useful.
type TermOptions struct {
	// Pages is how many ranking URLs to read (default 10).
	Pages int
	// MinPages is how many pages must share a term or heading (default 2,
	// at most the pages read).
	MinPages int
	// MaxTerms caps the terms returned (default 50); MaxHeadings the
	// headings (default 30).
	MaxTerms    int
	MaxHeadings int
	// StopWords replaces the built-in English stop words when set.
	StopWords []string
}

// Term is a word or a two-word phrase the ranking pages share.
type Term struct {
	Text string `json:"text"`
	// Pages is how many pages use it (document frequency); Count how
	// often in all.
	Pages int  `json:"pages"`
	Count int  `json:"count"`
	Words int  `json:"words"`
	InH   bool `json:"in_headings,omitempty"`
}

// SharedHeading is a heading (normalized) several ranking pages use.
type SharedHeading struct {
	Text  string `json:"text"`
	Pages int    `json:"pages"`
}

// CompetitorPage sums one ranking page.
type CompetitorPage struct {
	URL      string    `json:"url"`
	Title    string    `json:"title,omitempty"`
	Words    int       `json:"words"`
	Headings []Heading `json:"headings,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// TermReport is what the pages ranking for a keyword cover, for idea and
// content briefs.
type TermReport struct {
	Keyword string           `json:"keyword"`
	Pages   []CompetitorPage `json:"pages"`
	// Read counts the pages that could be read.
	Read int `json:"read"`
	// MedianWords is the median length of the pages read.
	MedianWords int             `json:"median_words"`
	Terms       []Term          `json:"terms"`
	Headings    []SharedHeading `json:"headings"`
}

// Terms reads the pages that rank for keyword through the fetcher (under
// its safety rules) and returns the words, two-word phrases and headings
// they share: by document frequency, stop words removed, the keyword's
// own words left in.
func Terms(ctx context.Context, src SERPSource, f Fetcher, keyword string, opts TermOptions) (TermReport, error) {
	const op = "siteaudit.Terms"
	keyword = strings.TrimSpace(keyword)
	if keyword == "" {
		return TermReport{}, igny8.InvalidArgument(op, "keyword", "is required")
	}
	if src == nil || f == nil {
		return TermReport{}, igny8.InvalidArgument(op, "source", "a SERPSource and a Fetcher are required")
	}
	if opts.Pages <= 0 {
		opts.Pages = 10
	}
	if opts.MaxTerms <= 0 {
		opts.MaxTerms = 50
	}
	if opts.MaxHeadings <= 0 {
		opts.MaxHeadings = 30
	}
	urls, err := src.RankingURLs(ctx, keyword, opts.Pages)
	if err != nil {
		return TermReport{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	if len(urls) > opts.Pages {
		urls = urls[:opts.Pages]
	}
	pages, err := f.Fetch(ctx, urls)
	if err != nil {
		return TermReport{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	return termsOf(keyword, pages, opts), nil
}

func termsOf(keyword string, pages []Page, opts TermOptions) TermReport {
	stop := englishStopWords()
	if opts.StopWords != nil {
		stop = map[string]bool{}
		for _, w := range opts.StopWords {
			stop[strings.ToLower(w)] = true
		}
	}
	rep := TermReport{Keyword: keyword}
	type agg struct {
		pages, count, words int
		inH                 bool
	}
	terms := map[string]*agg{}
	heads := map[string]int{}
	var lengths []int
	for _, p := range pages {
		cp := CompetitorPage{URL: p.URL, Title: p.Title, Words: p.Words, Headings: p.Headings, Error: p.Error}
		if p.Error == "" && p.Status >= 400 {
			cp.Error = "HTTP " + strconv.Itoa(p.Status)
		}
		rep.Pages = append(rep.Pages, cp)
		if cp.Error != "" || p.Words == 0 {
			continue
		}
		rep.Read++
		lengths = append(lengths, p.Words)
		local := map[string]int{}
		inHead := map[string]bool{}
		for _, line := range strings.Split(p.Text, "\n") {
			countTerms(line, stop, local)
		}
		hseen := map[string]bool{}
		for _, h := range p.Headings {
			hl := map[string]int{}
			countTerms(h.Text, stop, hl)
			for t := range hl {
				inHead[t] = true
			}
			n := strings.Join(strings.FieldsFunc(strings.ToLower(h.Text), notWord), " ")
			if n != "" && !hseen[n] {
				hseen[n] = true
				heads[n]++
			}
		}
		for t, c := range local {
			a := terms[t]
			if a == nil {
				a = &agg{words: strings.Count(t, " ") + 1}
				terms[t] = a
			}
			a.pages++
			a.count += c
			a.inH = a.inH || inHead[t]
		}
	}
	minPages := opts.MinPages
	if minPages <= 0 {
		minPages = 2
	}
	minPages = max(1, min(minPages, rep.Read))
	for t, a := range terms {
		if a.pages >= minPages {
			rep.Terms = append(rep.Terms, Term{Text: t, Pages: a.pages, Count: a.count, Words: a.words, InH: a.inH})
		}
	}
	slices.SortFunc(rep.Terms, func(a, b Term) int {
		return cmp.Or(cmp.Compare(b.Pages, a.Pages), cmp.Compare(b.Words, a.Words), cmp.Compare(b.Count, a.Count), strings.Compare(a.Text, b.Text))
	})
	if len(rep.Terms) > opts.MaxTerms {
		rep.Terms = rep.Terms[:opts.MaxTerms]
	}
	for h, n := range heads {
		if n >= minPages {
			rep.Headings = append(rep.Headings, SharedHeading{Text: h, Pages: n})
		}
	}
	slices.SortFunc(rep.Headings, func(a, b SharedHeading) int {
		return cmp.Or(cmp.Compare(b.Pages, a.Pages), strings.Compare(a.Text, b.Text))
	})
	if len(rep.Headings) > opts.MaxHeadings {
		rep.Headings = rep.Headings[:opts.MaxHeadings]
	}
	if len(lengths) > 0 {
		slices.Sort(lengths)
		rep.MedianWords = lengths[len(lengths)/2]
	}
	return rep
}

func notWord(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
}

// countTerms adds the words of one line (a block of text) and its
// two-word phrases to counts. A phrase never spans a stop word or a
// sentence end.
func countTerms(line string, stop map[string]bool, counts map[string]int) {
	for _, sent := range strings.FieldsFunc(line, func(r rune) bool { return r == '.' || r == '!' || r == '?' || r == ';' || r == ':' }) {
		prev := ""
		for _, w := range strings.FieldsFunc(strings.ToLower(sent), notWord) {
			w = strings.Trim(w, "'-")
			if len([]rune(w)) < 2 || stop[w] || isNumber(w) {
				prev = ""
				continue
			}
			counts[w]++
			if prev != "" {
				counts[prev+" "+w]++
			}
			prev = w
		}
	}
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// englishStopWords returns the built-in stop words, a fresh set per call
// so that no caller can change another's.
func englishStopWords() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no
nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
you've your yours yourself yourselves also just will can may might must shall get got one two use used using like even
much many well way new`) {
		m[w] = true
	}
	return m
}
