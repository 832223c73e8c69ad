package planning

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/labelled_keywords.csv from the generator")

// topic is one known topic of the labelled set: a search intent family and
// noun or verb phrases that name the same thing in different words.
type topic struct {
	label  string
	family string // commercial, transactional, informational, navigational
	cores  []string
	extra  []string
}

// patterns turn a core into realistic keyword variants per intent family.
var patterns = map[string][]string{
	"commercial":    {"%s", "best %s", "%s reviews", "top %s", "best %s 2024", "%s review", "top rated %s", "%s comparison", "recommended %s"},
	"transactional": {"%s", "buy %s", "%s for sale", "cheap %s", "%s price", "%s sale", "%s near me", "order %s online", "%s deals"},
	"informational": {"%s", "how to %s", "how do i %s", "%s guide", "%s tips", "ways to %s", "how to %s step by step", "%s tutorial"},
	"navigational":  {"%s", "%s login", "%s sign in", "%s official website", "%s customer service", "%s phone number"},
}

var labelledTopics = []topic{
	{"running-shoes-flat-feet", "commercial", []string{"running shoes for flat feet", "flat feet running shoes", "running shoe for flat foot"}, nil},
	{"womens-running-shoes", "commercial", []string{"womens running shoes", "running shoes for women", "running shoes for ladies"}, nil},
	{"trail-running-shoes", "transactional", []string{"trail running shoes", "trail running shoe", "shoes for trail running"}, nil},
	{"clean-running-shoes", "informational", []string{"clean running shoes", "clean your running shoes", "cleaning running shoes in washing machine"}, nil},
	{"marathon-training", "informational", []string{"train for a marathon", "marathon training plan", "training for first marathon"}, nil},
	{"espresso-machine", "commercial", []string{"espresso machine", "home espresso machine", "espresso machines for home"}, nil},
	{"cold-brew", "informational", []string{"make cold brew coffee", "cold brew at home", "brew cold coffee"}, nil},
	{"coffee-grinder", "transactional", []string{"coffee grinder", "burr coffee grinder", "coffee grinders"}, nil},
	{"coffee-beans-subscription", "transactional", []string{"coffee bean subscription", "coffee subscription box", "monthly coffee bean subscriptions"}, nil},
	{"puppy-potty-training", "informational", []string{"potty train a puppy", "puppy potty training", "house train a puppy"}, nil},
	{"dog-food-allergies", "commercial", []string{"dog food for allergies", "dog food for skin allergies", "allergy dog food"}, nil},
	{"orthopedic-dog-bed", "transactional", []string{"orthopedic dog bed", "orthopedic dog beds for large dogs", "large orthopedic dog bed"}, nil},
	{"cat-litter", "commercial", []string{"cat litter", "clumping cat litter", "cat litters"}, nil},
	{"kitchen-remodel", "informational", []string{"remodel a kitchen", "kitchen remodel on a budget", "small kitchen remodel"}, nil},
	{"air-fryer-recipes", "informational", []string{"air fryer chicken wings", "cook chicken wings in air fryer", "crispy chicken wings air fryer"}, nil},
	{"robot-vacuum", "commercial", []string{"robot vacuum", "robot vacuum cleaner", "robot vacuums for pet hair"}, nil},
	{"travel-credit-card", "commercial", []string{"travel credit card", "travel rewards credit cards", "credit cards for travel"}, nil},
	{"file-taxes", "informational", []string{"file taxes online", "file my tax return", "do your own taxes"}, nil},
	{"mortgage-refinance", "informational", []string{"refinance a mortgage", "mortgage refinancing", "refinance mortgage with bad credit"}, nil},
	{"programming-laptop", "commercial", []string{"laptop for programming", "programming laptops", "laptops for coding and programming"}, nil},
	{"iphone-screen-repair", "transactional", []string{"iphone screen repair", "cracked iphone screen repair", "iphone screen replacement"}, nil},
	{"wordpress-seo-plugin", "commercial", []string{"wordpress seo plugin", "seo plugins for wordpress", "wp seo plugin"}, nil},
	{"learn-python", "informational", []string{"learn python", "learn python programming", "learning python for beginners"}, nil},
	{"grow-tomatoes", "informational", []string{"grow tomatoes", "growing tomato plants", "grow tomatoes in pots"}, nil},
	{"raised-garden-bed", "transactional", []string{"raised garden bed", "raised garden beds kit", "raised bed garden kits"}, nil},
	{"flights-paris", "transactional", []string{"flights to paris", "paris flight tickets", "flight to paris france"}, nil},
	{"rome-things-to-do", "informational", []string{"things to do in rome", "things to do in rome italy", "fun things to do in rome"}, nil},
	{"home-workout", "informational", []string{"home workout without equipment", "workout at home without equipment", "home workouts no equipment"}, nil},
	{"yoga-mat", "transactional", []string{"yoga mat", "non slip yoga mats", "thick yoga mat"}, nil},
	{"protein-powder", "commercial", []string{"protein powder", "whey protein powders", "protein powder for weight loss"}, nil},
	{"electric-bike", "commercial", []string{"electric bike", "electric bikes for commuting", "electric bicycles"}, nil},
	{"bike-chain", "informational", []string{"fix a bike chain", "bike chain repair", "fix bike chain that came off"}, nil},
	{"solar-panels", "transactional", []string{"solar panels for home", "home solar panel installation", "solar panel for house"}, nil},
	{"noise-cancelling-headphones", "commercial", []string{"noise cancelling headphones", "noise cancelling headphone", "wireless noise cancelling headphones"}, nil},
	{"gaming-chair", "transactional", []string{"gaming chair", "ergonomic gaming chairs", "pc gaming chair"}, nil},
	{"sourdough-starter", "informational", []string{"make sourdough starter", "sourdough starter from scratch", "feed a sourdough starter"}, nil},
	{"vegan-protein-sources", "informational", []string{"vegan protein sources", "sources of vegan protein", "vegan high protein foods"}, nil},
	{"baby-stroller", "commercial", []string{"baby stroller", "lightweight baby strollers", "travel stroller for baby"}, nil},
	{"wedding-dress", "transactional", []string{"wedding dress", "wedding dresses", "lace wedding dresses"}, nil},
	{"tie-a-tie", "informational", []string{"tie a tie", "tie a tie windsor knot", "tie a necktie"}, nil},
	{"car-insurance-quotes", "transactional", []string{"car insurance quotes", "car insurance quote", "car insurance rates"}, nil},
	{"change-car-oil", "informational", []string{"change car oil", "oil change at home", "change oil in car"}, nil},
	{"used-cars", "transactional", []string{"used cars", "used car", "used cars by owner"}, nil},
	{"netflix-account", "navigational", []string{"netflix", "netflix account"}, []string{"netflix log in", "netflix member login", "netflix help center", "netflix support"}},
	{"amazon-prime", "navigational", []string{"amazon prime", "amazon prime video"}, []string{"amazon prime login page", "prime video sign in", "amazon prime membership account"}},
	{"paypal", "navigational", []string{"paypal", "paypal account"}, []string{"paypal log in", "paypal business login", "paypal help"}},
	{"lower-blood-pressure", "informational", []string{"lower blood pressure naturally", "lower high blood pressure", "lower blood pressure fast"}, nil},
	{"sleep-better", "informational", []string{"fall asleep faster", "fall asleep fast at night", "falling asleep faster"}, nil},
	{"mattress", "commercial", []string{"mattress for back pain", "mattresses for lower back pain", "firm mattress for back pain"}, nil},
	{"houseplants-low-light", "commercial", []string{"low light houseplants", "low light indoor plants", "houseplants for low light"}, nil},
	{"paint-a-room", "informational", []string{"paint a room", "painting a room", "paint a room fast"}, nil},
	{"standing-desk", "transactional", []string{"standing desk", "adjustable standing desks", "electric standing desk"}, nil},
	{"resume-template", "commercial", []string{"resume template", "resume templates free", "simple resume template"}, nil},
	{"write-cover-letter", "informational", []string{"write a cover letter", "cover letter writing", "write cover letter for job application"}, nil},
	{"web-hosting", "commercial", []string{"web hosting", "web hosting providers", "shared web hosting"}, nil},
	{"email-marketing-software", "commercial", []string{"email marketing software", "email marketing tools", "email marketing platforms"}, nil},
	{"bitcoin-buy", "transactional", []string{"bitcoin", "bitcoins", "bitcoin with credit card"}, nil},
	{"hiking-boots", "commercial", []string{"hiking boots", "waterproof hiking boots", "hiking boots for men"}, nil},
}

