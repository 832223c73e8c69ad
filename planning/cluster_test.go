package planning

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
)

func kw(id, text string, volume int64) Keyword {
	return Keyword{ID: id, Text: text, Normalized: Normalize(text), Volume: volume, Difficulty: DifficultyUnknown}
}

// groupsOf renders a result as sorted "text|text" groups (plus stray) for
// comparison.
func groupsOf(res ClusterResult, kws []Keyword) []string {
	text := map[string]string{}
	for _, k := range kws {
		text[k.ID] = k.Text
	}
	var out []string
	for _, g := range res.Groups {
		var names []string
		for _, id := range g.KeywordIDs {
			names = append(names, text[id])
		}
		sort.Strings(names)
		prefix := ""
		if g.ClusterID != "" {
			prefix = g.ClusterID + ":"
		}
		out = append(out, prefix+strings.Join(names, "|"))
	}
	sort.Strings(out)
	for _, id := range res.Stray {
		out = append(out, "stray:"+text[id])
	}
	return out
}

func sameGroup(res ClusterResult, a, b string) bool {
	for _, g := range res.Groups {
		if slices.Contains(g.KeywordIDs, a) {
			return slices.Contains(g.KeywordIDs, b)
		}
	}
	return false
}

func TestLexicalGroupsAndGuards(t *testing.T) {
	kws := []Keyword{
		kw("1", "running shoes for flat feet", 900), kw("2", "flat feet running shoes", 500),
		kw("3", "running shoe for flat feet", 100), kw("4", "best running shoes for flat feet", 300),
		kw("5", "buy running shoes for flat feet", 200),
		kw("6", "how to clean running shoes", 700), kw("7", "clean running shoes", 400), kw("8", "cleaning running shoes", 50),
		kw("9", "espresso machine", 5000), kw("10", "espresso machines", 800), kw("11", "home espresso machine", 600),
	}
	ctx := context.Background()
	tests := []struct {
		name  string
		opts  LexicalOptions
		same  [][2]string
		apart [][2]string
	}{
		{
			name:  "defaults keep topics and intents apart",
			same:  [][2]string{{"1", "2"}, {"1", "3"}, {"1", "4"}, {"6", "7"}, {"6", "8"}, {"9", "10"}, {"9", "11"}},
			apart: [][2]string{{"4", "5"}, {"1", "6"}, {"1", "9"}, {"7", "1"}},
		},
		{
			name: "mix intents lets buy and best share",
			opts: LexicalOptions{MixIntents: true},
			same: [][2]string{{"4", "5"}, {"1", "5"}},
		},
		{
			name:  "a high threshold splits word-order variants less alike",
			opts:  LexicalOptions{Threshold: 0.99},
			same:  [][2]string{{"1", "2"}},
			apart: [][2]string{{"9", "11"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := NewLexical(tc.opts).Cluster(ctx, ClusterRequest{Keywords: kws})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tc.same {
				if !sameGroup(res, p[0], p[1]) {
					t.Errorf("%s and %s apart; groups %v", p[0], p[1], groupsOf(res, kws))
				}
			}
			for _, p := range tc.apart {
				if sameGroup(res, p[0], p[1]) {
					t.Errorf("%s and %s together; groups %v", p[0], p[1], groupsOf(res, kws))
				}
			}
		})
	}
}

func TestLexicalPillarFirstAndIntent(t *testing.T) {
	kws := []Keyword{kw("a", "best espresso machine", 10), kw("b", "espresso machine reviews", 90), kw("c", "top espresso machines", 40)}
	res, err := NewLexical(LexicalOptions{}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 1 || !reflect.DeepEqual(res.Groups[0].KeywordIDs, []string{"b", "c", "a"}) || res.Groups[0].Intent != IntentCommercial {
		t.Fatalf("groups = %+v, want one commercial group b,c,a", res.Groups)
	}
}

func TestLexicalDeterministic(t *testing.T) {
	kws, _ := loadLabelled(t)
	want, err := NewLexical(LexicalOptions{}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 3; i++ {
		shuffled := slices.Clone(kws)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		got, err := NewLexical(LexicalOptions{Workers: 1 + i}).Cluster(context.Background(), ClusterRequest{Keywords: shuffled})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d gave a different clustering", i)
		}
	}
}

func TestLexicalMegaClusterSplit(t *testing.T) {
	// 40 keywords share the head "shoes" and differ in one qualifier each,
	// plus the bare head: with a low threshold they chain into one group
	// unless the size guard splits it.
	var kws []Keyword
	kws = append(kws, kw("head", "shoes", 100000))
	for i := 0; i < 40; i++ {
		q := fmt.Sprintf("q%c%c", 'a'+i%26, 'a'+i/26)
		kws = append(kws, kw(fmt.Sprintf("k%02d", i), "shoes "+q, int64(100+i)), kw(fmt.Sprintf("m%02d", i), "shoes "+q+" sizes", int64(10+i)))
	}
	res, err := NewLexical(LexicalOptions{Threshold: 0.1, MaxClusterSize: 10}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, g := range res.Groups {
		if len(g.KeywordIDs) > 10 {
			t.Errorf("group of %d > MaxClusterSize 10: %v", len(g.KeywordIDs), g.KeywordIDs)
		}
		total += len(g.KeywordIDs)
	}
	if total != len(kws) {
		t.Errorf("%d keywords placed, want %d", total, len(kws))
	}
	// each qualifier's pair stays together
	for i := 0; i < 40; i++ {
		if !sameGroup(res, fmt.Sprintf("k%02d", i), fmt.Sprintf("m%02d", i)) {
			t.Errorf("k%02d and m%02d split apart", i, i)
		}
	}
}

func TestLexicalIncremental(t *testing.T) {
	ctx := context.Background()
	existing := []Keyword{
		{ID: "e1", Text: "espresso machine", Volume: 5000, ClusterID: "c-espresso"},
		{ID: "e2", Text: "espresso machines", Volume: 800, ClusterID: "c-espresso"},
		{ID: "e3", Text: "buy coffee grinder", Volume: 300, ClusterID: "c-grinder"},
		{ID: "e4", Text: "how to clean running shoes", Volume: 700, ClusterID: "c-clean"},
	}
	for i := range existing {
		existing[i].Normalized = Normalize(existing[i].Text)
	}
	fresh := []Keyword{
		kw("n1", "home espresso machine", 100), kw("n2", "coffee grinder price", 50),
		kw("n3", "best coffee grinder", 40), kw("n4", "yoga mat", 900), kw("n5", "thick yoga mat", 90),
		kw("n6", "clean running shoes guide", 30),
	}
	res, err := NewLexical(LexicalOptions{}).Cluster(ctx, ClusterRequest{Keywords: fresh, Existing: existing})
	if err != nil {
		t.Fatal(err)
	}
	got := groupsOf(res, fresh)
	want := []string{
		"c-clean:clean running shoes guide",
		"c-espresso:home espresso machine",
		"c-grinder:coffee grinder price",
		"best coffee grinder",
		"thick yoga mat|yoga mat",
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("groups = %q\nwant %q", got, want)
	}
	if res.Groups[0].ClusterID != "c-clean" || res.Groups[3].ClusterID != "" {
		t.Errorf("existing-cluster groups must come first, sorted by id: %+v", res.Groups)
	}
}

func TestClusterRequestErrors(t *testing.T) {
	tests := []struct {
		name  string
		req   ClusterRequest
		field string
	}{
		{"missing id", ClusterRequest{Keywords: []Keyword{{Text: "x"}}}, "keywords"},
		{"duplicate id", ClusterRequest{Keywords: []Keyword{kw("a", "x", 1), kw("a", "y", 1)}}, "keywords"},
		{"existing without cluster", ClusterRequest{Existing: []Keyword{kw("a", "x", 1)}}, "existing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewLexical(LexicalOptions{}).Cluster(context.Background(), tc.req)
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
				t.Fatalf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
}

func TestLexicalCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	kws, _ := loadLabelled(t)
	_, err := NewLexical(LexicalOptions{}).Cluster(ctx, ClusterRequest{Keywords: kws})
	if !errors.Is(err, context.Canceled) || igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Fatalf("err = %v, want context.Canceled (Unavailable)", err)
	}
}

// conceptEmbedder embeds a text as the sum of one random unit vector per
// concept of its words; synonyms share a concept, so "sneakers" and
// "shoes" embed alike although no word is shared.
type conceptEmbedder struct {
	dim      int
	synonyms map[string]string
	calls    int
}

func (e *conceptEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	e.calls++
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, e.dim)
		for _, w := range strings.Fields(t) {
			if stopWords[w] {
				continue
			}
			if c, ok := e.synonyms[w]; ok {
				w = c
			}
			h := fnv.New64a()
			h.Write([]byte(w))
			rng := rand.New(rand.NewPCG(h.Sum64(), 1))
			for d := range v {
				v[d] += float32(rng.NormFloat64())
			}
		}
		if len(strings.Fields(t)) == 0 {
			v[0] = 1
		}
		out[i] = v
	}
	return out, nil
}

func TestSemanticGroupsSynonyms(t *testing.T) {
	emb := &conceptEmbedder{dim: 64, synonyms: map[string]string{
		"sneakers": "shoes", "trainers": "shoes", "shoe": "shoes", "jogging": "running", "run": "running",
		"coffeemaker": "espresso", "barista": "espresso",
	}}
	kws := []Keyword{
		kw("1", "running shoes", 100), kw("2", "jogging sneakers", 50), kw("3", "running trainers", 40),
		kw("4", "espresso machine", 90), kw("5", "barista machine", 30),
		kw("6", "buy running shoes", 20), kw("7", "wedding dress", 10),
	}
	res, err := NewSemantic(emb, SemanticOptions{Threshold: 0.9, BatchSize: 3}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
	if err != nil {
		t.Fatal(err)
	}
	got := groupsOf(res, kws)
	want := []string{"barista machine|espresso machine", "buy running shoes", "jogging sneakers|running shoes|running trainers", "wedding dress"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("groups = %q, want %q", got, want)
	}
	if emb.calls != 3 {
		t.Errorf("embedder called %d times for 7 texts in batches of 3, want 3", emb.calls)
	}
}

// TestSemanticRecallAtScale checks that the hashed candidate search finds
// the true groups of 3,000 noisy vectors around 150 centers.
func TestSemanticRecallAtScale(t *testing.T) {
	const centers, per, dim = 150, 20, 48
	rng := rand.New(rand.NewPCG(3, 3))
	cvec := make([][]float32, centers)
	for c := range cvec {
		cvec[c] = make([]float32, dim)
		for d := range cvec[c] {
			cvec[c][d] = float32(rng.NormFloat64())
		}
	}
	vecs := map[string][]float32{}
	var kws []Keyword
	var truth []string
	for c := 0; c < centers; c++ {
		for i := 0; i < per; i++ {
			text := fmt.Sprintf("topic%d variant%d", c, i)
			v := make([]float32, dim)
			for d := range v {
				v[d] = cvec[c][d] + float32(rng.NormFloat64()*0.15)
			}
			vecs[Normalize(text)] = v
			kws = append(kws, kw(fmt.Sprintf("%d-%d", c, i), text, int64(rng.IntN(1000))))
			truth = append(truth, fmt.Sprint(c))
		}
	}
	emb := embedFunc(func(texts []string) [][]float32 {
		out := make([][]float32, len(texts))
		for i, t := range texts {
			out[i] = vecs[t]
		}
		return out
	})
	res, err := NewSemantic(emb, SemanticOptions{Threshold: 0.9}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for gi, g := range res.Groups {
		for _, id := range g.KeywordIDs {
			got[id] = fmt.Sprint(gi)
		}
	}
	var pred []string
	for _, k := range kws {
		pred = append(pred, got[k.ID])
	}
	ari := adjustedRand(truth, pred)
	t.Logf("semantic clustering of %d vectors: %d groups, ARI %.4f", len(kws), len(res.Groups), ari)
	if ari < 0.95 {
		t.Fatalf("ARI %.4f < 0.95", ari)
	}
}

type embedFunc func(texts []string) [][]float32

func (f embedFunc) Embed(_ context.Context, texts []string) ([][]float32, error) {
	return f(texts), nil
}

func TestSemanticEmbedderErrors(t *testing.T) {
	kws := []Keyword{kw("1", "a b", 1), kw("2", "c d", 1)}
	tests := []struct {
		name string
		emb  igny8.Embedder
		code igny8.Code
	}{
		{"short answer", embedFunc(func(texts []string) [][]float32 { return [][]float32{{1}} }), igny8.CodeInternal},
		{"ragged dims", embedFunc(func(texts []string) [][]float32 { return [][]float32{{1, 0}, {1}} }), igny8.CodeInternal},
		{"zero vector", embedFunc(func(texts []string) [][]float32 { return [][]float32{{0, 0}, {1, 0}} }), igny8.CodeInternal},
		{"embedder down", errEmbedder{}, igny8.CodeUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSemantic(tc.emb, SemanticOptions{}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
			if igny8.CodeOf(err) != tc.code {
				t.Fatalf("err = %v (code %s), want %s", err, igny8.CodeOf(err), tc.code)
			}
		})
	}
}

type errEmbedder struct{}

func (errEmbedder) Embed(context.Context, []string) ([][]float32, error) {
	return nil, igny8.Errorf(igny8.CodeUnavailable, "test", "connection refused")
}

// fakeSERP answers from a fixed table.
type fakeSERP map[string][]string

func (f fakeSERP) TopURLs(_ context.Context, keywords []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, k := range keywords {
		if u, ok := f[k]; ok {
			out[k] = u
		}
	}
	return out, nil
}

func urls(ids ...int) []string {
	var out []string
	for _, i := range ids {
		out = append(out, fmt.Sprintf("https://site%d.example/page", i))
	}
	return out
}

// The hand-checked SERP example (K = 3):
//
//	A (vol 100): 1–10
//	B (vol 90):  1,2,3 with A; 11,12,13 with C
//	C (vol 80):  11,12,13 with B; nothing with A
//	D (vol 70):  1,2,3 with A and B; 11 with C only
//	E (vol 60):  20–29, shares with nobody
//	F (vol 50):  11,12,13 with B and C; 21 with E
//
// soft: A is the first pillar and takes B and D (3 with A); C is the next
// pillar and takes F (3 with C); E is alone → stray.
// moderate: A–B, A–D, B–D, B–C, B–F, C–F chain into one group; E stray.
// hard: A,B,D all share 3 pairwise; C shares 3 with B but not A, so C
// opens a group and F (3 with C) joins it; E stray.
func TestSERPModes(t *testing.T) {
	src := fakeSERP{
		"A": urls(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
		"B": urls(1, 2, 3, 11, 12, 13, 31, 32, 33, 34),
		"C": urls(11, 12, 13, 41, 42, 43, 44, 45, 46, 47),
		"D": urls(1, 2, 3, 11, 51, 52, 53, 54, 55, 56),
		"E": urls(20, 21, 22, 23, 24, 25, 26, 27, 28, 29),
		"F": urls(11, 12, 13, 21, 61, 62, 63, 64, 65, 66),
	}
	kws := []Keyword{kw("a", "A", 100), kw("b", "B", 90), kw("c", "C", 80), kw("d", "D", 70), kw("e", "E", 60), kw("f", "F", 50)}
	tests := []struct {
		mode SERPMode
		want []string
	}{
		{SERPSoft, []string{"A|B|D", "C|F", "stray:E"}},
		{SERPModerate, []string{"A|B|C|D|F", "stray:E"}},
		{SERPHard, []string{"A|B|D", "C|F", "stray:E"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.mode), func(t *testing.T) {
			res, err := NewSERPOverlap(src, SERPOptions{Mode: tc.mode, MinShared: 3}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
			if err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(res, kws); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("groups = %q, want %q", got, tc.want)
			}
		})
	}
}

// In this example soft and hard differ: G and H both share 3 URLs with the
// pillar P but only 1 with each other.
func TestSERPSoftVersusHard(t *testing.T) {
	src := fakeSERP{
		"P": urls(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
		"G": urls(1, 2, 3, 70, 71, 72, 73, 74, 75, 76),
		"H": urls(4, 5, 6, 70, 81, 82, 83, 84, 85, 86),
	}
	kws := []Keyword{kw("p", "P", 100), kw("g", "G", 50), kw("h", "H", 40)}
	tests := []struct {
		mode SERPMode
		want []string
	}{
		{SERPSoft, []string{"G|H|P"}},
		{SERPModerate, []string{"G|H|P"}},
		{SERPHard, []string{"G|P", "stray:H"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.mode), func(t *testing.T) {
			res, err := NewSERPOverlap(src, SERPOptions{Mode: tc.mode}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
			if err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(res, kws); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("groups = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSERPIncrementalAndIntent(t *testing.T) {
	src := fakeSERP{
		"espresso machine":                urls(1, 2, 3, 4, 5),
		"espresso machines":               urls(1, 2, 3, 4, 6),
		"home espresso machine":           urls(1, 2, 3, 7, 8),
		"buy espresso machine":            urls(1, 2, 3, 9, 10),
		"how to descale espresso machine": urls(30, 31, 32, 33),
	}
	existing := []Keyword{kw("e1", "espresso machine", 1000), kw("e2", "espresso machines", 500)}
	for i := range existing {
		existing[i].ClusterID = "c1"
	}
	fresh := []Keyword{kw("n1", "home espresso machine", 50), kw("n2", "buy espresso machine", 40), kw("n3", "how to descale espresso machine", 30)}
	res, err := NewSERPOverlap(src, SERPOptions{Mode: SERPSoft}).Cluster(context.Background(), ClusterRequest{Keywords: fresh, Existing: existing})
	if err != nil {
		t.Fatal(err)
	}
	// The existing cluster has no intent, so "buy espresso machine" may
	// join it; then "home espresso machine" (no intent) joins too.
	want := []string{"c1:buy espresso machine|home espresso machine", "stray:how to descale espresso machine"}
	if got := groupsOf(res, fresh); !reflect.DeepEqual(got, want) {
		t.Fatalf("groups = %q, want %q", got, want)
	}
	if _, err := NewSERPOverlap(src, SERPOptions{Mode: "loose"}).Cluster(context.Background(), ClusterRequest{Keywords: fresh}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Fatalf("unknown mode: err = %v", err)
	}
}

// TestStrategiesDeterministic shuffles the input of every strategy: the
// result must not change.
func TestStrategiesDeterministic(t *testing.T) {
	kws, _ := loadLabelled(t)
	kws = kws[:400]
	serp := fakeSERP{}
	for i, k := range kws {
		// keywords of one topic share result pages
		base := i / 20 * 5
		serp[k.Text] = urls(base, base+1, base+2, base+3, 1000+i)
	}
	strategies := map[string]Clusterer{
		"lexical":  NewLexical(LexicalOptions{}),
		"semantic": NewSemantic(&conceptEmbedder{dim: 32}, SemanticOptions{Threshold: 0.7}),
		"serp":     NewSERPOverlap(serp, SERPOptions{Mode: SERPSoft}),
	}
	for name, c := range strategies {
		t.Run(name, func(t *testing.T) {
			want, err := c.Cluster(context.Background(), ClusterRequest{Keywords: kws})
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Groups) == 0 {
				t.Fatal("no groups")
			}
			rng := rand.New(rand.NewPCG(9, 9))
			shuffled := slices.Clone(kws)
			rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			got, err := c.Cluster(context.Background(), ClusterRequest{Keywords: shuffled})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatal("a shuffled input gave a different clustering")
			}
		})
	}
}
