package ai_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

var fuzzIdeasIn = ai.IdeasInput{Cluster: "tea", Keywords: []string{"green tea"}, Count: 3,
	ContentTypes: []ai.ContentType{ai.ContentPost, ai.ContentPage}}

// checkIdea re-checks an accepted idea against the schema's rules, written
// out by hand rather than through ValidateJSON.
func checkIdeas(t *testing.T, out ai.IdeasOutput) {
	t.Helper()
	if n := len(out.Ideas); n < 1 || n > fuzzIdeasIn.Count {
		t.Fatalf("accepted %d ideas", n)
	}
	for i, idea := range out.Ideas {
		if n := utf8.RuneCountInString(idea.Title); n < 3 || n > 200 || strings.TrimSpace(idea.Title) == "" {
			t.Fatalf("idea %d: title of %d runes accepted: %q", i, n, idea.Title)
		}
		if idea.ContentType != ai.ContentPost && idea.ContentType != ai.ContentPage {
			t.Fatalf("idea %d: content type %q accepted", i, idea.ContentType)
		}
		if n := utf8.RuneCountInString(idea.PrimaryKeyword); n < 1 || n > 200 {
			t.Fatalf("idea %d: primary keyword of %d runes", i, n)
		}
		if idea.EstimatedWords < 100 || idea.EstimatedWords > 20000 {
			t.Fatalf("idea %d: estimated words %d", i, idea.EstimatedWords)
		}
		if len(idea.Outline) < 1 || len(idea.Outline) > 20 || len(idea.SecondaryKeywords) > 20 {
			t.Fatalf("idea %d: outline %d, secondary %d", i, len(idea.Outline), len(idea.SecondaryKeywords))
		}
		for _, s := range idea.Outline {
			if strings.TrimSpace(s.Heading) == "" || len(s.Subheadings) > 12 {
				t.Fatalf("idea %d: bad outline section %+v", i, s)
			}
		}
		if idea.SecondaryKeywords == nil || idea.Outline == nil {
			t.Fatalf("idea %d: a required array was absent or null", i)
		}
	}
}

func FuzzParseIdeas(f *testing.F) {
	lib := ai.NewLibrary()
	fn := lib.GenerateIdeas
	valid := `{"ideas":[{"title":"Green tea guide","description":"d","content_type":"post","primary_keyword":"green tea","secondary_keywords":["matcha"],"outline":[{"heading":"Why","subheadings":["a"]}],"estimated_words":900}]}`
	f.Add(valid, "stop")
	f.Add("```json\n"+valid+"\n```", "stop")
	f.Add(valid, "length")
	f.Add(valid[:40], "stop")
	f.Add(strings.Replace(valid, `"post"`, `"product"`, 1), "stop")
	f.Add(strings.Replace(valid, `900`, `9.5e2`, 1), "stop")
	f.Add(strings.Replace(valid, `["matcha"]`, `null`, 1), "stop")
	f.Add(`{"ideas":[]}`, "stop")
	f.Add(`{"ideas":null}`, "")
	f.Add("not json", "stop")
	f.Fuzz(func(t *testing.T, text, finish string) {
		out, err := fn.Parse(fuzzIdeasIn, text, finish)
		if err != nil {
			if igny8.CodeOf(err) == "" {
				t.Fatalf("nil-coded error")
			}
			return
		}
		if finish == "length" {
			t.Fatal("a truncated reply was accepted")
		}
		checkIdeas(t, out)
		// The accepted value re-validates and round-trips.
		raw, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := ai.SchemaFor[ai.IdeasOutput]()
		if err := ai.ValidateJSON(s, raw); err != nil {
			t.Fatalf("accepted output fails the schema after a round trip: %v\n%s", err, raw)
		}
		again, err := fn.Parse(fuzzIdeasIn, string(raw), "stop")
		if err != nil {
			t.Fatalf("re-encoded output refused: %v", err)
		}
		if !reflect.DeepEqual(again, out) {
			t.Fatalf("round trip changed the value:\n%+v\n%+v", out, again)
		}
	})
}

func FuzzParseContent(f *testing.F) {
	fn, _ := ai.NewLibrary().Content(ai.ContentPost)
	in := ai.ContentInput{ContentType: ai.ContentPost, Title: "Tea", PrimaryKeyword: "green tea",
		Voice: ai.Voice{BannedPhrases: []string{"delve"}}}
	valid := `{"title":"Green tea","meta_title":"Green tea","meta_description":"All about green tea","slug":"Green Tea!","html":"<p>green tea</p>","excerpt":"","faq":[],"image_prompts":[]}`
	f.Add(valid)
	f.Add(strings.Replace(valid, "<p>green tea</p>", "<p>we delve into green tea</p>", 1))
	f.Add(strings.Replace(valid, `"slug":"Green Tea!"`, `"slug":"!!!"`, 1))
	f.Add(strings.Replace(valid, `"meta_title":"Green tea"`, `"meta_title":"`+strings.Repeat("x", 61)+`"`, 1))
	f.Fuzz(func(t *testing.T, text string) {
		out, err := fn.Parse(in, text, "stop")
		if err != nil {
			return
		}
		if !igny8.ValidSlug(out.Slug) {
			t.Fatalf("invalid slug accepted: %q", out.Slug)
		}
		if utf8.RuneCountInString(out.MetaTitle) > 60 || utf8.RuneCountInString(out.MetaDescription) > 160 {
			t.Fatalf("meta too long: %q / %q", out.MetaTitle, out.MetaDescription)
		}
		for _, s := range []string{out.Title, out.HTML, out.MetaTitle, out.MetaDescription, out.Excerpt} {
			if strings.Contains(strings.ToLower(s), "delve") {
				t.Fatalf("banned phrase accepted in %q", s)
			}
		}
		if strings.Contains(strings.ToLower(out.HTML), "<script") {
			t.Fatal("script accepted")
		}
		raw, _ := json.Marshal(out)
		again, err := fn.Parse(in, string(raw), "stop")
		if err != nil || !reflect.DeepEqual(again, out) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