// generateLabelled builds the labelled keyword set: every topic's cores
// through its family's patterns, plus its extra keywords, duplicates (on
// Normalize) dropped. Volumes come from a fixed formula, so the output is
// the same on every run.
func generateLabelled() [][3]string {
	var out [][3]string
	seen := map[string]bool{}
	for ti, tp := range labelledTopics {
		var kws []string
		for _, c := range tp.cores {
			for _, p := range patterns[tp.family] {
				kws = append(kws, fmt.Sprintf(p, c))
			}
		}
		kws = append(kws, tp.extra...)
		for ki, k := range kws {
			n := Normalize(k)
			if seen[n] {
				continue
			}
			seen[n] = true
			vol := (ti*7919 + ki*104729) % 20000
			if ki == 0 {
				vol += 50000 // the first core, bare, is the topic's head
			}
			out = append(out, [3]string{tp.label, k, strconv.Itoa(vol)})
		}
	}
	return out
}

const labelledFile = "testdata/labelled_keywords.csv"

func TestLabelledSetUpToDate(t *testing.T) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"topic", "keyword", "volume"})
	for _, r := range generateLabelled() {
		_ = w.Write(r[:])
	}
	w.Flush()
	if *update {
		if err := os.WriteFile(labelledFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(labelledFile)
	if err != nil {
		t.Fatalf("%v (run go test ./planning -run TestLabelledSetUpToDate -update)", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("%s is not what the generator makes; run with -update", labelledFile)
	}
}

func loadLabelled(t *testing.T) ([]Keyword, map[string]string) {
	t.Helper()
	f, err := os.Open(filepath.FromSlash(labelledFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var kws []Keyword
	label := map[string]string{}
	for i, r := range rows[1:] {
		vol, _ := strconv.ParseInt(r[2], 10, 64)
		id := fmt.Sprintf("k%05d", i)
		kws = append(kws, Keyword{ID: id, Text: r[1], Normalized: Normalize(r[1]), Volume: vol, Difficulty: DifficultyUnknown})
		label[id] = r[0]
	}
	return kws, label
}

// adjustedRand is the adjusted Rand index of two labelings of the same
// items (Hubert and Arabie 1985): 1 for identical partitions, about 0 for
// random ones.
func adjustedRand(a, b []string) float64 {
	type pair struct{ x, y string }
	nij := map[pair]int{}
	ai := map[string]int{}
	bj := map[string]int{}
	for k := range a {
		nij[pair{a[k], b[k]}]++
		ai[a[k]]++
		bj[b[k]]++
	}
	c2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var index, sa, sb float64
	for _, v := range nij {
		index += c2(v)
	}
	for _, v := range ai {
		sa += c2(v)
	}
	for _, v := range bj {
		sb += c2(v)
	}
	expected := sa * sb / c2(len(a))
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}

func TestAdjustedRand(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want float64
	}{
		{"identical", []string{"x", "x", "y", "y"}, []string{"1", "1", "2", "2"}, 1},
		{"all apart vs two groups", []string{"x", "x", "y", "y"}, []string{"1", "2", "3", "4"}, 0},
		{"half wrong", []string{"x", "x", "x", "y", "y", "y"}, []string{"1", "1", "2", "2", "3", "3"}, 0.2424},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := adjustedRand(tc.a, tc.b); math.Abs(got-tc.want) > 0.001 {
				t.Errorf("ARI = %.4f, want %.4f", got, tc.want)
			}
		})
	}
}

func TestLexicalLabelledARI(t *testing.T) {
	kws, label := loadLabelled(t)
	if len(kws) < 1000 || len(labelledTopics) < 50 {
		t.Fatalf("labelled set has %d keywords in %d topics, want ≥1000 in ≥50", len(kws), len(labelledTopics))
	}
	res, err := NewLexical(LexicalOptions{}).Cluster(context.Background(), ClusterRequest{Keywords: kws})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for gi, g := range res.Groups {
		for _, id := range g.KeywordIDs {
			got[id] = strconv.Itoa(gi)
		}
	}
	for _, id := range res.Stray {
		got[id] = "stray:" + id
	}
	var a, b []string
	for _, k := range kws {
		a = append(a, label[k.ID])
		b = append(b, got[k.ID])
	}
	ari := adjustedRand(a, b)
	fmt.Printf("lexical clustering of the labelled set: %d keywords, %d topics, %d clusters, adjusted Rand index %.4f\n", len(kws), len(labelledTopics), len(res.Groups), ari)
	if testing.Verbose() || ari < 0.8 {
		purity(t, kws, label, res)
	}
	if ari < 0.8 {
		t.Fatalf("adjusted Rand index %.4f < 0.8", ari)
	}
}

// purity logs the clusters that mix topics, to see why a score is low.
func purity(t *testing.T, kws []Keyword, label map[string]string, res ClusterResult) {
	t.Helper()
	text := map[string]string{}
	for _, k := range kws {
		text[k.ID] = k.Text
	}
	for gi, g := range res.Groups {
		topics := map[string]int{}
		for _, id := range g.KeywordIDs {
			topics[label[id]]++
		}
		if len(topics) > 1 || len(g.KeywordIDs) < 3 {
			var names []string
			for _, id := range g.KeywordIDs {
				names = append(names, label[id]+":"+text[id])
			}
			t.Logf("group %d (%d): %v", gi, len(g.KeywordIDs), names)
		}
	}
	split := map[string][]string{}
	for _, g := range res.Groups {
		l := label[g.KeywordIDs[0]]
		split[l] = append(split[l], fmt.Sprintf("%q(%d)", text[g.KeywordIDs[0]], len(g.KeywordIDs)))
	}
	for l, gs := range split {
		if len(gs) > 1 {
			t.Logf("topic %s split into %v", l, gs)
		}
	}
}
