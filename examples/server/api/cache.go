package api

import (
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
)

// DefaultCacheTTL is how long the server trusts a token's user and a
// path's site and sector it looked up, unless Config.CacheTTL says
// otherwise.
const DefaultCacheTTL = 2 * time.Second

// maxCached bounds each cache; past it, expired entries are swept and, if
// that is not enough, the cache starts over.
const maxCached = 100_000

// principals caches what every request looks up before its handler runs:
// the token's user (by token hash) and the path's site and sector (by
// account and ids). Only found rows are cached, so made-up tokens and ids
// neither fill it nor skip the store. A successful write of a route that
// can change them (users, tokens, sites, sectors, accounts) drops the
// account's entries at once; in other processes of the same deployment a
// change shows within the TTL.
type principals struct {
	clock igny8.Clock
	ttl   time.Duration

	mu      sync.Mutex
	users   ttlMap[igny8.User]   // token hash → user
	sites   ttlMap[igny8.Site]   // account/site → site
	sectors ttlMap[igny8.Sector] // account/site/sector → sector
	// epoch counts forgets: a lookup that began before one is not cached.
	epoch uint64
}

func newPrincipals(clock igny8.Clock, ttl time.Duration) *principals {
	return &principals{clock: clock, ttl: ttl}
}

func (p *principals) enabled() bool { return p != nil && p.ttl > 0 }

// generation is read before a lookup and passed to the put that follows,
// so that a lookup that raced a write is not cached after the write
// dropped entries.
func (p *principals) generation() uint64 {
	if !p.enabled() {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.epoch
}

func (p *principals) user(hash string) (igny8.User, bool) {
	return get(p, &p.users, hash)
}

func (p *principals) putUser(hash string, u igny8.User, gen uint64) {
	put(p, &p.users, hash, u, gen)
}

func (p *principals) site(account, site string) (igny8.Site, bool) {
	return get(p, &p.sites, account+"/"+site)
}

func (p *principals) putSite(s igny8.Site, gen uint64) {
	put(p, &p.sites, s.AccountID+"/"+s.ID, s, gen)
}

func (p *principals) sector(account, site, sector string) (igny8.Sector, bool) {
	return get(p, &p.sectors, account+"/"+site+"/"+sector)
}

func (p *principals) putSector(s igny8.Sector, gen uint64) {
	put(p, &p.sectors, s.AccountID+"/"+s.SiteID+"/"+s.ID, s, gen)
}

func get[V any](p *principals, m *ttlMap[V], key string) (V, bool) {
	var zero V
	if !p.enabled() {
		return zero, false
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	return m.get(key, now)
}

func put[V any](p *principals, m *ttlMap[V], key string, v V, gen uint64) {
	if !p.enabled() {
		return
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.epoch != gen {
		return
	}
	m.put(key, v, now, now.Add(p.ttl))
}

// forget drops every entry of the account and bumps the epoch.
func (p *principals) forget(account string) {
	if !p.enabled() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.epoch++
	prefix := account + "/"
	p.users.drop(func(_ string, u igny8.User) bool { return u.AccountID == account })
	p.sites.drop(func(k string, _ igny8.Site) bool { return strings.HasPrefix(k, prefix) })
	p.sectors.drop(func(k string, _ igny8.Sector) bool { return strings.HasPrefix(k, prefix) })
}

// forgetAll drops everything (a superuser's change may touch any account).
func (p *principals) forgetAll() {
	if !p.enabled() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.epoch++
	clear(p.users.m)
	clear(p.sites.m)
	clear(p.sectors.m)
}

// ttlMap is a map whose entries expire; its owner locks it.
type ttlMap[V any] struct {
	m map[string]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

func (t *ttlMap[V]) get(key string, now time.Time) (V, bool) {
	e, ok := t.m[key]
	if !ok || !now.Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores v until expires. Past maxCached entries it sweeps the expired
// ones, and starts over if none had expired.
func (t *ttlMap[V]) put(key string, v V, now, expires time.Time) {
	if t.m == nil {
		t.m = map[string]ttlEntry[V]{}
	}
	if len(t.m) >= maxCached {
		n := len(t.m)
		for k, e := range t.m {
			if !now.Before(e.expires) {
				delete(t.m, k)
			}
		}
		if len(t.m) == n {
			clear(t.m)
		}
	}
	t.m[key] = ttlEntry[V]{v: v, expires: expires}
}

// drop deletes the entries for which match is true.
func (t *ttlMap[V]) drop(match func(key string, v V) bool) {
	for k, e := range t.m {
		if match(k, e.v) {
			delete(t.m, k)
		}
	}
}
