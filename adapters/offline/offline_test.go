package offline_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/ai/llmtest"
	"github.com/igny8/sdk/igny8"
)

func TestConformance(t *testing.T) {
	m := offline.New(offline.Options{})
	llmtest.RunLLM(t, func(*testing.T) igny8.LLM { return m })
	llmtest.RunEmbedder(t, func(*testing.T) igny8.Embedder { return m })
	llmtest.RunImageGenerator(t, func(*testing.T) igny8.ImageGenerator { return m })
}

// answer renders f's prompt for in, asks the offline model, and parses
// the reply with f's own checks.
func answer[In, Out any](t *testing.T, m *offline.Model, f *ai.Function[In, Out], in In) (Out, string) {
	t.Helper()
	msgs, err := f.Messages(in)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := m.Chat(context.Background(), igny8.ChatRequest{Messages: msgs, Schema: f.Schema(), SchemaName: f.Name(), Function: f.Name()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Model, "offline") || !strings.Contains(resp.Model, "not a writer") {
		t.Errorf("model name %q does not say what it is", resp.Model)
	}
	out, err := f.Parse(in, resp.Text, resp.FinishReason)
	if err != nil {
		t.Fatalf("%s: the offline output is refused: %v\n%s", f.PromptID(), err, resp.Text)
	}
	return out, resp.Text
}

func TestLibraryFunctionsGetValidOutput(t *testing.T) {
	m := offline.New(offline.Options{})
	lib := ai.NewLibrary()
	voice := ai.Voice{Style: "plain", Tone: "warm", BannedPhrases: []string{"delve", "running shoes"}}

	t.Run("auto_cluster", func(t *testing.T) {
		in := ai.ClusterKeywordsInput{Keywords: []ai.KeywordInput{
			{Text: "best running shoes"}, {Text: "running shoes for flat feet"}, {Text: "trail running shoes"},
			{Text: "sourdough bread recipe"}, {Text: "sourdough starter"}, {Text: "Best Running Shoes"},
			{Text: "how to"},
		}, MaxClusters: 3}
		out, _ := answer(t, m, lib.AutoCluster, in)
		if len(out.Clusters) > 3 {
			t.Errorf("%d clusters, max 3", len(out.Clusters))
		}
		if !strings.Contains(strings.ToLower(out.Clusters[0].Name), "running") {
			t.Errorf("first cluster %q is not named after the shared term", out.Clusters[0].Name)
		}
	})
	t.Run("generate_ideas", func(t *testing.T) {
		in := ai.IdeasInput{Cluster: "Running Shoes", Keywords: []string{"running shoes", "trail shoes", "shoe sizing"},
			ContentTypes: []ai.ContentType{ai.ContentPost, ai.ContentPage}, Count: 4}
		out, _ := answer(t, m, lib.GenerateIdeas, in)
		if len(out.Ideas) != 4 {
			t.Fatalf("%d ideas, want 4", len(out.Ideas))
		}
		if out.Ideas[1].ContentType != ai.ContentPage || out.Ideas[0].PrimaryKeyword != "running shoes" {
			t.Errorf("ideas do not follow the input: %+v", out.Ideas[:2])
		}
	})
	for _, ct := range ai.ContentTypes() {
		t.Run("generate_content."+string(ct), func(t *testing.T) {
			f, err := lib.Content(ct)
			if err != nil {
				t.Fatal(err)
			}
			in := ai.ContentInput{ContentType: ct, Title: "Choosing Trail Shoes for Wet Ground", PrimaryKeyword: "trail shoes",
				SecondaryKeywords: []string{"grip", "waterproof"}, EstimatedWords: 900, Voice: voice,
				Outline: []ai.OutlineSection{{Heading: "Why Grip Matters", Subheadings: []string{"Lugs", "Rubber"}}, {Heading: "Waterproof or Not"}}}
			out, _ := answer(t, m, f, in)
			for _, h := range []string{"<h2>Why Grip Matters</h2>", "<h3>Lugs</h3>", "<h3>Rubber</h3>", "<h2>Waterproof or Not</h2>"} {
				if !strings.Contains(out.HTML, h) {
					t.Errorf("HTML does not follow the outline: %s missing", h)
				}
			}
			words := len(strings.Fields(out.HTML))
			if words < 400 || words > 1800 {
				t.Errorf("%d words for an estimate of 900", words)
			}
			if out.Slug != "choosing-trail-shoes-for-wet-ground" {
				t.Errorf("slug = %q", out.Slug)
			}
		})
	}
	t.Run("generate_image_prompts", func(t *testing.T) {
		out, _ := answer(t, m, lib.ImagePrompts, ai.ImagePromptsInput{Title: "Trail Shoes", Count: 2, Headings: []string{"Grip"}})
		if len(out.InArticle) != 2 || !strings.Contains(out.InArticle[0].Prompt, "Grip") {
			t.Errorf("in-article prompts = %+v", out.InArticle)
		}
	})
	t.Run("generate_site_structure", func(t *testing.T) {
		out, _ := answer(t, m, lib.SiteStructure, ai.SiteStructureInput{Brief: "A bakery in Leeds", Business: "Crumb", MaxPages: 9})
		if len(out.Pages) != 9 || out.Pages[0].Slug != "home" {
			t.Errorf("pages = %d, first %q", len(out.Pages), out.Pages[0].Slug)
		}
	})
	t.Run("optimize_content", func(t *testing.T) {
		out, _ := answer(t, m, lib.Optimize, ai.OptimizeInput{Title: "Shoes", HTML: "<p>Some text.</p>", PrimaryKeyword: "trail shoes", Voice: voice})
		if !strings.Contains(strings.ToLower(out.Title), "trail shoes") || len(out.Changes) == 0 {
			t.Errorf("optimize output = %+v", out)
		}
	})
}

func TestDeterministic(t *testing.T) {
	m := offline.New(offline.Options{})
	lib := ai.NewLibrary()
	f, _ := lib.Content(ai.ContentPost)
	in := ai.ContentInput{ContentType: ai.ContentPost, Title: "Tea", PrimaryKeyword: "green tea"}
	_, a := answer(t, m, f, in)
	_, b := answer(t, m, f, in)
	if a != b {
		t.Error("two answers to one input differ")
	}
	v1, _ := m.Embed(context.Background(), []string{"green tea", "Green  TEA!"})
	if !reflect.DeepEqual(v1[0], v1[1]) {
		t.Error("embeddings of the same words differ")
	}
	img1, _ := m.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "tea", Size: "32x16"})
	img2, _ := m.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "tea", Size: "32x16"})
	if string(img1.Data) != string(img2.Data) {
		t.Error("images of the same prompt differ")
	}
}

