package sitebuilding_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

func TestLimits(t *testing.T) {
	ctx := context.Background()
	t.Run("max sites built", func(t *testing.T) {
		e := newEnv(t, nil, map[igny8.Limit]int64{igny8.LimitMaxSitesBuilt: 1})
		bp, err := e.builder.Create(ctx, e.scope, bakery())
		must(t, err)
		_, err = e.builder.Create(ctx, e.scope, bakery())
		var le *igny8.LimitError
		if !errors.As(err, &le) || le.Limit != igny8.LimitMaxSitesBuilt {
			t.Fatalf("second blueprint: %v", err)
		}
		list, err := e.store.ListBlueprints(ctx, e.scope, igny8.PageRequest{})
		must(t, err)
		if len(list) != 1 {
			t.Errorf("%d blueprints stored", len(list))
		}
		must(t, e.builder.Delete(ctx, e.scope, bp.ID))
		if _, err := e.builder.Create(ctx, e.scope, bakery()); err != nil {
			t.Errorf("after a delete the slot is free again: %v", err)
		}
	})
	t.Run("daily site generations", func(t *testing.T) {
		e := newEnv(t, nil, map[igny8.Limit]int64{igny8.LimitDailySiteGenerations: 1})
		bp, err := e.builder.Create(ctx, e.scope, bakery())
		must(t, err)
		_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
		must(t, err)
		_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
		if igny8.CodeOf(err) != igny8.CodeLimitExceeded {
			t.Fatalf("second generation today: %v", err)
		}
		e.clock.Advance(24 * 3600 * 1e9)
		if _, err := e.builder.GenerateStructure(ctx, e.scope, bp.ID); err != nil {
			t.Errorf("next day: %v", err)
		}
	})
	t.Run("images stop at the daily image limit", func(t *testing.T) {
		e := newEnv(t, nil, map[igny8.Limit]int64{igny8.LimitDailyImageGenerations: 1})
		bp, err := e.builder.Create(ctx, e.scope, bakery())
		must(t, err)
		_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
		must(t, err)
		// A gallery of three more images on the about page.
		_, pages, _ := e.builder.Get(ctx, e.scope, bp.ID)
		g := sitebuilding.NewBlock(&sitebuilding.Gallery{Images: []sitebuilding.ImageRef{
			{Src: sitebuilding.PendingImage, Alt: "Oven"}, {Src: sitebuilding.PendingImage, Alt: "Flour"}}})
		_, err = e.builder.AddBlock(ctx, e.scope, bp.ID, pages[1].Slug, -1, g)
		must(t, err)
		res, err := e.builder.GenerateImages(ctx, e.scope, bp.ID)
		if igny8.CodeOf(err) != igny8.CodeLimitExceeded || res.Generated != 1 {
			t.Fatalf("got %+v, %v; want 1 image then the limit", res, err)
		}
		_, pages, _ = e.builder.Get(ctx, e.scope, bp.ID)
		pending := 0
		for _, p := range pages {
			for _, bl := range p.Blocks {
				raw, _ := json.Marshal(bl)
				pending += countPending(string(raw))
			}
		}
		if pending != 2 {
			t.Errorf("%d images still pending, want 2 (the generated one stored)", pending)
		}
		// The site deploys without the missing images.
		if _, err := e.builder.Preview(ctx, e.scope, bp.ID); err != nil {
			t.Errorf("preview with pending images: %v", err)
		}
	})
}

func countPending(s string) int {
	n := 0
	for i := 0; i+len(sitebuilding.PendingImage) <= len(s); i++ {
		if s[i:i+len(sitebuilding.PendingImage)] == sitebuilding.PendingImage {
			n++
		}
	}
	return n
}

