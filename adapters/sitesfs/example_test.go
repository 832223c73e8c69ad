package sitesfs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/igny8"
)

func Example() {
	ctx := context.Background()
	root, _ := os.MkdirTemp("", "sitesfs-example-")
	defer os.RemoveAll(root)

	r, _ := sitesfs.New(root, nil, sitesfs.Options{})
	scope := igny8.Scope{AccountID: "acct", SiteID: "garden"}
	_ = r.Configure(ctx, scope, sitesfs.Site{Name: "Garden Notes", BaseURL: "https://garden.example"})
	_ = r.PutPosts(ctx, scope, []sitesfs.Post{{
		ID: "p1", Slug: "grow-basil", Title: "How to grow basil", HTML: "<p>Sun and water.</p>",
		Categories: []string{"Herbs"}, Published: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
	}})
	dep, err := r.Deploy(ctx, scope)
	if err != nil {
		panic(err)
	}
	fmt.Println("version", dep.Version, "pages", dep.Pages)
	cur, _ := r.CurrentDir(scope)
	for _, p := range []string{"index.html", "grow-basil/index.html", "category/herbs/index.html", "sitemap.xml", "feed.xml"} {
		_, err := os.Stat(filepath.Join(cur, p))
		fmt.Println(p, err == nil)
	}
	// Output:
	// version 1 pages 4
	// index.html true
	// grow-basil/index.html true
	// category/herbs/index.html true
	// sitemap.xml true
	// feed.xml true
}
