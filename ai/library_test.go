package ai_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

func TestLibraryPrompts(t *testing.T) {
	lib := ai.NewLibrary()
	fns := lib.Functions()
	if len(fns) != 10 {
		t.Fatalf("%d functions, want 10", len(fns))
	}
	seen := map[string]bool{}
	for _, f := range fns {
		if seen[f.PromptID()] {
			t.Errorf("prompt %s twice", f.PromptID())
		}
		seen[f.PromptID()] = true
		sys, usr := f.DefaultPrompt()
		if err := f.CheckPrompt(sys, usr); err != nil {
			t.Errorf("%s: built-in prompt fails its own check: %v", f.PromptID(), err)
		}
	}
	// Rendered with real input, the prompts carry the data that matters.
	voice := ai.Voice{Style: "expert", Tone: "friendly", Audience: "runners", BannedPhrases: []string{"game-changer"}}
	f, _ := lib.Content(ai.ContentProduct)
	msgs, err := f.Messages(ai.ContentInput{ContentType: ai.ContentProduct, Title: "Trail Shoe X", PrimaryKeyword: "trail shoe",
		EstimatedWords: 700, Voice: voice, Language: "German", Outline: []ai.OutlineSection{{Heading: "Grip"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"expert", "friendly", "runners", `"game-changer"`} {
		if !strings.Contains(msgs[0].Content, want) {
			t.Errorf("system prompt lacks %q: %s", want, msgs[0].Content)
		}
	}
	for _, want := range []string{"product page", `"trail shoe"`, "about 700 words", "Write in German", "Follow the outline", ai.InputMarker} {
		if !strings.Contains(msgs[1].Content, want) {
			t.Errorf("user prompt lacks %q: %s", want, msgs[1].Content)
		}
	}
	msgs, _ = lib.GenerateIdeas.Messages(ai.IdeasInput{Cluster: "tea", Keywords: []string{"x"}, Count: 4, ContentTypes: []ai.ContentType{ai.ContentPost, ai.ContentPage}})
	if !strings.Contains(msgs[1].Content, "Propose 4 content ideas") || !strings.Contains(msgs[1].Content, "one of: post, page") {
		t.Errorf("ideas prompt: %s", msgs[1].Content)
	}
	if _, err := lib.Content("essay"); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("unknown content type: %v", err)
	}
}

func TestLibraryChecksInput(t *testing.T) {
	lib := ai.NewLibrary()
	e := newEnv(t, &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok("{}") }}, envConfig{balance: 100})
	ctx := context.Background()
	post, _ := lib.Content(ai.ContentPost)
	tests := []struct {
		name  string
		run   func() error
		field string
	}{
		{"cluster: one keyword", func() error {
			_, err := lib.AutoCluster.Run(ctx, e.runner, e.scope, ai.ClusterKeywordsInput{Keywords: []ai.KeywordInput{{Text: "a"}}}, nil)
			return err
		}, "keywords"},
		{"cluster: empty keyword", func() error {
			_, err := lib.AutoCluster.Run(ctx, e.runner, e.scope, ai.ClusterKeywordsInput{Keywords: []ai.KeywordInput{{Text: "a"}, {Text: " "}}}, nil)
			return err
		}, "keywords[1].text"},
		{"ideas: count", func() error {
			_, err := lib.GenerateIdeas.Run(ctx, e.runner, e.scope, ai.IdeasInput{Cluster: "c", Keywords: []string{"k"}, Count: 21}, nil)
			return err
		}, "count"},
		{"ideas: content type", func() error {
			_, err := lib.GenerateIdeas.Run(ctx, e.runner, e.scope, ai.IdeasInput{Cluster: "c", Keywords: []string{"k"}, Count: 1, ContentTypes: []ai.ContentType{"essay"}}, nil)
			return err
		}, "content_types"},
		{"content: keyword", func() error {
			_, err := post.Run(ctx, e.runner, e.scope, ai.ContentInput{ContentType: ai.ContentPost, Title: "t"}, nil)
			return err
		}, "primary_keyword"},
		{"content: wrong prompt for type", func() error {
			_, err := post.Run(ctx, e.runner, e.scope, ai.ContentInput{ContentType: ai.ContentPage, Title: "t", PrimaryKeyword: "k"}, nil)
			return err
		}, "content_type"},
		{"content: write unknown type", func() error {
			_, err := lib.WriteContent(ctx, e.runner, e.scope, ai.ContentInput{ContentType: "essay", Title: "t", PrimaryKeyword: "k"}, nil)
			return err
		}, "content_type"},
		{"images: count", func() error {
			_, err := lib.ImagePrompts.Run(ctx, e.runner, e.scope, ai.ImagePromptsInput{Title: "t", Count: 7}, nil)
			return err
		}, "count"},
		{"site: pages", func() error {
			_, err := lib.SiteStructure.Run(ctx, e.runner, e.scope, ai.SiteStructureInput{Brief: "b"}, nil)
			return err
		}, "max_pages"},
		{"optimize: html", func() error {
			_, err := lib.Optimize.Run(ctx, e.runner, e.scope, ai.OptimizeInput{PrimaryKeyword: "k"}, nil)
			return err
		}, "html"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field {
				t.Errorf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	if got := e.balance(t); got != 100 {
		t.Errorf("refused input was charged: balance %d", got)
	}
}

func TestLibraryValidation(t *testing.T) {
	lib := ai.NewLibrary()
	clusterIn := ai.ClusterKeywordsInput{Keywords: []ai.KeywordInput{{Text: "Green Tea"}, {Text: "matcha"}}, MaxClusters: 1}
	tests := []struct {
		name  string
		parse func() error
		want  string // "" means accepted
	}{
		{"cluster ok, keyword case restored", func() error {
			out, err := lib.AutoCluster.Parse(clusterIn, `{"clusters":[{"name":"Tea","description":"","keywords":["green  tea","matcha"]}]}`, "stop")
			if err == nil && out.Clusters[0].Keywords[0] != "Green Tea" {
				return errors.New("keyword not restored to its input form: " + out.Clusters[0].Keywords[0])
			}
			return err
		}, ""},
		{"cluster invents keyword", func() error {
			_, err := lib.AutoCluster.Parse(clusterIn, `{"clusters":[{"name":"Tea","description":"","keywords":["oolong"]}]}`, "stop")
			return err
		}, "not one of the input keywords"},
		{"cluster keyword twice", func() error {
			_, err := lib.AutoCluster.Parse(ai.ClusterKeywordsInput{Keywords: clusterIn.Keywords}, `{"clusters":[{"name":"A","description":"","keywords":["matcha"]},{"name":"B","description":"","keywords":["Matcha"]}]}`, "stop")
			return err
		}, "already in cluster 0"},
		{"too many clusters", func() error {
			_, err := lib.AutoCluster.Parse(clusterIn, `{"clusters":[{"name":"A","description":"","keywords":["matcha"]},{"name":"B","description":"","keywords":["green tea"]}]}`, "stop")
			return err
		}, "at most 1 clusters"},
		{"site slug fixed and unique", func() error {
			out, err := lib.SiteStructure.Parse(ai.SiteStructureInput{Brief: "b", MaxPages: 3},
				`{"pages":[{"slug":"About Us","type":"about","title":"About","description":"","blocks":[{"type":"text","fields":[]}]},{"slug":"about-us","type":"custom","title":"x","description":"","blocks":[{"type":"text","fields":[]}]}]}`, "stop")
			if err == nil {
				return errors.New("duplicate slug accepted: " + out.Pages[1].Slug)
			}
			return err
		}, "also the slug of page 0"},
		{"content without keyword", func() error {
			f, _ := lib.Content(ai.ContentPost)
			_, err := f.Parse(ai.ContentInput{ContentType: ai.ContentPost, Title: "t", PrimaryKeyword: "matcha"},
				`{"title":"Tea","meta_title":"Tea","meta_description":"Tea","slug":"tea","html":"<p>tea</p>","excerpt":"","faq":[],"image_prompts":[]}`, "stop")
			return err
		}, "primary keyword"},
		{"content with script", func() error {
			f, _ := lib.Content(ai.ContentPost)
			_, err := f.Parse(ai.ContentInput{ContentType: ai.ContentPost, Title: "t", PrimaryKeyword: "tea"},
				`{"title":"Tea","meta_title":"Tea","meta_description":"Tea","slug":"tea","html":"<p>tea</p><script>x()</script>","excerpt":"","faq":[],"image_prompts":[]}`, "stop")
			return err
		}, "scripts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLibrarySchemasAreStrict checks every library schema has the shape
// OpenAI's strict structured output demands: an object root, every object
// closed and listing all its properties as required, no references.
func TestLibrarySchemasAreStrict(t *testing.T) {
	var walk func(t *testing.T, path string, v any)
	walk = func(t *testing.T, path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if _, ok := m["$ref"]; ok {
			t.Errorf("%s: $ref", path)
		}
		if props, ok := m["properties"].(map[string]any); ok {
			if m["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties is not false", path)
			}
			req, _ := m["required"].([]any)
			if len(req) != len(props) {
				t.Errorf("%s: %d required of %d properties", path, len(req), len(props))
			}
			for k, p := range props {
				walk(t, path+"."+k, p)
			}
		}
		walk(t, path+"[]", m["items"])
	}
	lib := ai.NewLibrary()
	schemas := map[string][]byte{
		"auto_cluster": lib.AutoCluster.Schema(), "generate_ideas": lib.GenerateIdeas.Schema(),
		"generate_image_prompts": lib.ImagePrompts.Schema(), "generate_site_structure": lib.SiteStructure.Schema(),
		"optimize_content": lib.Optimize.Schema(),
	}
	f, _ := lib.Content(ai.ContentPost)
	schemas["generate_content"] = f.Schema()
	for name, raw := range schemas {
		t.Run(name, func(t *testing.T) {
			var v map[string]any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatal(err)
			}
			if v["type"] != "object" {
				t.Fatalf("root type %v", v["type"])
			}
			walk(t, "$", v)
		})
	}
}
