// Package planningtest is the conformance suite for implementations of
// planning.Store. A store author runs it from a test:
//
//	func TestPlanningStore(t *testing.T) {
//		planningtest.Run(t, func(t *testing.T) planningtest.Store { return openMyStore(t) })
//	}
//
// Each call of the constructor must return a fresh, empty store that also
// implements igny8.Store (the suite creates the tenants it needs). The
// suite checks every method's behaviour and, for every method, that a row
// of another tenant (another account, or another site of the same account)
// is neither returned, changed, counted nor deleted.
package planningtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
	"github.com/igny8/sdk/planning"
)

// Store is what the suite tests: a planning store over a kernel store.
type Store interface {
	igny8.Store
	planning.Store
}

// Run runs the whole suite.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Run("Keywords", func(t *testing.T) { testKeywords(t, newStore(t)) })
	t.Run("KeywordUniqueness", func(t *testing.T) { testKeywordUniqueness(t, newStore(t)) })
	t.Run("KeywordFiltersAndPages", func(t *testing.T) { testKeywordFilters(t, newStore(t)) })
	t.Run("BulkAllOrNone", func(t *testing.T) { testBulkAllOrNone(t, newStore(t)) })
	t.Run("Clusters", func(t *testing.T) { testClusters(t, newStore(t)) })
	t.Run("Ideas", func(t *testing.T) { testIdeas(t, newStore(t)) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, newStore(t)) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newStore(t)) })
}

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

type tenant struct {
	account, site, sector, otherSite igny8.Scope
}

func newTenant(t *testing.T, s Store, name string) tenant {
	t.Helper()
	a := storetest.NewAccount(t, s, name)
	return tenant{account: a.Account, site: a.Site, sector: a.Sector, otherSite: a.OtherSite}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code igny8.Code) {
	t.Helper()
	if got := igny8.CodeOf(err); got != code {
		t.Errorf("%s: got %v (code %q), want code %q", what, err, got, code)
	}
}

var ids = &igny8.UUIDv7{}

func makeKeywords(texts ...string) []planning.Keyword {
	out := make([]planning.Keyword, len(texts))
	for i, text := range texts {
		out[i] = planning.Keyword{
			ID: ids.NewID(), Text: text, Normalized: planning.Normalize(text), Volume: int64(100 * (i + 1)),
			Difficulty: i % 101, CPC: 0.5, Intent: planning.IntentCommercial, Status: planning.StatusActive,
			Source: "test", CreatedAt: t0, UpdatedAt: t0,
		}
	}
	return out
}

func keywordIDs(kws []planning.Keyword) []string {
	out := make([]string, len(kws))
	for i, k := range kws {
		out[i] = k.ID
	}
	return out
}

