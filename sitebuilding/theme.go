package sitebuilding

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// RGB is a colour in sRGB, 0–255 per channel.
type RGB struct{ R, G, B uint8 }

// ParseHex reads "#rgb" or "#rrggbb".
func ParseHex(s string) (RGB, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return RGB{}, fmt.Errorf("%q is not a #rrggbb colour", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return RGB{}, fmt.Errorf("%q is not a #rrggbb colour", s)
	}
	return RGB{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

// Hex writes the colour as #rrggbb.
func (c RGB) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func channel(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// Luminance is the WCAG 2 relative luminance (0 black … 1 white).
func (c RGB) Luminance() float64 {
	return 0.2126*channel(c.R) + 0.7152*channel(c.G) + 0.0722*channel(c.B)
}

// Contrast is the WCAG 2 contrast ratio of two colours, 1 to 21.
func Contrast(a, b RGB) float64 {
	la, lb := a.Luminance(), b.Luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// MinContrast is WCAG AA for normal text.
const MinContrast = 4.5

func mix(c, to RGB, t float64) RGB {
	f := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return RGB{f(c.R, to.R), f(c.G, to.G), f(c.B, to.B)}
}

// EnsureContrast returns fg, or fg darkened (on a light background) or
// lightened (on a dark one) by the least amount that gives at least min
// contrast against bg. It keeps the hue as far as the target allows.
func EnsureContrast(fg, bg RGB, min float64) RGB {
	if Contrast(fg, bg) >= min {
		return fg
	}
	target := RGB{0, 0, 0}
	if Contrast(RGB{255, 255, 255}, bg) > Contrast(target, bg) {
		target = RGB{255, 255, 255}
	}
	lo, hi := 0.0, 1.0
	for range 30 {
		mid := (lo + hi) / 2
		if Contrast(mix(fg, target, mid), bg) >= min {
			hi = mid
		} else {
			lo = mid
		}
	}
	out := mix(fg, target, hi)
	// Rounding to 8 bits may land a hair short: step on.
	for Contrast(out, bg) < min && out != target {
		hi = math.Min(1, hi+0.01)
		out = mix(fg, target, hi)
	}
	return out
}

type typeDefaults struct{ primary, secondary, accent, bg, text, heading, body string }

var siteDefaults = map[SiteType]typeDefaults{
	SiteLocalBusiness: {"#1f5130", "#c8a24a", "#b5542d", "#fffdf8", "#1d1d1f", "serif", "sans"},
	SiteSaaS:          {"#3b4cca", "#00a6a6", "#ff7a59", "#ffffff", "#16181d", "sans", "sans"},
	SiteEcommerce:     {"#b0124f", "#222222", "#f2a900", "#ffffff", "#1a1a1a", "sans", "sans"},
	SiteBlog:          {"#0b5cad", "#555555", "#d9480f", "#ffffff", "#222222", "serif", "serif"},
	SitePortfolio:     {"#111111", "#888888", "#e63946", "#fafafa", "#111111", "sans", "sans"},
}

var fontStacks = map[string]string{
	"sans":    "system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif",
	"serif":   "Georgia,Cambria,Times New Roman,serif",
	"mono":    "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace",
	"rounded": "ui-rounded,Nunito,Quicksand,system-ui,sans-serif",
}

// fontStack turns a font name into a CSS font-family value without quotes
// (the renderer refuses quotes in tokens).
func fontStack(field, name, fallback string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = fallback
	}
	if s, ok := fontStacks[strings.ToLower(name)]; ok {
		return s, nil
	}
	if len(name) > 60 {
		return "", igny8.InvalidArgument("sitebuilding.ThemeTokens", field, "must be at most 60 bytes, got %d", len(name))
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '-') {
			return "", igny8.InvalidArgument("sitebuilding.ThemeTokens", field, "%q is not a font name (letters, digits, spaces, hyphens)", name)
		}
	}
	generic := "sans-serif"
	if fallback == "serif" {
		generic = "serif"
	}
	return name + "," + fontStacks[fallback] + "," + generic, nil
}

// ThemeTokens turns the wizard's style into the renderer's theme tokens
// (CSS variables): colours, fonts and spacing. Text, muted text and the
// primary colour (links, and button labels on it) are corrected to at
// least MinContrast against the background.
func ThemeTokens(t SiteType, s Style) (map[string]string, error) {
	const op = "sitebuilding.ThemeTokens"
	d, ok := siteDefaults[t]
	if !ok {
		d = siteDefaults[SiteLocalBusiness]
	}
	color := func(field, v, def string) (RGB, error) {
		if strings.TrimSpace(v) == "" {
			v = def
		}
		c, err := ParseHex(v)
		if err != nil {
			return RGB{}, igny8.InvalidArgument(op, "style.palette."+field, "%v", err)
		}
		return c, nil
	}
	p := s.Palette
	bg, err := color("background", p.Background, d.bg)
	if err != nil {
		return nil, err
	}
	text, err := color("text", p.Text, d.text)
	if err != nil {
		return nil, err
	}
	primary, err := color("primary", p.Primary, d.primary)
	if err != nil {
		return nil, err
	}
	secondary, err := color("secondary", p.Secondary, d.secondary)
	if err != nil {
		return nil, err
	}
	accent, err := color("accent", p.Accent, d.accent)
	if err != nil {
		return nil, err
	}
	text = EnsureContrast(text, bg, MinContrast)
	primary = EnsureContrast(primary, bg, MinContrast)
	muted := EnsureContrast(mix(text, bg, 0.35), bg, MinContrast)
	heading, err := fontStack("style.typography.heading", s.Typography.Heading, d.heading)
	if err != nil {
		return nil, err
	}
	body, err := fontStack("style.typography.body", s.Typography.Body, d.body)
	if err != nil {
		return nil, err
	}
	scale := s.Typography.Scale
	if scale == 0 {
		scale = 17
	}
	if scale < 14 || scale > 22 {
		return nil, igny8.InvalidArgument(op, "style.typography.scale", "must be 14 to 22, got %d", scale)
	}
	space := "1rem"
	switch s.Spacing {
	case "", "normal":
	case "compact":
		space = "0.75rem"
	case "airy":
		space = "1.5rem"
	default:
		return nil, igny8.InvalidArgument(op, "style.spacing", "%q is not compact, normal or airy", s.Spacing)
	}
	return map[string]string{
		"color-primary":    primary.Hex(),
		"color-secondary":  secondary.Hex(),
		"color-accent":     accent.Hex(),
		"color-background": bg.Hex(),
		"color-text":       text.Hex(),
		"color-muted":      muted.Hex(),
		"font-heading":     heading,
		"font-body":        body,
		"font-size":        strconv.Itoa(scale) + "px",
		"space":            space,
	}, nil
}
