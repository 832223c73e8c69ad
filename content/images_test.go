package content_test

import (
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
)

func TestIllustratorGeneratesStoresAndPlaces(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{
		igny8.LimitDailyImageGenerations: 3,
		igny8.LimitMonthlyImages:         100,
		igny8.LimitStorageBytes:          10 << 20,
	}, nil)
	storage, err := fsstorage.New(t.TempDir(), fsstorage.LimitsQuota{Limits: e.limits}, fsstorage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { storage.Close() })
	w := e.writer(content.WriterOptions{})
	tasks, err := w.CreateTasks(ctx, e.scope, newTasks(2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunBatch(ctx, e.scope, tasks[0].BatchID, content.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	cs, err := e.library.List(ctx, e.scope, content.ContentFilter{}, igny8.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	il := content.NewIllustrator(e.store, e.library, offline.New(offline.Options{}), storage, e.limits, e.credits, e.events, content.IllustratorOptions{Size: "64x64"})

	imgs, err := e.store.ListImages(ctx, e.scope, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) < 2 || imgs[0].Kind != content.ImageFeatured {
		t.Fatalf("the writer left %d image prompts (first %+v)", len(imgs), imgs)
	}
	before, _ := e.credits.Balance(ctx, e.scope)
	res, err := il.Illustrate(ctx, e.scope, cs[0].ID)
	want := min(len(imgs), 3)
	if res.Generated != want {
		t.Fatalf("generated %d of %d images: %v", res.Generated, len(imgs), err)
	}
	if len(imgs) > 3 && igny8.CodeOf(err) != igny8.CodeLimitExceeded {
		t.Errorf("past the daily image limit: %v", err)
	}
	after, _ := e.credits.Balance(ctx, e.scope)
	cost, _ := e.credits.Cost(ctx, e.scope, igny8.FuncGenerateImage, 0)
	if before-after != int64(want)*cost {
		t.Errorf("charged %d credits for %d images at %d", before-after, want, cost)
	}
	imgs, _ = e.store.ListImages(ctx, e.scope, cs[0].ID)
	placed := 0
	for _, m := range imgs[:want] {
		if m.Status != content.ImageGenerated || m.StorageKey == "" || m.Size == 0 {
			t.Errorf("image %+v not stored", m)
			continue
		}
		rc, info, err := storage.Get(ctx, e.scope, m.StorageKey)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(rc); err != nil {
			t.Errorf("stored image %s is not a PNG: %v", info.Key, err)
		}
		rc.Close()
		if m.Kind == content.ImageInArticle {
			if !strings.Contains(res.Content.HTML, `src="`+m.StorageKey+`"`) || !strings.Contains(res.Content.HTML, `alt="`) {
				t.Errorf("in-article image %s not placed in the HTML", m.StorageKey)
			}
			placed++
		}
	}
	if placed > 0 && res.Content.Version != 2 {
		t.Errorf("placing images made version %d, want 2", res.Content.Version)
	}
	used, _ := storage.Usage(ctx, e.scope)
	u, _ := e.limits.Usage(ctx, e.scope, igny8.LimitStorageBytes)
	if u.Used != used || used == 0 {
		t.Errorf("storage quota counts %d bytes, storage holds %d", u.Used, used)
	}
}

func TestPlaceImages(t *testing.T) {
	body := "<p>intro</p><h2>One</h2><p>a</p><h2>Two</h2><p>b</p><h2>Three</h2><p>c</p>"
	imgs := []content.Image{
		{Kind: content.ImageFeatured, Status: content.ImageGenerated, StorageKey: "f.png"},
		{Kind: content.ImageInArticle, Status: content.ImageGenerated, StorageKey: "a.png", Alt: `a "quoted" alt`, Position: 1},
		{Kind: content.ImageInArticle, Status: content.ImageGenerated, StorageKey: "b.png", Alt: "b", Position: 9},
		{Kind: content.ImageInArticle, Status: content.ImagePending, StorageKey: "", Position: 2},
	}
	got := content.PlaceImages(body, imgs)
	want := `<p>intro</p><h2>One</h2><p>a</p><figure><img src="a.png" alt="a &#34;quoted&#34; alt" loading="lazy"></figure><h2>Two</h2><p>b</p><h2>Three</h2><p>c</p><figure><img src="b.png" alt="b" loading="lazy"></figure>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if again := content.PlaceImages(got, imgs); again != got {
		t.Error("placing twice changed the HTML")
	}
}