func testKeywords(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "keywords")
	kws := makeKeywords("Running Shoes", "trail shoes", "Straße Schuhe")
	kws[2].Difficulty = planning.DifficultyUnknown
	kws[2].CPC = 1.25
	must(t, s.CreateKeywords(ctx, tn.sector, kws))

	got, err := s.GetKeyword(ctx, tn.site, kws[0].ID)
	must(t, err)
	want := kws[0]
	want.AccountID, want.SiteID, want.SectorID = tn.sector.AccountID, tn.sector.SiteID, tn.sector.SectorID
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keyword read back:\n got %+v\nwant %+v", got, want)
	}
	got, err = s.GetKeyword(ctx, tn.sector, kws[2].ID)
	must(t, err)
	if got.Difficulty != planning.DifficultyUnknown || got.CPC != 1.25 || got.Normalized != "strasse schuhe" {
		t.Errorf("keyword 2 read back: %+v", got)
	}

	got.Text, got.Normalized, got.Volume, got.Status, got.UpdatedAt = "strasse schuh", "strasse schuh", 7, planning.StatusArchived, t0.Add(time.Hour)
	must(t, s.UpdateKeyword(ctx, tn.sector, got))
	again, err := s.GetKeyword(ctx, tn.sector, got.ID)
	must(t, err)
	if !reflect.DeepEqual(again, got) {
		t.Errorf("after update:\n got %+v\nwant %+v", again, got)
	}

	found, err := s.KeywordsByNormalized(ctx, tn.sector, []string{"running shoes", "strasse schuh", "absent"})
	must(t, err)
	if len(found) != 2 || found[0].ID != kws[0].ID || found[1].ID != kws[2].ID {
		t.Errorf("KeywordsByNormalized = %v", keywordIDs(found))
	}
	// exact sector: the site's own (sector "") keywords are another set
	found, err = s.KeywordsByNormalized(ctx, tn.site, []string{"running shoes"})
	must(t, err)
	if len(found) != 0 {
		t.Errorf("KeywordsByNormalized in the site without sector found %d, want 0", len(found))
	}

	must(t, s.DeleteKeyword(ctx, tn.sector, kws[1].ID))
	_, err = s.GetKeyword(ctx, tn.sector, kws[1].ID)
	wantCode(t, "get deleted keyword", err, igny8.CodeNotFound)
	wantCode(t, "delete deleted keyword", s.DeleteKeyword(ctx, tn.sector, kws[1].ID), igny8.CodeNotFound)
	wantCode(t, "update missing keyword", s.UpdateKeyword(ctx, tn.sector, kws[1]), igny8.CodeNotFound)
}

func testKeywordUniqueness(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "unique")
	must(t, s.CreateKeywords(ctx, tn.sector, makeKeywords("running shoes")))
	// same normalized text in the same site and sector
	wantCode(t, "duplicate in sector", s.CreateKeywords(ctx, tn.sector, makeKeywords("Running  Shoes!")), igny8.CodeConflict)
	// the same text in the site without a sector, in another site, and in
	// another account is a different keyword
	must(t, s.CreateKeywords(ctx, tn.site, makeKeywords("running shoes")))
	must(t, s.CreateKeywords(ctx, tn.otherSite, makeKeywords("running shoes")))
	other := newTenant(t, s, "unique-other")
	must(t, s.CreateKeywords(ctx, other.sector, makeKeywords("running shoes")))
	// a duplicate inside one batch
	wantCode(t, "duplicate in batch", s.CreateKeywords(ctx, tn.otherSite, makeKeywords("a b", "A-B")), igny8.CodeConflict)
	// an update onto an existing normalized text
	kws := makeKeywords("trail shoes")
	must(t, s.CreateKeywords(ctx, tn.sector, kws))
	kws[0].Text, kws[0].Normalized = "running shoes", "running shoes"
	wantCode(t, "update onto duplicate", s.UpdateKeyword(ctx, tn.sector, kws[0]), igny8.CodeConflict)
}

