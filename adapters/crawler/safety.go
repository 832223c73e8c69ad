package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/igny8/sdk/igny8"
)

// AddressError is returned when a host resolves to an address the crawler
// may not connect to (private, loopback, link-local, unique-local,
// unspecified, multicast or reserved) and the host was not allowed to.
// It carries igny8.CodePermissionDenied.
type AddressError struct {
	Host string
	Addr netip.Addr
	// Reason names the address class ("loopback", "private", ...).
	Reason string
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("crawler: refusing to connect to %s (%s, %s address)", e.Host, e.Addr, e.Reason)
}

// ErrorCode returns igny8.CodePermissionDenied.
func (e *AddressError) ErrorCode() igny8.Code { return igny8.CodePermissionDenied }

// Is matches igny8.ErrPermissionDenied.
func (e *AddressError) Is(target error) bool { return target == igny8.ErrPermissionDenied }

// reservedPrefixes are ranges that are neither private nor loopback by
// net/netip's predicates but must not be reached from a crawl either.
var reservedPrefixes = [...]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach IPv4 private space
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// addressClass returns why ip may not be reached, or "" when it may.
func addressClass(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsPrivate():
		if ip.Is6() {
			return "unique-local"
		}
		return "private"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	}
	if ip.Is4() && ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return "broadcast"
	}
	for _, p := range reservedPrefixes {
		if p.Contains(ip) {
			return "reserved"
		}
	}
	return ""
}

// guard dials only addresses the options allow. It resolves names itself
// and connects to the checked IP, and the dialer's Control function checks
// the address again at connect time, so a DNS answer that changes between
// check and connect (rebinding) cannot slip through.
type guard struct {
	allowPrivate bool
	privHosts    map[string]bool
	resolve      func(ctx context.Context, host string) ([]netip.Addr, error)
	timeout      time.Duration
}

func newGuard(o Options) *guard {
	g := &guard{allowPrivate: o.AllowPrivate, privHosts: map[string]bool{}, resolve: o.Resolve, timeout: o.PageTimeout}
	for _, h := range o.AllowPrivateHosts {
		g.privHosts[strings.ToLower(strings.TrimSuffix(h, "."))] = true
	}
	if g.resolve == nil {
		g.resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	return g
}

func (g *guard) check(host string, ip netip.Addr, allowPrivate bool) error {
	if allowPrivate {
		if !ip.IsValid() {
			return &AddressError{Host: host, Addr: ip, Reason: "invalid"}
		}
		return nil
	}
	if c := addressClass(ip); c != "" {
		return &AddressError{Host: host, Addr: ip, Reason: c}
	}
	return nil
}

func (g *guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	allowPrivate := g.allowPrivate || g.privHosts[host]
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		ips, err = g.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("crawler: %s has no addresses", host)
		}
	}
	d := g.dialer(host, allowPrivate)
	var firstErr error
	for _, ip := range ips {
		if err := g.check(host, ip, allowPrivate); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// dialer returns a net.Dialer whose Control function checks the address
// of each socket right before it connects.
func (g *guard) dialer(host string, allowPrivate bool) *net.Dialer {
	return &net.Dialer{
		Timeout: g.timeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("crawler: connect address %q: %w", address, err)
			}
			return g.check(host, ap.Addr(), allowPrivate)
		},
	}
}

// capTransport cuts every response body at max bytes, robots.txt and
// sitemaps included, so that no response is read whole past the cap.
type capTransport struct {
	next http.RoundTripper
	max  int64
}

func (t capTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(r)
	if err != nil || res.Body == nil {
		return res, err
	}
	res.Body = &limitedBody{r: io.LimitReader(res.Body, t.max), c: res.Body}
	return res, nil
}

type limitedBody struct {
	r io.Reader
	c io.Closer
}

func (b *limitedBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *limitedBody) Close() error               { return b.c.Close() }

// errScheme refuses a redirect or URL that is not http(s).
var errScheme = errors.New("only http and https URLs are crawled")

// newClient returns the HTTP client every request of the crawler goes
// through: guarded dialing, no proxy from the environment, no cookies, a
// time cap per request and a byte cap per response.
func newClient(o Options, checkRedirect func(*http.Request, []*http.Request) error) *http.Client {
	g := newGuard(o)
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   max(2, o.Parallelism),
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   o.PageTimeout,
		ResponseHeaderTimeout: o.PageTimeout,
	}
	return &http.Client{
		Transport:     capTransport{next: tr, max: int64(o.MaxBytes) + 1},
		CheckRedirect: checkRedirect,
		Timeout:       o.PageTimeout,
	}
}

// CloseIdleConnections closes the idle connections of the inner transport.
func (t capTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
