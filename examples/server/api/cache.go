package api

import (
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
	users   map[string]cachedUser          // token hash → user
	sites   map[string]cachedSite          // account/site → site
	sectors map[string]cachedSect          // account/site/sector → sector
	byAcct  map[string]map[string]struct{} // account → token hashes, to drop them
	// epoch counts forgets: a lookup that began before one is not cached.
	epoch uint64
}

type cachedUser struct {
	user    igny8.User
	expires time.Time
}

type cachedSite struct {
	site    igny8.Site
	expires time.Time
}

type cachedSect struct {
	sector  igny8.Sector
	expires time.Time
}

func newPrincipals(clock igny8.Clock, ttl time.Duration) *principals {
	return &principals{clock: clock, ttl: ttl, users: map[string]cachedUser{}, sites: map[string]cachedSite{},
		sectors: map[string]cachedSect{}, byAcct: map[string]map[string]struct{}{}}
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
	if !p.enabled() {
		return igny8.User{}, false
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.users[hash]
	if !ok || !now.Before(e.expires) {
		return igny8.User{}, false
	}
	return e.user, true
}

func (p *principals) putUser(hash string, u igny8.User, gen uint64) {
	if !p.enabled() {
		return
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.epoch != gen {
		return
	}
	if len(p.users) >= maxCached {
		sweep(p.users, now, func(e cachedUser) time.Time { return e.expires })
	}
	p.users[hash] = cachedUser{user: u, expires: now.Add(p.ttl)}
	set := p.byAcct[u.AccountID]
	if set == nil {
		set = map[string]struct{}{}
		p.byAcct[u.AccountID] = set
	}
	set[hash] = struct{}{}
}

func (p *principals) site(account, site string) (igny8.Site, bool) {
	if !p.enabled() {
		return igny8.Site{}, false
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.sites[account+"/"+site]
	if !ok || !now.Before(e.expires) {
		return igny8.Site{}, false
	}
	return e.site, true
}

func (p *principals) putSite(s igny8.Site, gen uint64) {
	if !p.enabled() {
		return
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.epoch != gen {
		return
	}
	if len(p.sites) >= maxCached {
		sweep(p.sites, now, func(e cachedSite) time.Time { return e.expires })
	}
	p.sites[s.AccountID+"/"+s.ID] = cachedSite{site: s, expires: now.Add(p.ttl)}
}

func (p *principals) sector(account, site, sector string) (igny8.Sector, bool) {
	if !p.enabled() {
		return igny8.Sector{}, false
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.sectors[account+"/"+site+"/"+sector]
	if !ok || !now.Before(e.expires) {
		return igny8.Sector{}, false
	}
	return e.sector, true
}

func (p *principals) putSector(s igny8.Sector, gen uint64) {
	if !p.enabled() {
		return
	}
	now := p.clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.epoch != gen {
		return
	}
	if len(p.sectors) >= maxCached {
		sweep(p.sectors, now, func(e cachedSect) time.Time { return e.expires })
	}
	p.sectors[s.AccountID+"/"+s.SiteID+"/"+s.ID] = cachedSect{sector: s, expires: now.Add(p.ttl)}
}

// forget drops every entry of the account and bumps its generation.
func (p *principals) forget(account string) {
	if !p.enabled() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.epoch++
	for h := range p.byAcct[account] {
		delete(p.users, h)
	}
	delete(p.byAcct, account)
	prefix := account + "/"
	for k := range p.sites {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			delete(p.sites, k)
		}
	}
	for k := range p.sectors {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			delete(p.sectors, k)
		}
	}
}

// forgetAll drops everything (a superuser's change may touch any account).
func (p *principals) forgetAll() {
	if !p.enabled() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.epoch++
	clear(p.users)
	clear(p.sites)
	clear(p.sectors)
	clear(p.byAcct)
}

// sweep deletes the expired entries of m, and all of them if none had
// expired.
func sweep[V any](m map[string]V, now time.Time, expires func(V) time.Time) {
	n := len(m)
	for k, v := range m {
		if !now.Before(expires(v)) {
			delete(m, k)
		}
	}
	if len(m) == n {
		clear(m)
	}
}
