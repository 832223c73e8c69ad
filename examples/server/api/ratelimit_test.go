package api

import (
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestRateLimiter(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newRateLimiter(clock, 2, 3) // 2 per second, burst 3
	steps := []struct {
		name    string
		advance time.Duration
		key     string
		ok      bool
		wait    time.Duration
	}{
		{"burst 1", 0, "a", true, 0},
		{"burst 2", 0, "a", true, 0},
		{"burst 3", 0, "a", true, 0},
		{"empty", 0, "a", false, 500 * time.Millisecond},
		{"other key has its own bucket", 0, "b", true, 0},
		{"half a token later", 250 * time.Millisecond, "a", false, 250 * time.Millisecond},
		{"one token later", 250 * time.Millisecond, "a", true, 0},
		{"refill caps at burst", time.Hour, "a", true, 0},
		{"burst again 2", 0, "a", true, 0},
		{"burst again 3", 0, "a", true, 0},
		{"empty again", 0, "a", false, 500 * time.Millisecond},
	}
	for _, s := range steps {
		clock.advance(s.advance)
		wait, ok := l.allow(s.key)
		if ok != s.ok || wait != s.wait {
			t.Errorf("%s: allow = %s, %v; want %s, %v", s.name, wait, ok, s.wait, s.ok)
		}
	}
}

func BenchmarkRateLimiter(b *testing.B) {
	l := newRateLimiter(&fakeClock{now: time.Now()}, 1e9, 1e9)
	keys := []string{"acct/site-1", "acct/site-2", "acct/site-3", "acct/site-4"}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.allow(keys[i%len(keys)])
			i++
		}
	})
}