func testKeywordFilters(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "filters")
	var texts []string
	for i := range 25 {
		texts = append(texts, fmt.Sprintf("keyword %02d", i))
	}
	kws := makeKeywords(texts...)
	kws[3].Status = planning.StatusArchived
	kws[4].Intent = planning.IntentInformational
	kws[5].Text, kws[5].Normalized = "special 50% off", "special 50 off"
	must(t, s.CreateKeywords(ctx, tn.sector, kws))
	cl := planning.Cluster{ID: ids.NewID(), Name: "c", Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateClusters(ctx, tn.sector, []planning.Cluster{cl}))
	must(t, s.AssignKeywords(ctx, tn.sector, cl.ID, []string{kws[0].ID, kws[1].ID}, t0))

	tests := []struct {
		name string
		f    planning.KeywordFilter
		want []int
	}{
		{"active default", planning.KeywordFilter{}, rangeExcept(25, 3)},
		{"archived", planning.KeywordFilter{Status: planning.StatusArchived}, []int{3}},
		{"all", planning.KeywordFilter{Status: planning.StatusAll}, rangeExcept(25)},
		{"cluster", planning.KeywordFilter{ClusterID: cl.ID}, []int{0, 1}},
		{"unclustered", planning.KeywordFilter{Unclustered: true, Status: planning.StatusAll}, rangeExcept(25, 0, 1)},
		{"intent", planning.KeywordFilter{Intent: planning.IntentInformational}, []int{4}},
		{"volume range", planning.KeywordFilter{MinVolume: 1000, MaxVolume: 1200}, []int{9, 10, 11}},
		{"contains", planning.KeywordFilter{Contains: "50%"}, []int{5}},
		{"contains is not a pattern", planning.KeywordFilter{Contains: "%"}, rangeExcept(25, 3)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			after := ""
			for {
				page, err := s.ListKeywords(ctx, tn.site, tc.f, igny8.PageRequest{Limit: 4, After: after})
				must(t, err)
				if len(page) > 4 {
					t.Fatalf("page of %d > limit 4", len(page))
				}
				for _, k := range page {
					got = append(got, k.ID)
				}
				if len(page) < 4 {
					break
				}
				after = page[len(page)-1].ID
			}
			var want []string
			for _, i := range tc.want {
				want = append(want, kws[i].ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %d keywords, want %d (%v)", len(got), len(want), tc.want)
			}
		})
	}
}

// rangeExcept returns 0..n-1 without the given indexes ("contains %"
// keeps everything but the archived one only because Normalize drops the
// %: an empty filter).
func rangeExcept(n int, except ...int) []int {
	var out []int
	for i := range n {
		if !slices.Contains(except, i) {
			out = append(out, i)
		}
	}
	return out
}

func testBulkAllOrNone(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "bulk")
	var texts []string
	for i := range 1200 {
		texts = append(texts, fmt.Sprintf("bulk keyword %d", i))
	}
	kws := makeKeywords(texts...)
	must(t, s.CreateKeywords(ctx, tn.sector, kws[:1000]))
	all, err := s.KeywordsByNormalized(ctx, tn.sector, normalized(kws))
	must(t, err)
	if len(all) != 1000 {
		t.Fatalf("KeywordsByNormalized over 1,200 texts found %d, want 1,000", len(all))
	}
	// a batch whose last row collides must leave nothing behind
	batch := append(slices.Clone(kws[1000:]), makeKeywords("bulk keyword 5")...)
	wantCode(t, "bulk with a late duplicate", s.CreateKeywords(ctx, tn.sector, batch), igny8.CodeConflict)
	got, err := s.KeywordsByNormalized(ctx, tn.sector, normalized(kws[1000:]))
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("%d keywords of a refused batch were written", len(got))
	}
	// AssignKeywords with one unknown id changes nothing
	cl := planning.Cluster{ID: ids.NewID(), Name: "c", Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateClusters(ctx, tn.sector, []planning.Cluster{cl}))
	wantCode(t, "assign with unknown id", s.AssignKeywords(ctx, tn.sector, cl.ID, []string{kws[0].ID, "nope"}, t0), igny8.CodeNotFound)
	k, err := s.GetKeyword(ctx, tn.sector, kws[0].ID)
	must(t, err)
	if k.ClusterID != "" {
		t.Errorf("a refused assignment moved a keyword into %q", k.ClusterID)
	}
	wantCode(t, "assign to unknown cluster", s.AssignKeywords(ctx, tn.sector, "nope", []string{kws[0].ID}, t0), igny8.CodeNotFound)
	// SetKeywordClusters: bulk, all or none
	cl2 := planning.Cluster{ID: ids.NewID(), Name: "c2", Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateClusters(ctx, tn.sector, []planning.Cluster{cl2}))
	moves := map[string]string{}
	for i, k := range kws[:1000] {
		moves[k.ID] = []string{cl.ID, cl2.ID, ""}[i%3]
	}
	must(t, s.SetKeywordClusters(ctx, tn.sector, moves, t0))
	for _, probe := range []int{0, 1, 2, 999} {
		k, err := s.GetKeyword(ctx, tn.sector, kws[probe].ID)
		must(t, err)
		if k.ClusterID != moves[k.ID] {
			t.Errorf("SetKeywordClusters: keyword %d in %q, want %q", probe, k.ClusterID, moves[k.ID])
		}
	}
	wantCode(t, "set with unknown keyword", s.SetKeywordClusters(ctx, tn.sector, map[string]string{kws[2].ID: cl.ID, "nope": cl.ID}, t0), igny8.CodeNotFound)
	wantCode(t, "set with unknown cluster", s.SetKeywordClusters(ctx, tn.sector, map[string]string{kws[2].ID: "nope"}, t0), igny8.CodeNotFound)
	if k, _ := s.GetKeyword(ctx, tn.sector, kws[2].ID); k.ClusterID != "" {
		t.Errorf("a refused SetKeywordClusters moved a keyword into %q", k.ClusterID)
	}
	must(t, s.SetKeywordClusters(ctx, tn.sector, map[string]string{}, t0))
	ids1000 := keywordIDs(kws[:1000])
	must(t, s.AssignKeywords(ctx, tn.sector, cl.ID, ids1000, t0.Add(time.Minute)))
	in, err := s.ListKeywords(ctx, tn.sector, planning.KeywordFilter{ClusterID: cl.ID}, igny8.PageRequest{Limit: igny8.MaxPageLimit})
	must(t, err)
	if len(in) != 1000 || !in[0].UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("assigned %d of 1,000", len(in))
	}
}

