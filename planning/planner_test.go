package planning_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/planning/kwimport"
)

type env struct {
	store   *sqlstore.Store
	planner *planning.Planner
	limits  *igny8.Limits
	events  *igny8.Events
	credits *igny8.Credits
	scope   igny8.Scope
	clock   *igny8.ManualClock
}

// newEnv opens a store with one account on a plan with the given limits, a
// site and a sector, and a Planner with the offline model.
func newEnv(t *testing.T, st *sqlstore.Store, limits map[igny8.Limit]int64) *env {
	t.Helper()
	ctx := context.Background()
	clock := igny8.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	ids := &igny8.UUIDv7{Clock: clock}
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{Clock: clock, IDs: ids})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "test", Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "acme", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	a := igny8.Scope{AccountID: acct.ID}
	site, err := ten.CreateSite(ctx, a, igny8.Site{Name: "shoes", Domain: "shoes.example"})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := ten.CreateSector(ctx, site.Scope(), igny8.Sector{Name: "Running"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, clock: clock, scope: sec.Scope()}
	e.limits = igny8.NewLimits(st, clock)
	e.events = igny8.NewEvents(st, clock, ids)
	e.credits = igny8.NewCredits(st, igny8.CreditsOptions{Clock: clock, IDs: ids})
	if _, err := e.credits.Grant(ctx, a, igny8.Charge{Amount: 100000, Reason: "test", IdempotencyKey: "grant"}); err != nil {
		t.Fatal(err)
	}
	runner, err := ai.NewRunner(st, e.limits, e.credits, offline.New(offline.Options{}), st, ai.RunnerOptions{Clock: clock, IDs: ids, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	e.planner = planning.NewPlanner(st, e.limits, e.events, planning.PlannerOptions{Clock: clock, IDs: ids, Runner: runner})
	return e
}

func (e *env) eventsOf(t *testing.T, typ igny8.EventType) []igny8.Event {
	t.Helper()
	evs, err := e.events.Read(context.Background(), igny8.EventQuery{Consumer: fmt.Sprintf("test-%d", time.Now().UnixNano()), Scope: igny8.Scope{AccountID: e.scope.AccountID}, Types: []igny8.EventType{typ}, Limit: igny8.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func (e *env) usage(t *testing.T, l igny8.Limit) int64 {
	t.Helper()
	u, err := e.limits.Usage(context.Background(), e.scope, l)
	if err != nil {
		t.Fatal(err)
	}
	return u.Used
}

func parseFile(t *testing.T, name string) *kwimport.Result {
	t.Helper()
	f, err := os.Open(filepath.Join("kwimport", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	res, err := kwimport.Parse(f, kwimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportFiles(t *testing.T) {
	for _, name := range []string{"keyword_planner.csv", "semrush.csv", "ahrefs.tsv", "plain.csv"} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sqlstoretest.SQLite(t), nil)
			ctx := context.Background()
			res := parseFile(t, name)
			rep, err := e.planner.Import(ctx, e.scope, res.Keywords())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Added) != len(res.Rows) || len(rep.Folded) != 0 || len(rep.Rejected) != 0 {
				t.Fatalf("added %d folded %d rejected %d of %d rows", len(rep.Added), len(rep.Folded), len(rep.Rejected), len(res.Rows))
			}
			evs := e.eventsOf(t, igny8.EventKeywordAdded)
			if len(evs) != 1 || evs[0].Subject != rep.BatchID || !strings.Contains(string(evs[0].Payload), fmt.Sprintf(`"count":%d`, len(rep.Added))) {
				t.Fatalf("keyword_added events = %+v", evs)
			}
			if got := e.usage(t, igny8.LimitMaxKeywords); got != int64(len(rep.Added)) {
				t.Errorf("max_keywords usage %d, want %d", got, len(rep.Added))
			}
			// importing the same file again folds every row into what exists
			again, err := e.planner.Import(ctx, e.scope, res.Keywords())
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Added) != 0 || len(again.Folded) != len(res.Rows) {
				t.Fatalf("second import added %d, folded %d", len(again.Added), len(again.Folded))
			}
			if len(e.eventsOf(t, igny8.EventKeywordAdded)) != 1 {
				t.Errorf("an import that added nothing emitted an event")
			}
		})
	}
}

func TestImportFoldsAndRejects(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), nil)
	ctx := context.Background()
	if _, err := e.planner.AddKeyword(ctx, e.scope, planning.KeywordInput{Text: "Running Shoes", Volume: 10}); err != nil {
		t.Fatal(err)
	}
	rep, err := e.planner.Import(ctx, e.scope, []planning.KeywordInput{
		{Text: "trail shoes", Volume: 5},
		{Text: "running shoes!", Volume: 7},
		{Text: "TRAIL  SHOES"},
		{Text: "", Volume: 1},
		{Text: "hiking boots", Difficulty: 140},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 1 || rep.Added[0].Text != "trail shoes" {
		t.Fatalf("added = %+v", rep.Added)
	}
	if len(rep.Folded) != 2 || rep.Folded[0].Into != "input 0" || rep.Folded[1].Index != 1 || strings.HasPrefix(rep.Folded[1].Into, "input") {
		t.Errorf("folded = %+v", rep.Folded)
	}
	if len(rep.Rejected) != 2 || rep.Rejected[0].Index != 3 || !strings.Contains(rep.Rejected[1].Reason, "difficulty") {
		t.Errorf("rejected = %+v", rep.Rejected)
	}
	_, err = e.planner.AddKeyword(ctx, e.scope, planning.KeywordInput{Text: "running-shoes"})
	if igny8.CodeOf(err) != igny8.CodeConflict {
		t.Errorf("AddKeyword of an existing keyword: %v, want Conflict", err)
	}
}

func TestImportLimitIsAllOrNothing(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{igny8.LimitMaxKeywords: 10})
	ctx := context.Background()
	var first []planning.KeywordInput
	for i := range 8 {
		first = append(first, planning.KeywordInput{Text: fmt.Sprintf("keyword %d", i)})
	}
	if _, err := e.planner.Import(ctx, e.scope, first); err != nil {
		t.Fatal(err)
	}
	var second []planning.KeywordInput
	for i := range 5 {
		second = append(second, planning.KeywordInput{Text: fmt.Sprintf("other %d", i)})
	}
	second = append(second, planning.KeywordInput{Text: "keyword 0"}) // folded, does not count
	_, err := e.planner.Import(ctx, e.scope, second)
	var le *igny8.LimitError
	if !errors.Is(err, igny8.ErrLimitExceeded) || !errors.As(err, &le) || le.Remaining() != 2 {
		t.Fatalf("err = %v, want LimitExceeded with 2 remaining", err)
	}
	if !strings.Contains(err.Error(), "5 keywords refused, only 2 more fit") {
		t.Errorf("message %q does not say how many fit", err)
	}
	list, err := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{Status: planning.StatusAll}, igny8.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 8 || e.usage(t, igny8.LimitMaxKeywords) != 8 || len(e.eventsOf(t, igny8.EventKeywordAdded)) != 1 {
		t.Fatalf("a refused import left %d keywords, usage %d", len(list), e.usage(t, igny8.LimitMaxKeywords))
	}
	// exactly what fits is accepted
	if _, err := e.planner.Import(ctx, e.scope, second[:2]); err != nil {
		t.Fatalf("import of 2 into 2 free slots: %v", err)
	}
}

func TestImportLimitConcurrent(t *testing.T) {
	stores := map[string]func(t *testing.T) *sqlstore.Store{
		"sqlite":   func(t *testing.T) *sqlstore.Store { return sqlstoretest.SQLite(t) },
		"postgres": func(t *testing.T) *sqlstore.Store { return sqlstoretest.Postgres(t) },
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { testImportLimitConcurrent(t, open(t)) })
	}
}

func testImportLimitConcurrent(t *testing.T, st *sqlstore.Store) {
	e := newEnv(t, st, map[igny8.Limit]int64{igny8.LimitMaxKeywords: 25})
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ins []planning.KeywordInput
			for i := range 10 {
				ins = append(ins, planning.KeywordInput{Text: fmt.Sprintf("g%d k%d", g, i)})
			}
			_, _ = e.planner.Import(ctx, e.scope, ins)
		}()
	}
	wg.Wait()
	list, err := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{}, igny8.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 20 || e.usage(t, igny8.LimitMaxKeywords) != 20 {
		t.Fatalf("concurrent imports of 10 under a limit of 25: %d keywords, usage %d; want 20", len(list), e.usage(t, igny8.LimitMaxKeywords))
	}
}