func TestEdits(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil, nil)
	b := e.builder
	bp, err := b.Create(ctx, e.scope, bakery())
	must(t, err)
	_, err = b.GenerateStructure(ctx, e.scope, bp.ID)
	must(t, err)
	_, orig, _ := b.Get(ctx, e.scope, bp.ID)

	invalid := []struct {
		name  string
		edit  func() error
		field string
	}{
		{"block with an empty heading", func() error {
			_, err := b.UpdateBlock(ctx, e.scope, bp.ID, "about", 0, sitebuilding.NewBlock(&sitebuilding.Hero{Heading: " "}))
			return err
		}, "pages[1].blocks[0].heading"},
		{"javascript link", func() error {
			_, err := b.AddBlock(ctx, e.scope, bp.ID, "about", 1, sitebuilding.NewBlock(&sitebuilding.CTA{Heading: "x", Button: sitebuilding.Link{Label: "x", URL: "javascript:x"}}))
			return err
		}, "pages[1].blocks[1].button.url"},
		{"page without blocks", func() error {
			_, err := b.SetBlocks(ctx, e.scope, bp.ID, "about", nil)
			return err
		}, "pages[1].blocks"},
		{"duplicate slug", func() error {
			_, err := b.AddPage(ctx, e.scope, bp.ID, sitebuilding.PageBlueprint{Slug: "about", Title: "Again", Blocks: orig[1].Blocks}, -1)
			return err
		}, "pages[" + itoa(len(orig)) + "].slug"},
		{"reserved slug", func() error {
			_, err := b.AddPage(ctx, e.scope, bp.ID, sitebuilding.PageBlueprint{Slug: "assets", Title: "A", Blocks: orig[1].Blocks}, 1)
			return err
		}, "pages[1].slug"},
		{"block index out of range", func() error {
			_, err := b.RemoveBlock(ctx, e.scope, bp.ID, "about", 99)
			return err
		}, "index"},
		{"reorder missing a page", func() error {
			_, err := b.ReorderPages(ctx, e.scope, bp.ID, []string{"home"})
			return err
		}, "slugs"},
		{"remove home", func() error { return b.RemovePage(ctx, e.scope, bp.ID, "home") }, "slug"},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.edit()
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field {
				t.Fatalf("got %v, want InvalidArgument on %s", err, tc.field)
			}
			_, now, _ := b.Get(ctx, e.scope, bp.ID)
			if !reflect.DeepEqual(now, orig) {
				t.Errorf("a refused edit changed the pages")
			}
		})
	}

	t.Run("page and block edits", func(t *testing.T) {
		p, err := b.AddPage(ctx, e.scope, bp.ID, sitebuilding.PageBlueprint{Slug: "menu", Title: "Menu", Type: sitebuilding.PageCustom,
			Blocks: []sitebuilding.Block{sitebuilding.NewBlock(&sitebuilding.Text{HTML: "<p>Rye</p>"})}}, 1)
		must(t, err)
		if p.Position != 1 {
			t.Errorf("position %d", p.Position)
		}
		_, err = b.AddBlock(ctx, e.scope, bp.ID, "menu", 0, sitebuilding.NewBlock(&sitebuilding.Hero{Heading: "Menu"}))
		must(t, err)
		p, err = b.MoveBlock(ctx, e.scope, bp.ID, "menu", 0, 1)
		must(t, err)
		if p.Blocks[0].Type != sitebuilding.BlockText || p.Blocks[1].Type != sitebuilding.BlockHero {
			t.Errorf("move: %v, %v", p.Blocks[0].Type, p.Blocks[1].Type)
		}
		p, err = b.RemoveBlock(ctx, e.scope, bp.ID, "menu", 0)
		must(t, err)
		if len(p.Blocks) != 1 {
			t.Errorf("remove block: %d blocks", len(p.Blocks))
		}
		slugs := []string{"home", "contact", "menu"}
		_, all, _ := b.Get(ctx, e.scope, bp.ID)
		for _, x := range all {
			if x.Slug != "home" && x.Slug != "contact" && x.Slug != "menu" {
				slugs = append(slugs, x.Slug)
			}
		}
		got, err := b.ReorderPages(ctx, e.scope, bp.ID, slugs)
		must(t, err)
		_, stored, _ := b.Get(ctx, e.scope, bp.ID)
		for i := range slugs {
			if stored[i].Slug != slugs[i] || got[i].Slug != slugs[i] || stored[i].Position != i {
				t.Errorf("order[%d] = %s (pos %d), want %s", i, stored[i].Slug, stored[i].Position, slugs[i])
			}
		}
		must(t, b.RemovePage(ctx, e.scope, bp.ID, "menu"))
		_, stored, _ = b.Get(ctx, e.scope, bp.ID)
		if len(stored) != len(orig) {
			t.Errorf("%d pages after removing the added one, want %d", len(stored), len(orig))
		}
	})

	t.Run("regenerate one block", func(t *testing.T) {
		_, before, _ := b.Get(ctx, e.scope, bp.ID)
		i := 0
		for before[i].Slug != "home" {
			i++
		}
		e.clock.Advance(1e9)
		p, err := b.RegenerateBlock(ctx, e.scope, bp.ID, "home", 1)
		must(t, err)
		_, after, _ := b.Get(ctx, e.scope, bp.ID)
		for j := range after {
			if j != i && !reflect.DeepEqual(after[j], before[j]) {
				t.Errorf("page %s changed", after[j].Slug)
			}
		}
		for k := range p.Blocks {
			if k != 1 && !reflect.DeepEqual(p.Blocks[k], before[i].Blocks[k]) {
				t.Errorf("block %d of home changed", k)
			}
		}
		if p.Status != before[i].Status {
			t.Errorf("status changed by one block: %s → %s", before[i].Status, p.Status)
		}
	})

	t.Run("regenerate one page", func(t *testing.T) {
		_, before, _ := b.Get(ctx, e.scope, bp.ID)
		e.clock.Advance(1e9)
		p, err := b.RegeneratePage(ctx, e.scope, bp.ID, "about")
		must(t, err)
		if p.Status != sitebuilding.PageWritten {
			t.Errorf("status %s", p.Status)
		}
		_, after, _ := b.Get(ctx, e.scope, bp.ID)
		for j := range after {
			if after[j].Slug != "about" && !reflect.DeepEqual(after[j], before[j]) {
				t.Errorf("page %s changed", after[j].Slug)
			}
		}
	})

	t.Run("other tenant", func(t *testing.T) {
		other := igny8.Scope{AccountID: e.scope.AccountID, SiteID: "not-my-site"}
		_, err := b.UpdateBlock(ctx, other, bp.ID, "about", 0, orig[1].Blocks[0])
		if igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("edit through another site: %v", err)
		}
		_, err = b.GenerateStructure(ctx, other, bp.ID)
		if igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("structure through another site: %v", err)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestCreateRefuses(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil, nil)
	tests := []struct {
		name  string
		edit  func(nb *sitebuilding.NewBlueprint)
		field string
	}{
		{"site type", func(nb *sitebuilding.NewBlueprint) { nb.Wizard.SiteType = "castle" }, "wizard.site_type"},
		{"brief", func(nb *sitebuilding.NewBlueprint) { nb.Wizard.Brief = "  " }, "wizard.brief"},
		{"business", func(nb *sitebuilding.NewBlueprint) { nb.Wizard.Business, nb.Name = "", "x" }, "wizard.business"},
		{"base url", func(nb *sitebuilding.NewBlueprint) { nb.BaseURL = "ftp://x" }, "base_url"},
		{"max pages", func(nb *sitebuilding.NewBlueprint) { nb.Wizard.MaxPages = 51 }, "wizard.max_pages"},
		{"palette", func(nb *sitebuilding.NewBlueprint) { nb.Wizard.Style.Palette.Text = "#12" }, "style.palette.text"},
		{"email", func(nb *sitebuilding.NewBlueprint) { nb.Wizard.Contact.Email = "nope" }, "wizard.contact.email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nb := bakery()
			tc.edit(&nb)
			_, err := e.builder.Create(ctx, e.scope, nb)
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field {
				t.Fatalf("got %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	list, _ := e.store.ListBlueprints(ctx, e.scope, igny8.PageRequest{})
	if len(list) != 0 {
		t.Errorf("refused blueprints stored: %d", len(list))
	}
}

// concurrent counts the model calls in flight.
type concurrent struct {
	igny8.LLM
	mu        sync.Mutex
	now, peak int
}

func (c *concurrent) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	c.mu.Lock()
	c.now++
	c.peak = max(c.peak, c.now)
	c.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	defer func() { c.mu.Lock(); c.now--; c.mu.Unlock() }()
	return c.LLM.Chat(ctx, req)
}

func TestCopyConcurrencyAndArticles(t *testing.T) {
	ctx := context.Background()
	llm := &concurrent{LLM: offline.New(offline.Options{})}
	e := newEnv(t, llm, nil) // Concurrency 3
	b := e.builder
	nb := bakery()
	nb.Wizard.MaxPages = 7
	bp, err := b.Create(ctx, e.scope, nb)
	must(t, err)
	_, err = b.GenerateStructure(ctx, e.scope, bp.ID)
	must(t, err)
	// A legal page: written by the content writer.
	_, err = b.AddPage(ctx, e.scope, bp.ID, sitebuilding.PageBlueprint{Slug: "privacy", Type: sitebuilding.PageLegal, Title: "Privacy policy",
		Blocks: []sitebuilding.Block{sitebuilding.NewBlock(&sitebuilding.Hero{Heading: "Privacy"}), sitebuilding.NewBlock(&sitebuilding.Text{HTML: "<p>tbd</p>"})}}, -1)
	must(t, err)
	llm.peak = 0
	res, err := b.GenerateCopy(ctx, e.scope, bp.ID)
	must(t, err)
	if llm.peak > 3 || llm.peak < 2 {
		t.Errorf("peak concurrent model calls %d, want 2..3 (Concurrency 3)", llm.peak)
	}
	var privacy sitebuilding.PageBlueprint
	for _, p := range res.Pages {
		if p.Slug == "privacy" {
			privacy = p
		}
	}
	text := privacy.Blocks[1].Data.(*sitebuilding.Text)
	if text.HTML == "<p>tbd</p>" || !strings.Contains(text.HTML, "<h2") {
		t.Errorf("the legal page was not written as an article: %.200q", text.HTML)
	}
	if privacy.Status != sitebuilding.PageWritten {
		t.Errorf("privacy page %s", privacy.Status)
	}
}

// TestConcurrentEdits: edits of one blueprint at once all land.
func TestConcurrentEdits(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newEnvOn(t, st, nil, nil, nil)
		ctx := context.Background()
		bp, err := e.builder.Create(ctx, e.scope, bakery())
		must(t, err)
		_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
		must(t, err)
		_, before, _ := e.builder.Get(ctx, e.scope, bp.ID)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.builder.AddBlock(ctx, e.scope, bp.ID, "about", -1,
					sitebuilding.NewBlock(&sitebuilding.Text{HTML: "<p>edit " + strconv.Itoa(i) + "</p>"}))
			}()
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		_, after, _ := e.builder.Get(ctx, e.scope, bp.ID)
		if got, want := len(after[1].Blocks), len(before[1].Blocks)+n; got != want {
			t.Errorf("%d blocks after %d concurrent additions to %d, want %d", got, n, len(before[1].Blocks), want)
		}
	})
}
