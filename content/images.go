package content

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"

	"golang.org/x/net/html"

	"github.com/igny8/sdk/igny8"
)

// Illustrator generates a content's images: it turns the image prompts the
// writer left into pictures through an igny8.ImageGenerator, keeps the
// bytes in igny8.Storage, records each Image, and places the in-article
// images in the HTML after the sections their prompts name (a new content
// version). The site's daily and monthly image limits hold, and each image
// is charged once (generate_image in the cost table), refunded if it fails.
type Illustrator struct {
	store   Store
	library *Library
	gen     igny8.ImageGenerator
	storage igny8.Storage
	limits  *igny8.Limits
	credits *igny8.Credits
	events  *igny8.Events
	clock   igny8.Clock
	log     *slog.Logger
	size    string
}

// IllustratorOptions configures an Illustrator; the zero value is usable.
type IllustratorOptions struct {
	// Size is the image size asked for ("1024x1024" by default).
	Size   string
	Clock  igny8.Clock
	Logger *slog.Logger
}

// NewIllustrator returns an Illustrator.
func NewIllustrator(store Store, library *Library, gen igny8.ImageGenerator, storage igny8.Storage, limits *igny8.Limits, credits *igny8.Credits, events *igny8.Events, opts IllustratorOptions) *Illustrator {
	il := &Illustrator{store: store, library: library, gen: gen, storage: storage, limits: limits, credits: credits, events: events, clock: opts.Clock, log: opts.Logger, size: opts.Size}
	if il.clock == nil {
		il.clock = igny8.SystemClock{}
	}
	if il.log == nil {
		il.log = slog.New(slog.DiscardHandler)
	}
	if il.size == "" {
		il.size = "1024x1024"
	}
	return il
}

// ImagesResult says what Illustrate did.
type ImagesResult struct {
	Generated int
	Failed    int
	// Content is the content after the images were placed.
	Content Content
}

// Illustrate generates every pending (or earlier failed) image of a
// content and places the in-article ones. It stops at the first limit or
// credit refusal and returns it, keeping what was generated so far.
func (il *Illustrator) Illustrate(ctx context.Context, scope igny8.Scope, contentID string) (ImagesResult, error) {
	const op = "content.Illustrator.Illustrate"
	if err := scope.RequireSite(op); err != nil {
		return ImagesResult{}, err
	}
	c, err := il.store.GetContent(ctx, scope, contentID)
	if err != nil {
		return ImagesResult{}, err
	}
	imgs, err := il.store.ListImages(ctx, scope, contentID)
	if err != nil {
		return ImagesResult{}, err
	}
	var res ImagesResult
	var stop error
	for _, img := range imgs {
		if img.Status == ImageGenerated {
			continue
		}
		if err := il.one(ctx, c.Scope, &img); err != nil {
			switch igny8.CodeOf(err) {
			case igny8.CodeLimitExceeded, igny8.CodeInsufficientCredits, igny8.CodeUnavailable:
				stop = err
			}
			res.Failed++
			il.log.Warn("image failed", "image", img.ID, "content", contentID, "err", err)
			if stop != nil {
				break
			}
			continue
		}
		res.Generated++
	}
	if res.Generated > 0 {
		if c, err = il.place(ctx, scope, contentID); err != nil {
			return res, err
		}
		if il.events != nil {
			if _, err := il.events.Emit(ctx, c.Scope, igny8.EventImagesGenerated, c.ID, map[string]any{"generated": res.Generated, "failed": res.Failed}); err != nil {
				return res, err
			}
		}
	}
	res.Content = c
	return res, stop
}

