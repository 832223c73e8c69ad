package siteaudit

import (
	"net"
	"net/url"
	"sort"
	"strings"
)

// SlashPolicy says how NormalizeURL treats a trailing slash on a path
// other than "/".
type SlashPolicy int

// Trailing slash policies.
const (
	// SlashStrip removes a trailing slash: /a/ and /a are one page.
	SlashStrip SlashPolicy = iota
	// SlashKeep keeps paths as they are: /a/ and /a are two pages.
	SlashKeep
)

// NormalizeURL reduces an absolute http(s) URL to the form duplicates are
// folded in: lower-case scheme and host, no default port, no fragment, no
// user info, an empty path as "/", dot segments resolved, query
// parameters sorted, and the trailing slash treated by policy. It returns
// false for anything that is not an absolute http or https URL.
func NormalizeURL(raw string, policy SlashPolicy) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", false
	}
	return normalize(u, policy)
}

func normalize(u *url.URL, policy SlashPolicy) (string, bool) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" || u.Host == "" || u.Opaque != "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimRight(host, ".")
	if host == "" || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return "", false
	}
	port := u.Port()
	if port == "80" && scheme == "http" || port == "443" && scheme == "https" {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	out := url.URL{Scheme: scheme, Host: host}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	ref := &url.URL{Path: p}
	if up, err := url.PathUnescape(p); err == nil {
		ref = &url.URL{Path: up, RawPath: p}
	}
	base := url.URL{Scheme: scheme, Host: host, Path: "/"}
	res := base.ResolveReference(ref)
	out.Path, out.RawPath = res.Path, res.RawPath
	if out.Path == "" {
		out.Path = "/"
	}
	if policy == SlashStrip && len(out.Path) > 1 && strings.HasSuffix(out.Path, "/") {
		out.Path = strings.TrimRight(out.Path, "/")
		out.RawPath = strings.TrimRight(out.RawPath, "/")
		if out.Path == "" {
			out.Path, out.RawPath = "/", ""
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			out.RawQuery = u.RawQuery
		} else {
			for _, vs := range q {
				sort.Strings(vs)
			}
			out.RawQuery = q.Encode()
		}
	}
	return out.String(), true
}

// Resolve resolves href against base and normalizes it; false for hrefs
// that are not http(s) (mailto:, javascript:, tel:, data:) or that do not
// parse.
func Resolve(base *url.URL, href string, policy SlashPolicy) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false
	}
	r, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	return normalize(base.ResolveReference(r), policy)
}

// HostOf returns the lower-case host name (no port) of a URL, or "".
func HostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	h := strings.ToLower(strings.TrimRight(u.Hostname(), "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

// sameSite reports whether host is one of hosts, ignoring a leading "www.".
func sameSite(host string, hosts map[string]bool) bool {
	if hosts[host] {
		return true
	}
	if h, ok := strings.CutPrefix(host, "www."); ok {
		return hosts[h]
	}
	return hosts["www."+host]
}

// SiteHosts is a set of host names that count as one site; "www." and the
// bare name are the same site.
type SiteHosts map[string]bool

// NewSiteHosts returns the set of the given hosts (names or URLs).
func NewSiteHosts(hosts ...string) SiteHosts {
	s := SiteHosts{}
	for _, h := range hosts {
		if strings.Contains(h, "/") {
			h = HostOf(h)
		}
		h = strings.ToLower(strings.TrimSuffix(h, "."))
		if hh, _, err := net.SplitHostPort(h); err == nil {
			h = hh
		}
		if h != "" {
			s[h] = true
		}
	}
	return s
}

// Contains reports whether the URL's host belongs to the site.
func (s SiteHosts) Contains(rawURL string) bool { return sameSite(HostOf(rawURL), s) }