func normalized(kws []planning.Keyword) []string {
	out := make([]string, len(kws))
	for i, k := range kws {
		out[i] = k.Normalized
	}
	return out
}

func testClusters(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "clusters")
	cs := []planning.Cluster{
		{ID: ids.NewID(), Name: "Running shoes", Description: "d", Intent: planning.IntentCommercial, PillarKeywordID: "k1",
			PillarKeyword: "running shoes", KeywordCount: 3, TotalVolume: 1200, MeanDifficulty: 41.5, Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0},
		{ID: ids.NewID(), Name: "Archived", MeanDifficulty: -1, Status: planning.StatusArchived, CreatedAt: t0, UpdatedAt: t0},
	}
	must(t, s.CreateClusters(ctx, tn.sector, cs))
	got, err := s.GetCluster(ctx, tn.site, cs[0].ID)
	must(t, err)
	want := cs[0]
	want.AccountID, want.SiteID, want.SectorID = tn.sector.AccountID, tn.sector.SiteID, tn.sector.SectorID
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cluster read back:\n got %+v\nwant %+v", got, want)
	}
	list, err := s.ListClusters(ctx, tn.sector, planning.ClusterFilter{}, igny8.PageRequest{})
	must(t, err)
	if len(list) != 1 || list[0].ID != cs[0].ID {
		t.Errorf("active clusters = %d", len(list))
	}
	list, err = s.ListClusters(ctx, tn.sector, planning.ClusterFilter{Status: planning.StatusAll}, igny8.PageRequest{Limit: 1, After: cs[0].ID})
	must(t, err)
	if len(list) != 1 || list[0].ID != cs[1].ID {
		t.Errorf("second page of all clusters = %d", len(list))
	}
	got.Name, got.KeywordCount, got.UpdatedAt = "Renamed", 4, t0.Add(time.Hour)
	must(t, s.UpdateCluster(ctx, tn.sector, got))
	again, err := s.GetCluster(ctx, tn.sector, got.ID)
	must(t, err)
	if !reflect.DeepEqual(again, got) {
		t.Errorf("after update:\n got %+v\nwant %+v", again, got)
	}
	kws := makeKeywords("a", "b")
	must(t, s.CreateKeywords(ctx, tn.sector, kws))
	must(t, s.AssignKeywords(ctx, tn.sector, cs[0].ID, keywordIDs(kws), t0))
	must(t, s.DeleteCluster(ctx, tn.sector, cs[0].ID))
	_, err = s.GetCluster(ctx, tn.sector, cs[0].ID)
	wantCode(t, "get deleted cluster", err, igny8.CodeNotFound)
	k, err := s.GetKeyword(ctx, tn.sector, kws[0].ID)
	must(t, err)
	if k.ClusterID != "" {
		t.Errorf("keyword still in deleted cluster %q", k.ClusterID)
	}
	wantCode(t, "delete missing cluster", s.DeleteCluster(ctx, tn.sector, cs[0].ID), igny8.CodeNotFound)
	wantCode(t, "update missing cluster", s.UpdateCluster(ctx, tn.sector, cs[0]), igny8.CodeNotFound)
}

