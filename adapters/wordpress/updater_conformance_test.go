package wordpress_test

import (
	"strings"
	"testing"

	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

// TestUpdaterConformance runs publishertest.RunUpdater against the real
// WordPress, for posts and for pages (another collection FindPage looks
// in), with the address variants FindPage documents: without the trailing
// slash, and over https (the scheme is not compared).
func TestUpdaterConformance(t *testing.T) {
	for _, typ := range []string{publishing.TypePost, publishing.TypePage} {
		t.Run(typ, func(t *testing.T) {
			publishertest.RunUpdater(t, publishertest.UpdaterConfig{
				New:      func(t *testing.T) publishing.Publisher { return newClient(t) },
				Variants: addressVariants,
				Type:     typ,
				Scope:    testScope,
			})
		})
	}
}

// addressVariants returns pageURL with the trailing slash toggled, and
// over the other scheme.
func addressVariants(pageURL string) []string {
	slash := pageURL + "/"
	if trimmed, ok := strings.CutSuffix(pageURL, "/"); ok {
		slash = trimmed
	}
	scheme := strings.Replace(pageURL, "http://", "https://", 1)
	if strings.HasPrefix(pageURL, "https://") {
		scheme = strings.Replace(pageURL, "https://", "http://", 1)
	}
	return []string{slash, scheme}
}
