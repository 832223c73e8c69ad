package siteaudit

import (
	"context"
	"errors"
	"testing"

	"github.com/igny8/sdk/igny8"
)

// fakeFetcher answers from a map of pages.
type fakeFetcher map[string]Page

func (f fakeFetcher) Fetch(ctx context.Context, urls []string) ([]Page, error) {
	out := make([]Page, len(urls))
	for i, u := range urls {
		p, ok := f[u]
		if !ok {
			p = Page{URL: u, Error: "connection refused"}
		}
		out[i] = p
	}
	return out, nil
}

func competitor(u, text string, headings ...string) Page {
	p := Page{URL: u, Status: 200, Text: text}
	p.Words = len(splitWords(text))
	for _, h := range headings {
		p.Headings = append(p.Headings, Heading{Level: 2, Text: h})
	}
	return p
}

func splitWords(s string) []string {
	var out []string
	w := ""
	for _, r := range s + " " {
		if r == ' ' || r == '\n' {
			if w != "" {
				out = append(out, w)
			}
			w = ""
			continue
		}
		w += string(r)
	}
	return out
}

func TestTerms(t *testing.T) {
	pages := fakeFetcher{
		"https://a.test/": competitor("https://a.test/", "Trail running shoes need grip. The outsole grip matters on mud.\nCushioning helps too.", "How to choose trail running shoes", "Grip"),
		"https://b.test/": competitor("https://b.test/", "Good trail running shoes have grip and a rock plate. Waterproof uppers.", "How To Choose Trail Running Shoes!", "Fit"),
		"https://c.test/": competitor("https://c.test/", "Road shoes differ. Trail running shoes: grip, drop, and fit.", "Fit"),
	}
	var asked int
	src := SERPFunc(func(ctx context.Context, kw string, n int) ([]string, error) {
		asked = n
		return []string{"https://a.test/", "https://b.test/", "https://c.test/", "https://down.test/"}, nil
	})
	rep, err := Terms(context.Background(), src, pages, "trail running shoes", TermOptions{Pages: 4})
	if err != nil {
		t.Fatal(err)
	}
	if asked != 4 || rep.Read != 3 || len(rep.Pages) != 4 || rep.Pages[3].Error == "" {
		t.Errorf("asked %d read %d pages %+v", asked, rep.Read, rep.Pages)
	}
	got := map[string]Term{}
	for _, term := range rep.Terms {
		got[term.Text] = term
	}
	tests := []struct {
		term  string
		pages int
	}{
		{"trail running", 3},
		{"running shoes", 3},
		{"grip", 3},
		{"shoes", 3},
	}
	for _, tc := range tests {
		if g, ok := got[tc.term]; !ok || g.Pages != tc.pages {
			t.Errorf("term %q = %+v (found %v), want on %d pages", tc.term, g, ok, tc.pages)
		}
	}
	for _, bad := range []string{"the", "and", "have", "cushioning", "mud", "shoes need"} {
		if _, ok := got[bad]; ok {
			t.Errorf("term %q should not be shared", bad)
		}
	}
	if rep.Terms[0].Pages != 3 || rep.Terms[0].Words != 2 {
		t.Errorf("first term = %+v, want a two-word phrase on all pages", rep.Terms[0])
	}
	if !got["grip"].InH {
		t.Error("grip is in a heading")
	}
	heads := map[string]int{}
	for _, h := range rep.Headings {
		heads[h.Text] = h.Pages
	}
	if heads["how to choose trail running shoes"] != 2 || heads["fit"] != 2 || heads["grip"] != 0 {
		t.Errorf("headings = %v", rep.Headings)
	}
	if rep.MedianWords == 0 {
		t.Error("median words = 0")
	}
}

func TestTermsErrors(t *testing.T) {
	boom := errors.New("serp down")
	src := SERPFunc(func(ctx context.Context, kw string, n int) ([]string, error) { return nil, boom })
	tests := []struct {
		name    string
		src     SERPSource
		f       Fetcher
		keyword string
		code    igny8.Code
	}{
		{"no keyword", src, fakeFetcher{}, "  ", igny8.CodeInvalidArgument},
		{"no source", nil, fakeFetcher{}, "x", igny8.CodeInvalidArgument},
		{"source fails", src, fakeFetcher{}, "x", igny8.CodeUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Terms(context.Background(), tc.src, tc.f, tc.keyword, TermOptions{})
			if igny8.CodeOf(err) != tc.code {
				t.Errorf("err = %v, want code %s", err, tc.code)
			}
		})
	}
}
