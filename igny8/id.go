package igny8

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// IDGenerator assigns identifiers. IDs are assigned by services, never by the
// database, so batches and idempotency keys work the same on every store.
type IDGenerator interface {
	NewID() string
}

// UUIDv7 generates RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds,
// then a 12-bit counter that keeps IDs from one generator strictly increasing
// within a millisecond, then random bits. Their string form sorts in
// creation order, which keyset pagination relies on. The zero value is ready
// to use and safe for concurrent use.
type UUIDv7 struct {
	// Clock supplies the time; nil means the system clock.
	Clock Clock

	mu     sync.Mutex
	lastMS int64
	seq    uint16
}

// NewID returns a new UUIDv7 in its canonical 36-character form.
func (g *UUIDv7) NewID() string {
	var now time.Time
	if g.Clock != nil {
		now = g.Clock.Now()
	} else {
		now = time.Now()
	}
	ms := now.UnixMilli()

	g.mu.Lock()
	if ms <= g.lastMS {
		// Same (or an earlier, if the clock stepped back) millisecond: keep
		// order by counting up, borrowing the next millisecond on overflow.
		ms = g.lastMS
		g.seq++
		if g.seq > 0x0fff {
			ms++
			g.seq = 0
		}
	} else {
		g.seq = 0
	}
	g.lastMS = ms
	seq := g.seq
	g.mu.Unlock()

	var b [16]byte
	_, _ = rand.Read(b[8:])
	b[0] = byte(ms >> 40)
	b[1] = byte(ms >> 32)
	b[2] = byte(ms >> 24)
	b[3] = byte(ms >> 16)
	b[4] = byte(ms >> 8)
	b[5] = byte(ms)
	b[6] = 0x70 | byte(seq>>8)
	b[7] = byte(seq)
	b[8] = 0x80 | (b[8] & 0x3f)

	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
