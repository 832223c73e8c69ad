package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

func TestAddressClass(t *testing.T) {
	tests := []struct {
		addr, want string
	}{
		{"127.0.0.1", "loopback"},
		{"127.8.9.1", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"192.168.1.1", "private"},
		{"169.254.169.254", "link-local"},
		{"fe80::1", "link-local"},
		{"fd00::1", "unique-local"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "reserved"},
		{"100.64.0.1", "reserved"},
		{"64:ff9b::a9fe:a9fe", "reserved"},
		{"224.0.0.1", "link-local"},
		{"239.1.1.1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"93.184.215.14", ""},
		{"2606:4700::1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			if got := addressClass(netip.MustParseAddr(tc.addr)); got != tc.want {
				t.Errorf("addressClass(%s) = %q, want %q", tc.addr, got, tc.want)
			}
		})
	}
}

// TestRefusesPrivateAddresses crawls a site that resolves to loopback and
// is allowed to, whose pages redirect to and link to addresses that are
// not: every such request must be refused at connect time.
func TestRefusesPrivateAddresses(t *testing.T) {
	s := newSite(t)
	port := s.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	site := fmt.Sprintf("http://site.test:%d", port)
	s.html("/", "Home", `<a href="/to-loopback">l</a> <a href="/to-metadata">m</a> <a href="/to-evil">e</a> <a href="/to-ftp">f</a>`)
	s.redirect("/to-loopback", fmt.Sprintf("http://127.0.0.1:%d/secret", port), http.StatusFound)
	s.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	s.redirect("/to-evil", fmt.Sprintf("http://evil.test:%d/secret", port), http.StatusFound)
	s.redirect("/to-ftp", "ftp://site.test/file", http.StatusFound)
	s.html("/secret", "Secret", "<p>internal</p>")
	s.html("/about", "About", "<p>about</p>")

	c := mustNew(t, Options{
		AnyHost:           true, // the address rules, not the host rule, must refuse
		AllowPrivateHosts: []string{"site.test"},
		Resolve:           resolver(map[string]string{"site.test": "127.0.0.1", "evil.test": "127.0.0.1"}),
	})
	pages, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: site + "/"})
	if pages[site+"/"].Title != "Home" {
		t.Fatalf("the allowed host was not crawled: %+v", pages[site+"/"])
	}
	tests := []struct {
		path, want string
	}{
		{"/to-loopback", "127.0.0.1 (127.0.0.1, loopback address)"},
		{"/to-metadata", "169.254.169.254 (169.254.169.254, link-local address)"},
		{"/to-evil", "evil.test (127.0.0.1, loopback address)"},
		{"/to-ftp", "only http and https"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			p := pages[site+tc.path]
			if !strings.Contains(p.Error, tc.want) {
				t.Errorf("error = %q, want it to contain %q", p.Error, tc.want)
			}
			if p.Title == "Secret" {
				t.Error("the private page was read")
			}
		})
	}
	if n := s.hitCount("/secret"); n != 0 {
		t.Errorf("/secret fetched %d times", n)
	}
}

func TestRefusesLoopbackStart(t *testing.T) {
	s := newSite(t)
	s.html("/", "Home", "<p>home</p>")
	port := s.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	tests := []struct {
		name, start string
		opts        Options
		want        string
	}{
		{"ip", s.URL + "/", Options{}, "loopback address"},
		{"dns answer", fmt.Sprintf("http://rebind.test:%d/", port), Options{Resolve: resolver(map[string]string{"rebind.test": "127.0.0.1"})}, "rebind.test (127.0.0.1, loopback"},
		{"metadata", "http://169.254.169.254/", Options{}, "link-local"},
		{"metadata by name", "http://metadata.test/", Options{Resolve: resolver(map[string]string{"metadata.test": "169.254.169.254"})}, "link-local"},
		{"other host allowed", s.URL + "/", Options{AllowPrivateHosts: []string{"localhost"}}, "loopback address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pages, _ := crawlAll(t, mustNew(t, tc.opts), siteaudit.CrawlRequest{Start: tc.start})
			if len(pages) != 1 {
				t.Fatalf("pages = %v", pages)
			}
			for _, p := range pages {
				if !strings.Contains(p.Error, tc.want) || p.Title != "" {
					t.Errorf("page = error %q title %q, want error with %q", p.Error, p.Title, tc.want)
				}
			}
		})
	}
	if n := s.hitCount("/"); n != 0 {
		t.Errorf("the loopback server was reached %d times", n)
	}
}

// TestDialerControl checks the connect-time check itself: the dialer's
// Control function refuses a loopback socket even when the caller skipped
// every earlier check, and lets it through for an allowed host.
func TestDialerControl(t *testing.T) {
	s := newSite(t)
	s.html("/", "Home", "")
	addr := s.Listener.Addr().String()
	g := newGuard(Options{}.withDefaults())
	_, err := g.dialer("public.test", false).DialContext(context.Background(), "tcp", addr)
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Reason != "loopback" || !errors.Is(err, igny8.ErrPermissionDenied) {
		t.Fatalf("DialContext(127.0.0.1) = %v", err)
	}
	if igny8.CodeOf(err) != igny8.CodePermissionDenied {
		t.Errorf("code = %s", igny8.CodeOf(err))
	}
	conn, err := g.dialer("ok.test", true).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatalf("allowed dial refused: %v", err)
	}
	conn.Close()
	if _, err := g.DialContext(context.Background(), "tcp", addr); !errors.Is(err, igny8.ErrPermissionDenied) {
		t.Errorf("DialContext(%s) = %v", addr, err)
	}
}
