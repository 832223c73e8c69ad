package kwimport

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/igny8/sdk/planning"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and what
// it accepts must be valid, unique keywords on real lines after the header.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("keyword,volume\n\"a\"\"b\",1.3K\n"))
	f.Add([]byte("\xff\xfek\x00e\x00y\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), Options{MaxLineBytes: 4096})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, r := range res.Rows {
			norm, err := r.KeywordInput.Validate("fuzz")
			if err != nil {
				t.Fatalf("accepted an invalid row %+v: %v", r, err)
			}
			if seen[norm] {
				t.Fatalf("duplicate %q accepted", norm)
			}
			seen[norm] = true
			if r.Line <= res.HeaderLine {
				t.Fatalf("row line %d not after header line %d", r.Line, res.HeaderLine)
			}
			if r.Difficulty < planning.DifficultyUnknown || r.Difficulty > 100 {
				t.Fatalf("difficulty %d", r.Difficulty)
			}
		}
		for _, rj := range res.Rejected {
			if rj.Line <= res.HeaderLine || rj.Reason == "" {
				t.Fatalf("bad rejection %+v", rj)
			}
		}
	})
}

// FuzzParseVolume checks that the number readers never panic and never
// return a negative value.
func FuzzParseVolume(f *testing.F) {
	for _, s := range []string{"1,300", "1.3K", "10K – 100K", "<10", "$1.25", "45%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := parseVolume(s); err == nil && v < 0 {
			t.Fatalf("parseVolume(%q) = %d", s, v)
		}
		if v, err := parseCPC(s); err == nil && v < 0 {
			t.Fatalf("parseCPC(%q) = %v", s, v)
		}
		if v, err := parseDifficulty(s); err == nil && (v < -1 || v > 100) {
			t.Fatalf("parseDifficulty(%q) = %v", s, v)
		}
	})
}
