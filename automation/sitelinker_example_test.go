package automation_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
)

// A link pass over a site's content, and one link taken out again.
func ExampleSiteLinker_LinkPass() {
	ctx := context.Background()
	store, _ := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{})
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "demo"})
	acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "demo", PlanID: plan.ID})
	site, _ := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "garden", Domain: "garden.example"})
	events := igny8.NewEvents(store, nil, nil)
	library := content.NewLibrary(store, events, content.LibraryOptions{Sanitizer: content.DefaultSanitizer()})
	library.Create(ctx, site.Scope(), content.Draft{Title: "Compost bins", PrimaryKeyword: "compost bin",
		HTML: "<p>How to choose a bin for kitchen scraps and garden waste.</p>"})
	worms, _ := library.Create(ctx, site.Scope(), content.Draft{Title: "Worm farms", PrimaryKeyword: "worm farm",
		HTML: "<p>A worm farm turns scraps into rich castings. It sits well next to a compost bin in a shady corner.</p>"})

	linker := automation.NewSiteLinker(store, library, store, events, nil)
	res, err := linker.LinkPass(ctx, site.Scope(), automation.PassOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("pages %d, links %d, new versions %d\n", res.Pages, res.Placed, res.Versions)

	links, _ := store.ListLinks(ctx, site.Scope(), linking.LinkQuery{SourceID: worms.ID})
	fmt.Printf("%s links %q to %s\n", worms.Slug, links[0].Anchor, links[0].TargetURL)
	version, _ := linker.Unlink(ctx, site.Scope(), worms.ID, links[0].ID)
	now, _ := library.Get(ctx, site.Scope(), worms.ID)
	fmt.Println("after unlink: version", version, "same HTML as written:", now.HTML == worms.HTML)
	// Output:
	// pages 2, links 1, new versions 1
	// worm-farms links "compost bin" to /compost-bins/
	// after unlink: version 3 same HTML as written: true
}