func makeIdea(clusterID, primary string) planning.ContentIdea {
	return planning.ContentIdea{
		ID: ids.NewID(), ClusterID: clusterID, Title: "Guide to " + primary, Description: "desc",
		Outline:     []planning.Heading{{Level: 2, Text: "Why"}, {Level: 3, Text: "Because"}},
		ContentType: planning.ContentPost, PrimaryKeyword: primary, SecondaryKeywords: []string{"x", "y"},
		EstimatedWords: 1500, Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0,
	}
}

func testIdeas(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "ideas")
	ideas := []planning.ContentIdea{makeIdea("c1", "Running Shoes"), makeIdea("c2", "trail shoes"), makeIdea("c1", "espresso")}
	ideas[1].Cannibalizes = []string{"idea:" + ideas[0].ID}
	must(t, s.CreateIdeas(ctx, tn.sector, ideas))
	got, err := s.GetIdea(ctx, tn.site, ideas[1].ID)
	must(t, err)
	want := ideas[1]
	want.AccountID, want.SiteID, want.SectorID = tn.sector.AccountID, tn.sector.SiteID, tn.sector.SectorID
	if !reflect.DeepEqual(got, want) {
		t.Errorf("idea read back:\n got %+v\nwant %+v", got, want)
	}
	list, err := s.ListIdeas(ctx, tn.sector, planning.IdeaFilter{ClusterID: "c1"}, igny8.PageRequest{})
	must(t, err)
	if len(list) != 2 || list[0].ID != ideas[0].ID || list[1].ID != ideas[2].ID {
		t.Errorf("ideas of c1 = %d", len(list))
	}
	byKw, err := s.IdeasByPrimaryKeyword(ctx, tn.site, []string{"running shoes", "nope"})
	must(t, err)
	if len(byKw) != 1 || byKw[0].ID != ideas[0].ID {
		t.Errorf("IdeasByPrimaryKeyword = %d ideas", len(byKw))
	}
	got.Title, got.Status, got.PrimaryKeyword, got.Outline, got.UpdatedAt = "New", planning.StatusArchived, "espresso machine", nil, t0.Add(time.Hour)
	must(t, s.UpdateIdea(ctx, tn.sector, got))
	again, err := s.GetIdea(ctx, tn.sector, got.ID)
	must(t, err)
	if again.Title != "New" || again.Status != planning.StatusArchived || len(again.Outline) != 0 || again.PrimaryKeyword != "espresso machine" {
		t.Errorf("after update: %+v", again)
	}
	byKw, err = s.IdeasByPrimaryKeyword(ctx, tn.site, []string{"espresso machine"})
	must(t, err)
	if len(byKw) != 1 || byKw[0].ID != got.ID {
		t.Errorf("IdeasByPrimaryKeyword after a primary keyword change = %d ideas", len(byKw))
	}
	list, err = s.ListIdeas(ctx, tn.sector, planning.IdeaFilter{}, igny8.PageRequest{})
	must(t, err)
	if len(list) != 2 {
		t.Errorf("active ideas = %d, want 2", len(list))
	}
	must(t, s.DeleteIdea(ctx, tn.sector, ideas[0].ID))
	_, err = s.GetIdea(ctx, tn.sector, ideas[0].ID)
	wantCode(t, "get deleted idea", err, igny8.CodeNotFound)
	wantCode(t, "delete missing idea", s.DeleteIdea(ctx, tn.sector, ideas[0].ID), igny8.CodeNotFound)
	wantCode(t, "update missing idea", s.UpdateIdea(ctx, tn.sector, ideas[0]), igny8.CodeNotFound)
}