func TestKeywordLifecycle(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), nil)
	ctx := context.Background()
	k, err := e.planner.AddKeyword(ctx, e.scope, planning.KeywordInput{Text: "Trail Shoes", Volume: 100, Difficulty: 30})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.planner.AddKeyword(ctx, e.scope, planning.KeywordInput{Text: "road shoes", Volume: 50, Difficulty: planning.DifficultyUnknown})
	if err != nil {
		t.Fatal(err)
	}
	text, vol := "trail running shoes", int64(900)
	k2, err := e.planner.UpdateKeyword(ctx, e.scope, k.ID, planning.KeywordUpdate{Text: &text, Volume: &vol})
	if err != nil {
		t.Fatal(err)
	}
	if k2.Normalized != "trail running shoes" || k2.Volume != 900 || k2.Difficulty != 30 {
		t.Errorf("updated = %+v", k2)
	}
	dup := "Road Shoes"
	if _, err := e.planner.UpdateKeyword(ctx, e.scope, k.ID, planning.KeywordUpdate{Text: &dup}); igny8.CodeOf(err) != igny8.CodeConflict {
		t.Errorf("rename onto an existing keyword: %v, want Conflict", err)
	}
	bad := 101
	if _, err := e.planner.UpdateKeyword(ctx, e.scope, k.ID, planning.KeywordUpdate{Difficulty: &bad}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("difficulty 101: %v, want InvalidArgument", err)
	}
	if _, err := e.planner.ArchiveKeyword(ctx, e.scope, other.ID); err != nil {
		t.Fatal(err)
	}
	active, _ := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{}, igny8.PageRequest{})
	archived, _ := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{Status: planning.StatusArchived}, igny8.PageRequest{})
	if len(active) != 1 || len(archived) != 1 || e.usage(t, igny8.LimitMaxKeywords) != 2 {
		t.Errorf("after archive: %d active, %d archived, usage %d", len(active), len(archived), e.usage(t, igny8.LimitMaxKeywords))
	}
	if err := e.planner.DeleteKeyword(ctx, e.scope, other.ID); err != nil {
		t.Fatal(err)
	}
	if e.usage(t, igny8.LimitMaxKeywords) != 1 {
		t.Errorf("delete did not free the slot: usage %d", e.usage(t, igny8.LimitMaxKeywords))
	}
	if err := e.planner.DeleteKeyword(ctx, e.scope, other.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
		t.Errorf("second delete: %v", err)
	}
	if _, err := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{Status: "gone"}, igny8.PageRequest{}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("bad status filter: %v", err)
	}
}

