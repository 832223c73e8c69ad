package automation

import (
	"slices"
	"strings"
)

// CachedSites returns the site ids whose indexes LinkContent keeps.
func CachedSites(s *SiteLinker) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.cache {
		out = append(out, k[strings.IndexByte(k, '/')+1:])
	}
	slices.Sort(out)
	return out
}
