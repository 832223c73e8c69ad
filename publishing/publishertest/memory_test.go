package publishertest_test

import (
	"context"
	"testing"

	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

func TestMemoryConformance(t *testing.T) {
	var mem *publishertest.Memory
	publishertest.RunWith(t, publishertest.Config{
		New: func(t *testing.T) publishing.Publisher {
			mem = publishertest.NewMemory()
			return mem
		},
		Inspect: func(_ context.Context, _ *testing.T, r publishing.Receipt) (publishertest.Snapshot, error) {
			it, ok := mem.Get(r.RemoteID)
			return publishertest.Snapshot{Live: ok, Title: it.Title, HTML: it.HTML}, nil
		},
	})
}

func TestMemoryStoreConformance(t *testing.T) {
	publishertest.RunStore(t, func(t *testing.T) publishing.Store { return publishertest.NewMemoryStore() })
}