func TestEmbeddingsSimilarity(t *testing.T) {
	m := offline.New(offline.Options{Dimensions: 512})
	v, err := m.Embed(context.Background(), []string{"running shoes for trails", "trail running shoes", "sourdough bread baking", ""})
	if err != nil {
		t.Fatal(err)
	}
	cos := func(a, b []float32) float64 {
		var s float64
		for i := range a {
			s += float64(a[i]) * float64(b[i])
		}
		return s
	}
	for i, x := range v {
		if n := cos(x, x); math.Abs(n-1) > 1e-5 {
			t.Errorf("vector %d has norm² %v, want 1", i, n)
		}
	}
	if cos(v[0], v[1]) <= cos(v[0], v[2]) {
		t.Errorf("shared words are not closer: %v vs %v", cos(v[0], v[1]), cos(v[0], v[2]))
	}
}

func TestUnknownFunctionFillsSchema(t *testing.T) {
	type out struct {
		Name  string   `json:"name" jsonschema:"minLength=12,maxLength=20"`
		Kind  string   `json:"kind" jsonschema:"enum=a|b"`
		N     int      `json:"n" jsonschema:"minimum=3,maximum=9"`
		Items []string `json:"items" jsonschema:"minItems=2"`
		Opt   *string  `json:"opt"`
	}
	f, err := ai.NewFunction(ai.Spec[struct{}, out]{Name: "host_fn", User: "Invent something about kettles."})
	if err != nil {
		t.Fatal(err)
	}
	m := offline.New(offline.Options{})
	got, text := answer(t, m, f, struct{}{})
	if got.N != 3 || got.Kind != "a" || len(got.Items) != 2 {
		t.Errorf("filled %s", text)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(text), &raw)
	if _, ok := raw["opt"]; !ok {
		t.Error("a nullable field is missing")
	}
}

func TestImageSize(t *testing.T) {
	m := offline.New(offline.Options{})
	tests := []struct {
		size string
		ok   bool
	}{{"64x32", true}, {"", true}, {"0x10", false}, {"4096x10", false}, {"big", false}}
	for _, tc := range tests {
		t.Run(tc.size, func(t *testing.T) {
			_, err := m.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "x", Size: tc.size})
			if (err == nil) != tc.ok {
				t.Errorf("size %q: err %v", tc.size, err)
			}
		})
	}
}

func BenchmarkContent(b *testing.B) {
	m := offline.New(offline.Options{})
	f, _ := ai.NewLibrary().Content(ai.ContentPost)
	in := ai.ContentInput{ContentType: ai.ContentPost, Title: "Choosing Trail Shoes", PrimaryKeyword: "trail shoes", EstimatedWords: 1500,
		Outline: []ai.OutlineSection{{Heading: "A", Subheadings: []string{"B", "C"}}, {Heading: "D"}, {Heading: "E"}}}
	msgs, _ := f.Messages(in)
	req := igny8.ChatRequest{Messages: msgs, Schema: f.Schema(), Function: f.Name()}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := m.Chat(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Parse(in, resp.Text, resp.FinishReason); err != nil {
			b.Fatal(err)
		}
	}
}
