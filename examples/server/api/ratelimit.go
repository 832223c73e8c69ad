package api

import (
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
)

// rateLimiter is a token bucket per key (account/site), in memory: each
// bucket refills at rate tokens per second up to burst.
type rateLimiter struct {
	clock igny8.Clock
	rate  float64
	burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(clock igny8.Clock, rate float64, burst int) *rateLimiter {
	return &rateLimiter{clock: clock, rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// allow takes a token of key's bucket, or says how long until one is there.
func (l *rateLimiter) allow(key string) (time.Duration, bool) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(l.burst, b.tokens+d*l.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
}
