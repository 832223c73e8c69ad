package siteaudit

import (
	"net/url"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		name, in string
		slash    SlashPolicy
		want     string
		ok       bool
	}{
		{"case", "HTTP://Example.COM/Path", SlashStrip, "http://example.com/Path", true},
		{"default http port", "http://example.com:80/a", SlashStrip, "http://example.com/a", true},
		{"default https port", "https://example.com:443/a", SlashStrip, "https://example.com/a", true},
		{"other port kept", "https://example.com:8443/a", SlashStrip, "https://example.com:8443/a", true},
		{"fragment", "https://example.com/a#top", SlashStrip, "https://example.com/a", true},
		{"empty path", "https://example.com", SlashStrip, "https://example.com/", true},
		{"trailing slash stripped", "https://example.com/a/", SlashStrip, "https://example.com/a", true},
		{"trailing slash kept", "https://example.com/a/", SlashKeep, "https://example.com/a/", true},
		{"root slash kept", "https://example.com/", SlashStrip, "https://example.com/", true},
		{"query sorted", "https://example.com/a?b=2&a=1&a=0", SlashStrip, "https://example.com/a?a=0&a=1&b=2", true},
		{"dot segments", "https://example.com/a/./b/../c", SlashStrip, "https://example.com/a/c", true},
		{"user info dropped", "https://user:pw@example.com/a", SlashStrip, "https://example.com/a", true},
		{"trailing dot host", "https://example.com./a", SlashStrip, "https://example.com/a", true},
		{"ipv6", "http://[::1]:80/", SlashStrip, "http://[::1]/", true},
		{"escaped path kept", "https://example.com/a%2Fb", SlashStrip, "https://example.com/a%2Fb", true},
		{"ftp", "ftp://example.com/", SlashStrip, "", false},
		{"mailto", "mailto:a@example.com", SlashStrip, "", false},
		{"relative", "/a", SlashStrip, "", false},
		{"javascript", "javascript:alert(1)", SlashStrip, "", false},
		{"no host", "http:///a", SlashStrip, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NormalizeURL(tc.in, tc.slash)
			if got != tc.want || ok != tc.ok {
				t.Errorf("NormalizeURL(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestResolveAndHosts(t *testing.T) {
	base, _ := url.Parse("https://www.example.com/blog/post")
	tests := []struct {
		href, want string
		ok         bool
	}{
		{"other", "https://www.example.com/blog/other", true},
		{"/x/", "https://www.example.com/x", true},
		{"//cdn.example.com/i.png", "https://cdn.example.com/i.png", true},
		{"#frag", "", false},
		{"", "", false},
		{"tel:123", "", false},
		{"  ../up  ", "https://www.example.com/up", true},
	}
	for _, tc := range tests {
		got, ok := Resolve(base, tc.href, SlashStrip)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tc.href, got, ok, tc.want, tc.ok)
		}
	}
	hosts := NewSiteHosts("https://example.com/", "blog.example.com:8080")
	for u, want := range map[string]bool{
		"https://example.com/a":          true,
		"https://www.example.com/a":      true,
		"http://blog.example.com:8080/x": true,
		"https://cdn.example.com/":       false,
		"https://example.com.evil.org/":  false,
	} {
		if got := hosts.Contains(u); got != want {
			t.Errorf("Contains(%q) = %v, want %v", u, got, want)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://example.com/a/?b=1&a=2#x", "http://[::1]:80/", "HTTP://A.B/./c/../d", "https://x/%zz", "http://a:99999/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeURL(s, SlashStrip)
		if !ok {
			return
		}
		// Normalizing is idempotent.
		n2, ok2 := NormalizeURL(n, SlashStrip)
		if !ok2 || n2 != n {
			t.Fatalf("NormalizeURL(%q) = %q, then %q, %v", s, n, n2, ok2)
		}
	})
}