func (il *Illustrator) one(ctx context.Context, scope igny8.Scope, img *Image) error {
	var held []igny8.Reservation
	release := func() {
		for _, r := range held {
			_ = il.limits.Release(context.WithoutCancel(ctx), r)
		}
	}
	for _, l := range []igny8.Limit{igny8.LimitDailyImageGenerations, igny8.LimitMonthlyImages} {
		r, err := il.limits.Reserve(ctx, scope, l, 1)
		if err != nil {
			release()
			return il.markFailed(ctx, scope, img, err)
		}
		held = append(held, r)
	}
	cost, err := il.credits.Cost(ctx, scope, igny8.FuncGenerateImage, 0)
	if err != nil {
		release()
		return err
	}
	key := "image:" + img.ID
	if img.Status == ImageFailed {
		key = fmt.Sprintf("image:%s:%d", img.ID, img.UpdatedAt.UnixNano())
	}
	charged := false
	if cost > 0 {
		if _, err := il.credits.Debit(ctx, scope, igny8.Charge{Amount: cost, Reason: "generate_image", Reference: img.ID, IdempotencyKey: key}); err != nil {
			release()
			return il.markFailed(ctx, scope, img, err)
		}
		charged = true
	}
	fail := func(err error) error {
		release()
		if charged {
			if _, rerr := il.credits.Refund(context.WithoutCancel(ctx), scope, key, "image generation failed"); rerr != nil {
				il.log.Warn("refunding image", "image", img.ID, "err", rerr)
			}
		}
		return il.markFailed(ctx, scope, img, err)
	}
	out, err := il.gen.GenerateImage(ctx, igny8.ImageRequest{Prompt: img.Prompt, Size: il.size})
	if err != nil {
		return fail(err)
	}
	skey := fmt.Sprintf("images/%s/%s%s", img.ContentID, img.ID, extFor(out.MediaType))
	info, err := il.storage.Put(ctx, scope, skey, bytes.NewReader(out.Data), out.MediaType)
	if err != nil {
		return fail(err)
	}
	img.StorageKey, img.MediaType, img.Size = info.Key, out.MediaType, info.Size
	img.Status, img.Error, img.UpdatedAt = ImageGenerated, "", il.clock.Now().UTC()
	if err := il.store.UpdateImage(ctx, scope, *img); err != nil {
		_ = il.storage.Delete(context.WithoutCancel(ctx), scope, skey)
		return fail(err)
	}
	return nil
}

func (il *Illustrator) markFailed(ctx context.Context, scope igny8.Scope, img *Image, cause error) error {
	img.Status, img.Error, img.UpdatedAt = ImageFailed, cause.Error(), il.clock.Now().UTC()
	if err := il.store.UpdateImage(context.WithoutCancel(ctx), scope, *img); err != nil {
		il.log.Warn("recording image failure", "image", img.ID, "err", err)
	}
	return cause
}

func extFor(mediaType string) string {
	switch mediaType {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/webp":
		return ".webp"
	case "image/gif":
		return ".gif"
	}
	return ".bin"
}

// place puts every generated in-article image that is not in the HTML yet
// after its section, as a new version.
func (il *Illustrator) place(ctx context.Context, scope igny8.Scope, contentID string) (Content, error) {
	c, err := il.store.GetContent(ctx, scope, contentID)
	if err != nil {
		return Content{}, err
	}
	imgs, err := il.store.ListImages(ctx, scope, contentID)
	if err != nil {
		return Content{}, err
	}
	// Another change (linking, an edit) may save a version in between:
	// place the images again on that version.
	for attempt := 0; ; attempt++ {
		out := PlaceImages(c.HTML, imgs)
		if out == c.HTML {
			return c, nil
		}
		saved, err := il.library.SaveHTML(ctx, scope, contentID, c.Version, out, ReasonImages, "placed generated images")
		if igny8.CodeOf(err) != igny8.CodeConflict || attempt == 4 {
			return saved, err
		}
		if c, err = il.store.GetContent(ctx, scope, contentID); err != nil {
			return Content{}, err
		}
	}
}

// PlaceImages inserts a <figure><img></figure> for every generated
// in-article image whose storage key is not yet in body, before the H2
// that follows section Position (1-based: after the first section), or at
// the end when there are fewer sections. The src is the storage key, which
// publishers rewrite to the image's public URL.
func PlaceImages(body string, imgs []Image) string {
	type ins struct {
		at  int
		tag string
	}
	var pending []Image
	for _, m := range imgs {
		if m.Kind == ImageInArticle && m.Status == ImageGenerated && m.StorageKey != "" && !strings.Contains(body, `src="`+html.EscapeString(m.StorageKey)+`"`) {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return body
	}
	// Offsets of each <h2 start tag in the original bytes.
	var h2 []int
	z := html.NewTokenizer(strings.NewReader(body))
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := len(z.Raw())
		if tt == html.StartTagToken {
			if name, _ := z.TagName(); string(name) == "h2" {
				h2 = append(h2, off)
			}
		}
		off += raw
	}
	var list []ins
	for _, m := range pending {
		at := len(body)
		// Position p means: after section p, i.e. before the (p+1)-th H2.
		if m.Position >= 1 && m.Position < len(h2) {
			at = h2[m.Position]
		}
		tag := `<figure><img src="` + html.EscapeString(m.StorageKey) + `" alt="` + html.EscapeString(m.Alt) + `" loading="lazy"></figure>`
		list = append(list, ins{at: at, tag: tag})
	}
	var b strings.Builder
	b.Grow(len(body) + 128*len(list))
	prev := 0
	for len(list) > 0 {
		// Smallest offset first; stable for equal offsets.
		k := 0
		for i := range list {
			if list[i].at < list[k].at {
				k = i
			}
		}
		b.WriteString(body[prev:list[k].at])
		b.WriteString(list[k].tag)
		prev = list[k].at
		list = append(list[:k], list[k+1:]...)
	}
	b.WriteString(body[prev:])
	return b.String()
}