func importTexts(t *testing.T, e *env, texts map[string]int64) {
	t.Helper()
	var ins []planning.KeywordInput
	for text, v := range texts {
		ins = append(ins, planning.KeywordInput{Text: text, Volume: v, Difficulty: int(v % 100)})
	}
	if _, err := e.planner.Import(context.Background(), e.scope, ins); err != nil {
		t.Fatal(err)
	}
}

func TestClusterPersistsAndIsIncremental(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), nil)
	ctx := context.Background()
	importTexts(t, e, map[string]int64{
		"espresso machine": 5000, "espresso machines": 800, "home espresso machine": 600,
		"how to descale a kettle": 300, "descale kettle": 200,
		"yoga mat": 900, "thick yoga mat": 90,
	})
	rep, err := e.planner.Cluster(ctx, e.scope, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Created) != 3 {
		t.Fatalf("created %d clusters: %+v", len(rep.Created), rep.Created)
	}
	espresso := rep.Created[0]
	if espresso.Name != "espresso machine" || espresso.KeywordCount != 3 || espresso.TotalVolume != 6400 || espresso.PillarKeyword != "espresso machine" {
		t.Errorf("first cluster = %+v", espresso)
	}
	stored, err := e.planner.GetCluster(ctx, e.scope, espresso.ID)
	if err != nil || stored.KeywordCount != 3 {
		t.Fatalf("stored cluster = %+v, %v", stored, err)
	}
	if n := len(e.eventsOf(t, igny8.EventClusterCreated)); n != 3 {
		t.Errorf("%d cluster_created events, want 3", n)
	}
	if e.usage(t, igny8.LimitMaxClusters) != 3 {
		t.Errorf("max_clusters usage %d", e.usage(t, igny8.LimitMaxClusters))
	}
	before, _ := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{}, igny8.PageRequest{})

	// new keywords join existing clusters or form new ones; nothing moves
	importTexts(t, e, map[string]int64{"espresso machine reviews": 70, "coffee grinder": 400, "burr coffee grinder": 80})
	rep2, err := e.planner.Cluster(ctx, e.scope, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Created) != 1 || rep2.Created[0].Name != "coffee grinder" || rep2.Joined[espresso.ID] != 1 {
		t.Fatalf("second run: created %+v joined %v", rep2.Created, rep2.Joined)
	}
	for _, k := range before {
		now, err := e.planner.GetKeyword(ctx, e.scope, k.ID)
		if err != nil || now.ClusterID != k.ClusterID {
			t.Errorf("keyword %q moved from %q to %q", k.Text, k.ClusterID, now.ClusterID)
		}
	}
	stored, _ = e.planner.GetCluster(ctx, e.scope, espresso.ID)
	if stored.KeywordCount != 4 || stored.TotalVolume != 6470 {
		t.Errorf("joined cluster figures not refreshed: %+v", stored)
	}
	// a third run with nothing new does nothing
	rep3, err := e.planner.Cluster(ctx, e.scope, nil)
	if err != nil || len(rep3.Created) != 0 || len(rep3.Joined) != 0 {
		t.Fatalf("third run: %+v, %v", rep3, err)
	}
}

