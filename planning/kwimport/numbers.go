package kwimport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxVolume bounds a monthly search volume; no query is searched more than
// a trillion times a month, so larger numbers are misread cells.
const maxVolume = 1e12

func isEmptyCell(s string) bool {
	switch s {
	case "", "-", "–", "—", "n/a", "N/A", "na", "NA", "null", "--":
		return true
	}
	return false
}

// cleanNumber drops the spaces (also no-break and thin ones) that tools and
// locales put inside numbers.
func cleanNumber(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, " \u00a0\u202f\u2009") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009':
			return -1
		}
		return r
	}, s)
}

// parseVolume reads a search volume: "1300", "1,300", "1.3K", "2M", a
// range "10K – 100K" / "10K-100K" / "10K to 100K", "<10", "10+".
//
// A range (how Keyword Planner reports volume to accounts without spend)
// becomes its geometric mean, rounded: its buckets are log-scale, so the
// geometric mean is the bucket's middle ("10K – 100K" → 31,623; "100 – 1K"
// → 316). A range from 0 becomes half its upper bound, "<N" is N/2 and
// "N+" is N. An empty cell is 0 (unknown).
func parseVolume(s string) (int64, error) {
	raw := s
	s = strings.TrimSpace(s)
	if isEmptyCell(s) {
		return 0, nil
	}
	for _, sep := range []string{"–", "—", " to ", "-"} {
		i := strings.Index(s, sep)
		if i <= 0 {
			continue
		}
		lo, err1 := parseCount(s[:i])
		hi, err2 := parseCount(s[i+len(sep):])
		if err1 != nil || err2 != nil || hi < lo {
			return 0, fmt.Errorf("cannot read %q as a volume range", raw)
		}
		if lo == 0 {
			return int64(math.Round(hi / 2)), nil
		}
		return int64(math.Round(math.Sqrt(lo * hi))), nil
	}
	if strings.HasPrefix(s, "<") {
		v, err := parseCount(s[1:])
		if err != nil {
			return 0, fmt.Errorf("cannot read %q as a volume", raw)
		}
		return int64(math.Round(v / 2)), nil
	}
	s = strings.TrimPrefix(strings.TrimSuffix(s, "+"), ">")
	v, err := parseCount(s)
	if err != nil {
		return 0, fmt.Errorf("cannot read %q as a volume", raw)
	}
	return int64(math.Round(v)), nil
}

// parseCount reads one non-negative count with optional K/M/B suffix and
// thousands separators.
func parseCount(s string) (float64, error) {
	s = cleanNumber(s)
	mult := 1.0
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			mult, s = 1e3, s[:n-1]
		case 'm', 'M':
			mult, s = 1e6, s[:n-1]
		case 'b', 'B':
			mult, s = 1e9, s[:n-1]
		}
	}
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	if strings.Contains(s, ",") {
		if !thousandsGrouped(s) {
			return 0, fmt.Errorf("bad separators in %q", s)
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && c != '.' {
			return 0, fmt.Errorf("not a number: %q", s)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	v *= mult
	if v < 0 || v > maxVolume || math.IsNaN(v) {
		return 0, fmt.Errorf("out of range: %q", s)
	}
	return v, nil
}

// thousandsGrouped reports whether the commas in s group digits by three
// ("1,300", "12,345.5").
func thousandsGrouped(s string) bool {
	intPart := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart = s[:i]
	}
	groups := strings.Split(intPart, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// parseDifficulty reads a 0–100 difficulty ("45", "45%", "45.0"); an empty
// cell is planning.DifficultyUnknown (-1).
func parseDifficulty(s string) (int, error) {
	s = strings.TrimSuffix(cleanNumber(s), "%")
	if isEmptyCell(s) {
		return -1, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 100 {
		return 0, fmt.Errorf("cannot read %q as a difficulty 0–100", s)
	}
	return int(math.Round(v)), nil
}

// parseCPC reads a cost per click: "1.25", "$1.25", "1,25 €", "USD 0.80";
// an empty cell is 0 (unknown). A single comma followed by one or two
// digits is a decimal comma.
func parseCPC(s string) (float64, error) {
	raw := s
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',', r == '-':
			return r
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r == '$', r == '€', r == '£', r == '¥', r == '₹',
			r == ' ', r == '\u00a0', r == '\u202f':
			return -1
		}
		return r
	}, s)
	if isEmptyCell(s) {
		return 0, nil
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		if i := strings.IndexByte(s, ','); len(s)-i-1 <= 2 {
			s = s[:i] + "." + s[i+1:]
		}
	}
	if strings.Contains(s, ",") {
		if !thousandsGrouped(s) {
			return 0, fmt.Errorf("cannot read %q as a CPC", raw)
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e6 {
		return 0, fmt.Errorf("cannot read %q as a CPC", raw)
	}
	return v, nil
}