func testTransactions(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "tx")
	boom := errors.New("boom")
	kws := makeKeywords("rolled back")
	err := s.InTx(ctx, func(ctx context.Context) error {
		must(t, s.CreateKeywords(ctx, tn.sector, kws))
		must(t, s.CreateClusters(ctx, tn.sector, []planning.Cluster{{ID: ids.NewID(), Name: "c", Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0}}))
		must(t, s.CreateIdeas(ctx, tn.sector, []planning.ContentIdea{makeIdea("", "rolled back")}))
		if _, err := s.GetKeyword(ctx, tn.sector, kws[0].ID); err != nil {
			t.Errorf("keyword not visible inside its transaction: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	_, err = s.GetKeyword(ctx, tn.sector, kws[0].ID)
	wantCode(t, "keyword after rollback", err, igny8.CodeNotFound)
	cs, err := s.ListClusters(ctx, tn.sector, planning.ClusterFilter{Status: planning.StatusAll}, igny8.PageRequest{})
	must(t, err)
	ideas, err := s.ListIdeas(ctx, tn.sector, planning.IdeaFilter{Status: planning.StatusAll}, igny8.PageRequest{})
	must(t, err)
	if len(cs) != 0 || len(ideas) != 0 {
		t.Errorf("after rollback: %d clusters, %d ideas", len(cs), len(ideas))
	}
	// creating in a site of another account is NotFound
	other := newTenant(t, s, "tx-other")
	foreign := igny8.Scope{AccountID: tn.account.AccountID, SiteID: other.site.SiteID}
	wantCode(t, "keywords into a foreign site", s.CreateKeywords(ctx, foreign, makeKeywords("x")), igny8.CodeNotFound)
	wantCode(t, "clusters into a foreign site", s.CreateClusters(ctx, foreign, []planning.Cluster{{ID: ids.NewID(), Name: "c", Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0}}), igny8.CodeNotFound)
	wantCode(t, "ideas into a foreign site", s.CreateIdeas(ctx, foreign, []planning.ContentIdea{makeIdea("", "x")}), igny8.CodeNotFound)
	badSector := igny8.Scope{AccountID: tn.account.AccountID, SiteID: tn.otherSite.SiteID, SectorID: tn.sector.SectorID}
	wantCode(t, "keywords into a sector of another site", s.CreateKeywords(ctx, badSector, makeKeywords("x")), igny8.CodeNotFound)
}

// testIsolation creates rows in one tenant and checks every method from the
// scope of another account and of another site of the same account.
func testIsolation(t *testing.T, s Store) {
	ctx := context.Background()
	owner := newTenant(t, s, "owner")
	intruder := newTenant(t, s, "intruder")
	kws := makeKeywords("secret keyword")
	must(t, s.CreateKeywords(ctx, owner.sector, kws))
	cl := planning.Cluster{ID: ids.NewID(), Name: "secret", Status: planning.StatusActive, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateClusters(ctx, owner.sector, []planning.Cluster{cl}))
	idea := makeIdea(cl.ID, "secret keyword")
	must(t, s.CreateIdeas(ctx, owner.sector, []planning.ContentIdea{idea}))

	outsiders := map[string]igny8.Scope{
		"other account":               intruder.site,
		"other account, owner ids":    {AccountID: intruder.account.AccountID, SiteID: owner.site.SiteID, SectorID: owner.sector.SectorID},
		"same account, other site":    owner.otherSite,
		"owner account, foreign site": {AccountID: owner.account.AccountID, SiteID: intruder.site.SiteID},
	}
	for name, sc := range outsiders {
		t.Run(name, func(t *testing.T) {
			_, err := s.GetKeyword(ctx, sc, kws[0].ID)
			wantCode(t, "GetKeyword", err, igny8.CodeNotFound)
			list, err := s.ListKeywords(ctx, sc, planning.KeywordFilter{Status: planning.StatusAll}, igny8.PageRequest{})
			if err == nil && len(list) != 0 {
				t.Errorf("ListKeywords saw %d foreign keywords", len(list))
			}
			found, err := s.KeywordsByNormalized(ctx, sc, []string{"secret keyword"})
			if err == nil && len(found) != 0 {
				t.Errorf("KeywordsByNormalized saw %d foreign keywords", len(found))
			}
			k := kws[0]
			k.Text = "stolen"
			wantCode(t, "UpdateKeyword", s.UpdateKeyword(ctx, sc, k), igny8.CodeNotFound)
			wantCode(t, "DeleteKeyword", s.DeleteKeyword(ctx, sc, kws[0].ID), igny8.CodeNotFound)
			if err := s.AssignKeywords(ctx, sc, "", []string{kws[0].ID}, t0); igny8.CodeOf(err) != igny8.CodeNotFound {
				t.Errorf("AssignKeywords: got %v, want NotFound", err)
			}
			if err := s.SetKeywordClusters(ctx, sc, map[string]string{kws[0].ID: ""}, t0); igny8.CodeOf(err) != igny8.CodeNotFound {
				t.Errorf("SetKeywordClusters of a foreign keyword: got %v, want NotFound", err)
			}
			if err := s.SetKeywordClusters(ctx, sc, map[string]string{}, t0); err != nil {
				t.Errorf("empty SetKeywordClusters: %v", err)
			}

			_, err = s.GetCluster(ctx, sc, cl.ID)
			wantCode(t, "GetCluster", err, igny8.CodeNotFound)
			cls, err := s.ListClusters(ctx, sc, planning.ClusterFilter{Status: planning.StatusAll}, igny8.PageRequest{})
			if err == nil && len(cls) != 0 {
				t.Errorf("ListClusters saw %d foreign clusters", len(cls))
			}
			c := cl
			c.Name = "stolen"
			wantCode(t, "UpdateCluster", s.UpdateCluster(ctx, sc, c), igny8.CodeNotFound)
			wantCode(t, "DeleteCluster", s.DeleteCluster(ctx, sc, cl.ID), igny8.CodeNotFound)

			_, err = s.GetIdea(ctx, sc, idea.ID)
			wantCode(t, "GetIdea", err, igny8.CodeNotFound)
			ideas, err := s.ListIdeas(ctx, sc, planning.IdeaFilter{Status: planning.StatusAll}, igny8.PageRequest{})
			if err == nil && len(ideas) != 0 {
				t.Errorf("ListIdeas saw %d foreign ideas", len(ideas))
			}
			byKw, err := s.IdeasByPrimaryKeyword(ctx, sc, []string{"secret keyword"})
			if err == nil && len(byKw) != 0 {
				t.Errorf("IdeasByPrimaryKeyword saw %d foreign ideas", len(byKw))
			}
			i := idea
			i.Title = "stolen"
			wantCode(t, "UpdateIdea", s.UpdateIdea(ctx, sc, i), igny8.CodeNotFound)
			wantCode(t, "DeleteIdea", s.DeleteIdea(ctx, sc, idea.ID), igny8.CodeNotFound)
		})
	}
	// the owner's rows are untouched
	k, err := s.GetKeyword(ctx, owner.sector, kws[0].ID)
	must(t, err)
	c, err := s.GetCluster(ctx, owner.sector, cl.ID)
	must(t, err)
	i, err := s.GetIdea(ctx, owner.sector, idea.ID)
	must(t, err)
	if k.Text != "secret keyword" || c.Name != "secret" || i.Title != idea.Title {
		t.Errorf("an outsider changed the owner's rows: %q %q %q", k.Text, c.Name, i.Title)
	}
}