func TestClusterLimit(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{igny8.LimitMaxClusters: 2})
	ctx := context.Background()
	importTexts(t, e, map[string]int64{"espresso machine": 5, "yoga mat": 4, "coffee grinder": 3})
	_, err := e.planner.Cluster(ctx, e.scope, nil)
	var le *igny8.LimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "3 new clusters refused, only 2 more fit") {
		t.Fatalf("err = %v, want LimitExceeded saying 2 fit", err)
	}
	cs, _ := e.planner.ListClusters(ctx, e.scope, planning.ClusterFilter{}, igny8.PageRequest{})
	un, _ := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{Unclustered: true}, igny8.PageRequest{})
	if len(cs) != 0 || len(un) != 3 || len(e.eventsOf(t, igny8.EventClusterCreated)) != 0 {
		t.Fatalf("refused clustering left %d clusters, %d unclustered", len(cs), len(un))
	}
}

func TestProposeIdeas(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{igny8.LimitMaxContentIdeas: 5})
	ctx := context.Background()
	importTexts(t, e, map[string]int64{"espresso machine": 5000, "espresso machines": 800, "home espresso machine": 600})
	rep, err := e.planner.Cluster(ctx, e.scope, nil)
	if err != nil {
		t.Fatal(err)
	}
	cl := rep.Created[0]
	ideas, err := e.planner.ProposeIdeas(ctx, e.scope, cl.ID, planning.IdeaOptions{Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ideas) != 2 || ideas[0].ClusterID != cl.ID || ideas[0].PrimaryKeyword != "espresso machine" || len(ideas[0].Outline) == 0 || ideas[0].Outline[0].Level != 2 {
		t.Fatalf("ideas = %+v", ideas)
	}
	if len(ideas[0].Cannibalizes) != 0 {
		t.Errorf("first idea flagged: %v", ideas[0].Cannibalizes)
	}
	if n := len(e.eventsOf(t, igny8.EventIdeaCreated)); n != 2 {
		t.Errorf("%d idea_created events", n)
	}
	// the offline model proposes the same primary keywords again: flagged
	again, err := e.planner.ProposeIdeas(ctx, e.scope, cl.ID, planning.IdeaOptions{Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(again[0].Cannibalizes) != 1 || again[0].Cannibalizes[0] != "idea:"+ideas[0].ID {
		t.Errorf("cannibalization not flagged: %+v", again[0].Cannibalizes)
	}
	got, err := e.planner.CheckCannibalization(ctx, e.scope, "Espresso-Machine")
	if err != nil || len(got) != 2 {
		t.Errorf("CheckCannibalization = %v, %v", got, err)
	}
	// 4 of 5 used: asking for 2 is refused before the model is called
	bal, _ := e.credits.Balance(ctx, e.scope)
	_, err = e.planner.ProposeIdeas(ctx, e.scope, cl.ID, planning.IdeaOptions{Count: 2})
	if !errors.Is(err, igny8.ErrLimitExceeded) || !strings.Contains(err.Error(), "only 1 more fit") {
		t.Fatalf("err = %v, want LimitExceeded with 1 fitting", err)
	}
	if bal2, _ := e.credits.Balance(ctx, e.scope); bal2 != bal {
		t.Errorf("a refused proposal spent %d credits", bal-bal2)
	}
	if err := e.planner.DeleteIdea(ctx, e.scope, ideas[0].ID); err != nil {
		t.Fatal(err)
	}
	if e.usage(t, igny8.LimitMaxContentIdeas) != 3 {
		t.Errorf("delete did not free an idea slot")
	}
	if _, err := e.planner.ProposeIdeas(ctx, e.scope, "no-such-cluster", planning.IdeaOptions{}); igny8.CodeOf(err) != igny8.CodeNotFound {
		t.Errorf("unknown cluster: %v", err)
	}
}

// contentTargets is a TargetSource with fixed answers.
type contentTargets map[string][]string

func (c contentTargets) ContentTargeting(_ context.Context, _ igny8.Scope, normalized []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, n := range normalized {
		if ids, ok := c[n]; ok {
			out[n] = ids
		}
	}
	return out, nil
}

func TestCannibalizationSeesContent(t *testing.T) {
	st := sqlstoretest.SQLite(t)
	e := newEnv(t, st, nil)
	e.planner = planning.NewPlanner(st, e.limits, e.events, planning.PlannerOptions{Targets: contentTargets{"yoga mat": {"c-42"}}})
	got, err := e.planner.CheckCannibalization(context.Background(), e.scope, "Yoga Mat")
	if err != nil || len(got) != 1 || got[0] != "content:c-42" {
		t.Fatalf("CheckCannibalization = %v, %v", got, err)
	}
	if _, err := e.planner.ProposeIdeas(context.Background(), e.scope, "x", planning.IdeaOptions{}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("ProposeIdeas without a runner: %v", err)
	}
}

func TestImportPostgres(t *testing.T) {
	e := newEnv(t, sqlstoretest.Postgres(t), map[igny8.Limit]int64{igny8.LimitMaxKeywords: 1500})
	ctx := context.Background()
	var ins []planning.KeywordInput
	for i := range 1200 {
		ins = append(ins, planning.KeywordInput{Text: fmt.Sprintf("postgres keyword %d", i), Volume: int64(i)})
	}
	rep, err := e.planner.Import(ctx, e.scope, ins)
	if err != nil || len(rep.Added) != 1200 {
		t.Fatalf("import: %d added, %v", len(rep.Added), err)
	}
	_, err = e.planner.Import(ctx, e.scope, append(ins[:10:10], planning.KeywordInput{Text: "one"}, planning.KeywordInput{Text: "two"})[:12])
	if err != nil {
		t.Fatal(err)
	}
	var more []planning.KeywordInput
	for i := range 400 {
		more = append(more, planning.KeywordInput{Text: fmt.Sprintf("more %d", i)})
	}
	if _, err := e.planner.Import(ctx, e.scope, more); !errors.Is(err, igny8.ErrLimitExceeded) {
		t.Fatalf("over the limit: %v", err)
	}
	if e.usage(t, igny8.LimitMaxKeywords) != 1202 {
		t.Errorf("usage %d, want 1202", e.usage(t, igny8.LimitMaxKeywords))
	}
	if _, err := e.planner.Cluster(ctx, e.scope, nil); err != nil {
		t.Fatal(err)
	}
}
