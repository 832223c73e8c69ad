package api

import (
	"strconv"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func TestPrincipalsEpochAndBounds(t *testing.T) {
	clock := igny8.NewManualClock(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	p := newPrincipals(clock, time.Second)

	// A lookup that began before a forget is not cached.
	gen := p.generation()
	p.forget("a")
	p.putSite(igny8.Site{ID: "s", AccountID: "a"}, gen)
	if _, ok := p.site("a", "s"); ok {
		t.Fatal("a lookup older than a forget was cached")
	}
	p.putSite(igny8.Site{ID: "s", AccountID: "a"}, p.generation())
	p.putSite(igny8.Site{ID: "s", AccountID: "b"}, p.generation())
	p.putUser("h", igny8.User{ID: "u", AccountID: "a"}, p.generation())
	p.forget("a")
	if _, ok := p.site("a", "s"); ok {
		t.Fatal("forget(a) kept a's site")
	}
	if _, ok := p.user("h"); ok {
		t.Fatal("forget(a) kept a's user")
	}
	if _, ok := p.site("b", "s"); !ok {
		t.Fatal("forget(a) dropped b's site")
	}
	clock.Advance(time.Second)
	if _, ok := p.site("b", "s"); ok {
		t.Fatal("an entry outlived its TTL")
	}

	// The map stays bounded: expired entries are swept, and a full map of
	// live ones starts over.
	for i := range maxCached + 10 {
		p.putSector(igny8.Sector{ID: strconv.Itoa(i), SiteID: "s", AccountID: "b"}, p.generation())
	}
	if n := len(p.sectors.m); n > maxCached {
		t.Fatalf("%d entries, bound is %d", n, maxCached)
	}

	off := newPrincipals(clock, -1)
	off.putSite(igny8.Site{ID: "s", AccountID: "a"}, off.generation())
	if _, ok := off.site("a", "s"); ok {
		t.Fatal("a negative TTL cached")
	}
}
