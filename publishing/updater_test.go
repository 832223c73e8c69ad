package publishing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// updating is a Publisher that can edit pages.
type updating struct {
	publishing.Publisher
}

func (updating) FindPage(_ context.Context, pageURL string) (publishing.RemotePage, bool, error) {
	return publishing.RemotePage{ID: "7", Kind: "pages", URL: pageURL, Content: "<p>x</p>"}, true, nil
}

func (updating) UpdatePage(_ context.Context, p publishing.RemotePage, content string) (publishing.RemotePage, error) {
	p.Content = content
	return p, nil
}

func TestServiceUpdater(t *testing.T) {
	h := newHarness(t, func(h *harness) publishing.Publisher { return updating{h.remote} })
	u, err := h.svc.Updater(t.Context(), scope, h.dest.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, ok, err := u.FindPage(t.Context(), "https://blog.example/about/")
	if err != nil || !ok || p.ID != "7" {
		t.Fatalf("FindPage = %+v %v %v", p, ok, err)
	}

	other := igny8.Scope{AccountID: "acct-2", SiteID: "site-2"}
	if _, err := h.svc.Updater(t.Context(), other, h.dest.ID); !errors.Is(err, igny8.ErrNotFound) {
		t.Errorf("another tenant's destination: %v, want NotFound", err)
	}
	var e *igny8.Error
	if _, err := h.svc.Updater(t.Context(), scope, ""); !errors.As(err, &e) || e.Field != "destination_id" {
		t.Errorf("no destination: %v, want InvalidArgument on destination_id", err)
	}
	if _, err := h.svc.SetDestinationActive(t.Context(), scope, h.dest.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Updater(t.Context(), scope, h.dest.ID); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Errorf("inactive destination: %v, want InvalidArgument", err)
	}

	// A Publisher that cannot edit pages: publishertest.Memory can, so
	// only its Publisher methods are passed on.
	plain := newHarness(t, func(h *harness) publishing.Publisher { return struct{ publishing.Publisher }{h.remote} })
	if _, err := plain.svc.Updater(t.Context(), scope, plain.dest.ID); !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != "destination_id" {
		t.Errorf("destination without Updater: %v, want InvalidArgument on destination_id", err)
	}
}
