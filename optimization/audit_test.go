package optimization

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/igny8/sdk/igny8"
)

func auditPages() []PageInput {
	g := &gen{}
	good := g.text(120) + "<h2>Garden tools</h2>" + g.text(200) + `<p>Garden care matters. <a href="/soil">soil</a> <a href="https://rhs.org.uk">rhs</a></p><img src="a.jpg" alt="garden">`
	return []PageInput{
		{ID: "/good", Input: Input{HTML: "<p>A garden grows.</p>" + good, Keyphrase: "garden", Title: "Garden Guide for Small Spaces and Balconies", MetaDescription: "Same meta", Slug: "garden"}},
		{ID: "/empty", Input: Input{HTML: "<p>Hi.</p>", Title: "Garden Guide for small spaces and  balconies", MetaDescription: "same  META"}},
		{ID: "/thin", Input: Input{HTML: "<p>Gardens are nice.</p>", Keyphrase: "gardens", Title: "Other", MetaDescription: "Same meta"}},
		{ID: "/thin-important", Importance: 3, Input: Input{HTML: "<p>Gardens are nice.</p>", Keyphrase: "sheds", Title: "Sheds"}},
	}
}

func TestAudit(t *testing.T) {
	a := NewAnalyzer(Options{AuditWorkers: 3})
	pages := auditPages()
	rep, err := a.Audit(context.Background(), pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pages) != len(pages) {
		t.Fatalf("%d pages reported", len(rep.Pages))
	}
	for i, p := range rep.Pages {
		if i > 0 && p.Gain > rep.Pages[i-1].Gain {
			t.Errorf("pages not sorted by gain: %s (%v) after %s (%v)", p.ID, p.Gain, rep.Pages[i-1].ID, rep.Pages[i-1].Gain)
		}
		want := float64(200 - p.SEO - p.Readability)
		if p.ID == "/thin-important" {
			want *= 3
		}
		if p.Gain != want {
			t.Errorf("%s gain %v, want %v", p.ID, p.Gain, want)
		}
	}
	if rep.Pages[0].ID != "/thin-important" || rep.Pages[len(rep.Pages)-1].ID != "/good" {
		t.Errorf("order %v", ids(rep.Pages))
	}
	tests := []struct {
		name   string
		groups []DuplicateGroup
		want   string
	}{
		{"titles", rep.DuplicateTitles, "[{Garden Guide for Small Spaces and Balconies [/good /empty]}]"},
		{"meta descriptions", rep.DuplicateMetaDescriptions, "[{Same meta [/good /empty /thin]}]"},
		{"keyphrases", rep.SharedKeyphrases, "[{garden [/good /thin]}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprint(tt.groups); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	for _, p := range rep.Pages {
		c, ok := p.Check(CheckCannibalization)
		switch p.ID {
		case "/good", "/thin":
			if !ok || c.Status != StatusWarn {
				t.Errorf("%s cannibalization %+v, want warn", p.ID, c)
			}
		case "/thin-important":
			if !ok || c.Status != StatusPass {
				t.Errorf("%s cannibalization %+v, want pass", p.ID, c)
			}
		}
	}
	if rep.MeanSEO <= 0 || rep.MeanSEO > 100 {
		t.Errorf("MeanSEO %v", rep.MeanSEO)
	}
	if len(rep.Issues) == 0 {
		t.Fatal("no issues summarised")
	}
	for i, is := range rep.Issues {
		if i > 0 && is.Gain > rep.Issues[i-1].Gain {
			t.Errorf("issues not sorted by gain: %+v after %+v", is, rep.Issues[i-1])
		}
		if is.Fail+is.Warn != len(is.Pages) || is.Gain <= 0 {
			t.Errorf("issue %+v", is)
		}
	}
	var metaIssue *IssueSummary
	for i := range rep.Issues {
		if rep.Issues[i].ID == CheckMetaLength {
			metaIssue = &rep.Issues[i]
		}
	}
	if metaIssue == nil || metaIssue.Fail != 1 || metaIssue.Warn != 3 || metaIssue.Pages[0] != "/thin-important" {
		t.Errorf("meta description issue %+v, want 1 fail (/thin-important first) and 3 warns", metaIssue)
	}
	// The input is not modified.
	if len(pages[0].OtherKeyphrases) != 0 {
		t.Errorf("Audit changed its input: %+v", pages[0].OtherKeyphrases)
	}
}

func ids(ps []PageReport) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestAuditErrors(t *testing.T) {
	a := NewAnalyzer(Options{})
	tests := []struct {
		name  string
		pages []PageInput
		field string
	}{
		{"missing id", []PageInput{{ID: " "}}, "pages[0].id"},
		{"duplicate id", []PageInput{{ID: "/a"}, {ID: "/a"}}, "pages[1].id"},
		{"negative importance", []PageInput{{ID: "/a", Importance: -1}}, "pages[0].importance"},
		{"bad page", []PageInput{{ID: "/a"}, {ID: "/b", Input: Input{Type: "recipe"}}}, "pages[1].type"},
		{"bad locale with keyphrase", []PageInput{{ID: "/a", Input: Input{Keyphrase: "x", Locale: "zz"}}}, "pages[0].locale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Audit(context.Background(), tt.pages)
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tt.field {
				t.Fatalf("err = %v, want InvalidArgument on %s", err, tt.field)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.Audit(ctx, auditPages()); !errors.Is(err, context.Canceled) || igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Errorf("cancelled audit: err = %v", err)
	}
	rep, err := a.Audit(context.Background(), nil)
	if err != nil || len(rep.Pages) != 0 {
		t.Errorf("empty audit: %+v, %v", rep, err)
	}
}
