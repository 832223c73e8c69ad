package kwimport

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseBytes(t *testing.T, b []byte) *Result {
	t.Helper()
	res, err := Parse(bytes.NewReader(b), Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return res
}

func rowByText(t *testing.T, res *Result, text string) Row {
	t.Helper()
	for _, r := range res.Rows {
		if r.Text == text {
			return r
		}
	}
	t.Fatalf("no row %q in %+v", text, res.Rows)
	return Row{}
}

// toUTF16BE re-encodes UTF-16LE-with-BOM bytes as UTF-16BE with BOM.
func toUTF16BE(t *testing.T, le []byte) []byte {
	t.Helper()
	if len(le) < 2 || le[0] != 0xFF || le[1] != 0xFE {
		t.Fatal("input is not UTF-16LE with BOM")
	}
	out := []byte{0xFE, 0xFF}
	for i := 2; i+1 < len(le); i += 2 {
		out = append(out, le[i+1], le[i])
	}
	return out
}

func TestParseFormats(t *testing.T) {
	kp := readFile(t, "keyword_planner.csv")
	tests := []struct {
		name       string
		data       []byte
		format     Format
		encoding   string
		delim      string
		headerLine int
		rows       int
		folded     int
		check      func(t *testing.T, res *Result)
	}{
		{
			name: "keyword planner utf-16le", data: kp, format: FormatKeywordPlanner, encoding: "utf-16le", delim: "\t", headerLine: 3, rows: 8, folded: 1,
			check: func(t *testing.T, res *Result) {
				r := rowByText(t, res, "running shoes")
				if r.Volume != 1000000 || r.Difficulty != 100 || r.Line != 4 {
					t.Errorf("running shoes = %+v", r)
				}
				if d := r.CPC - 1.18; d > 1e-9 || d < -1e-9 {
					t.Errorf("CPC = %v, want midpoint 1.18 of the bid range", r.CPC)
				}
				if r := rowByText(t, res, "trail running shoes"); r.Volume != 31623 {
					t.Errorf("range 10K – 100K = %d, want geometric mean 31623", r.Volume)
				}
				if r := rowByText(t, res, "running shoes for women"); r.Volume != 316 || r.CPC != 0 {
					t.Errorf("running shoes for women = %+v", r)
				}
				if r := rowByText(t, res, "how to lace running shoes"); r.Volume != 0 {
					t.Errorf("empty volume = %d", r.Volume)
				}
				rowByText(t, res, "chaussures de course légères")
				if res.Folded[0].FirstLine != 4 || res.Folded[0].Line != 7 {
					t.Errorf("folded = %+v", res.Folded)
				}
			},
		},
		{
			name: "keyword planner utf-16be", data: toUTF16BE(t, kp), format: FormatKeywordPlanner, encoding: "utf-16be", delim: "\t", headerLine: 3, rows: 8, folded: 1,
		},
		{
			name: "keyword planner utf-16le without bom", data: kp[2:], format: FormatKeywordPlanner, encoding: "utf-16le", delim: "\t", headerLine: 3, rows: 8, folded: 1,
		},
		{
			name: "semrush", data: readFile(t, "semrush.csv"), format: FormatSemrush, encoding: "utf-8", delim: ",", headerLine: 1, rows: 7, folded: 1,
			check: func(t *testing.T, res *Result) {
				r := rowByText(t, res, "running shoes")
				if r.Volume != 110000 || r.Difficulty != 92 || r.CPC != 0.93 || r.Intent != planning.IntentCommercial || r.Source != "semrush" {
					t.Errorf("running shoes = %+v", r)
				}
				if r := rowByText(t, res, "waterproof trail shoes, men"); r.Volume != 720 {
					t.Errorf("quoted keyword = %+v", r)
				}
				if r := rowByText(t, res, "nike pegasus 40"); r.Intent != planning.IntentNavigational {
					t.Errorf("intent = %q", r.Intent)
				}
			},
		},
		{
			name: "ahrefs utf-16 tsv", data: readFile(t, "ahrefs.tsv"), format: FormatAhrefs, encoding: "utf-16le", delim: "\t", headerLine: 1, rows: 6,
			check: func(t *testing.T, res *Result) {
				if r := rowByText(t, res, "zapatillas para correr"); r.Volume != 1300 || r.Difficulty != 12 {
					t.Errorf("1.3K = %+v", r)
				}
				if r := rowByText(t, res, "ランニングシューズ"); r.Volume != 450 || r.CPC != 0 {
					t.Errorf("japanese row = %+v", r)
				}
				if r := rowByText(t, res, "running shoes"); r.Volume != 129000 {
					t.Errorf("volume must come from Volume, not Global volume: %+v", r)
				}
			},
		},
		{
			name: "plain", data: readFile(t, "plain.csv"), format: FormatPlain, encoding: "utf-8", delim: ",", headerLine: 1, rows: 6, folded: 1,
			check: func(t *testing.T, res *Result) {
				if r := rowByText(t, res, "running shoes for flat feet"); r.Volume != 4400 {
					t.Errorf("1,300-style volume = %+v", r)
				}
				if r := rowByText(t, res, "running shoes sale"); r.Volume != 1300 {
					t.Errorf("1.3K = %+v", r)
				}
				if r := rowByText(t, res, "marathon shoes"); r.Volume != 31623 || r.CPC != 0 {
					t.Errorf("10K-100K = %+v", r)
				}
				if r := rowByText(t, res, "how to clean running shoes"); r.Intent != planning.IntentInformational {
					t.Errorf("intent = %+v", r)
				}
				if res.Folded[0].Text != "running shoes" || res.Folded[0].FirstLine != 2 {
					t.Errorf("folded = %+v", res.Folded)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := parseBytes(t, tc.data)
			if res.Format != tc.format || res.Encoding != tc.encoding || res.Delimiter != tc.delim || res.HeaderLine != tc.headerLine {
				t.Errorf("format %q enc %q delim %q header %d; want %q %q %q %d", res.Format, res.Encoding, res.Delimiter, res.HeaderLine, tc.format, tc.encoding, tc.delim, tc.headerLine)
			}
			if len(res.Rows) != tc.rows || len(res.Folded) != tc.folded || len(res.Rejected) != 0 {
				t.Errorf("rows %d folded %d rejected %v; want %d %d none", len(res.Rows), len(res.Folded), res.Rejected, tc.rows, tc.folded)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

func TestKeywordPlannerFileIsUTF16WithBOM(t *testing.T) {
	b := readFile(t, "keyword_planner.csv")
	if b[0] != 0xFF || b[1] != 0xFE || b[3] != 0 {
		t.Fatalf("testdata/keyword_planner.csv must be UTF-16LE with BOM, starts % x", b[:4])
	}
}

func TestParseBrokenRows(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		rows     []string
		rejected map[int]string // line -> substring of the reason
	}{
		{
			name: "ragged", data: readFile(t, "ragged.csv"),
			rows:     []string{"running shoes", "ok keyword"},
			rejected: map[int]string{3: "row has 2 fields, the header has 5", 5: "row has 6 fields"},
		},
		{
			name: "formulas", data: readFile(t, "formulas.csv"),
			rows:     []string{"running shoes", "safe keyword"},
			rejected: map[int]string{3: "formula", 4: "formula", 5: "formula", 6: "formula", 7: "formula"},
		},
		{
			name: "bad utf-8", data: readFile(t, "bad_encoding.csv"),
			rows:     []string{"running shoes", "latte art"},
			rejected: map[int]string{3: "bad encoding"},
		},
		{
			name: "unpaired surrogate in utf-16",
			data: utf16LE("keyword\tvolume\nok\t1\nbad\uFFFD\t2\nfine\t3\n", map[int]uint16{1: 0xD800}),
			rows: []string{"ok", "fine"}, rejected: map[int]string{3: "bad encoding"},
		},
		{
			name: "bad numbers", data: []byte("keyword,volume,difficulty,cpc,intent\na,12x,,,\nb,,101,,\nc,,,1.2.3,\nd,,,,curious\ne,-5,,,\nf,1,2,3,\n"),
			rows:     []string{"f"},
			rejected: map[int]string{2: "volume", 3: "difficulty", 4: "cpc", 5: "intent", 6: "volume"},
		},
		{
			name: "empty and punctuation-only keywords", data: []byte("keyword,volume\n\"\",5\n!!!,6\nreal,7\n"),
			rows:     []string{"real"},
			rejected: map[int]string{2: "keyword is empty", 3: "no letters or digits"},
		},
		{
			name: "blank lines and crlf", data: []byte("keyword,volume\r\n\r\nalpha,1\r\n,\r\nbeta,2\r\n"),
			rows: []string{"alpha", "beta"},
		},
		{
			name: "quoted field spanning lines keeps later line numbers right", data: []byte("keyword,volume\n\"multi\nline\",1\nafter,x\n"),
			rows:     []string{"multi line"},
			rejected: map[int]string{4: "volume"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := parseBytes(t, tc.data)
			var got []string
			for _, r := range res.Rows {
				got = append(got, r.Text)
			}
			if strings.Join(got, "|") != strings.Join(tc.rows, "|") {
				t.Errorf("rows = %q, want %q", got, tc.rows)
			}
			if len(res.Rejected) != len(tc.rejected) {
				t.Errorf("rejected = %v, want lines %v", res.Rejected, tc.rejected)
			}
			for _, rj := range res.Rejected {
				want, ok := tc.rejected[rj.Line]
				if !ok || !strings.Contains(rj.Reason, want) {
					t.Errorf("rejected line %d: %q, want reason containing %q", rj.Line, rj.Reason, want)
				}
			}
		})
	}
}

func utf16LE(s string, replace map[int]uint16) []byte {
	units := utf16.Encode([]rune(s))
	// replace the n-th U+FFFD with a raw code unit (to forge an unpaired
	// surrogate)
	n := 0
	for i, u := range units {
		if u == 0xFFFD {
			n++
			if r, ok := replace[n]; ok {
				units[i] = r
			}
		}
	}
	out := []byte{0xFF, 0xFE}
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func TestParseRefusesWholeFile(t *testing.T) {
	long := "keyword,volume\nfirst,1\n" + strings.Repeat("a", 1<<20) + ",2\nlast,3\n"
	tests := []struct {
		name  string
		data  []byte
		opts  Options
		field string
		msg   string
	}{
		{name: "1 MB line", data: []byte(long), field: "line 3", msg: "1048578 bytes long"},
		{name: "no header", data: []byte("foo,bar\n1,2\n"), field: "header", msg: "no row with a keyword column"},
		{name: "unterminated quote", data: []byte("keyword,volume\nok,1\n\"never closed,2\nx,3\n"), field: "input", msg: "line 3: quoted field is never closed"},
		{name: "odd utf-16", data: []byte{0xFF, 0xFE, 'k', 0, 'w'}, field: "input", msg: "odd number of bytes"},
		{name: "too large", data: []byte("keyword\nabc\n"), opts: Options{MaxBytes: 5}, field: "input", msg: "larger than 5 bytes"},
		{name: "too many rows", data: []byte("keyword\na\nb\nc\n"), opts: Options{MaxRows: 2}, field: "input", msg: "more than 2 rows (line 4)"},
		{name: "empty", data: nil, field: "header", msg: "no row"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(bytes.NewReader(tc.data), tc.opts)
			if err == nil {
				t.Fatalf("Parse succeeded with %d rows, want an error", len(res.Rows))
			}
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v (field %q), want InvalidArgument on %q containing %q", err, fieldOf(err), tc.field, tc.msg)
			}
		})
	}
}

func fieldOf(err error) string {
	var e *igny8.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func TestParseVolume(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"1300", 1300, false}, {"1,300", 1300, false}, {"1.3K", 1300, false}, {"1.3k", 1300, false},
		{"2M", 2000000, false}, {"10K – 100K", 31623, false}, {"10K-100K", 31623, false}, {"10K to 100K", 31623, false},
		{"100 – 1K", 316, false}, {"0 – 10", 5, false}, {"<10", 5, false}, {"10+", 10, false}, {"", 0, false}, {"-", 0, false},
		{" 12 345 ", 12345, false}, {"1\u00a0300", 1300, false},
		{"12x", 0, true}, {"-5", 0, true}, {"1,30", 0, true}, {"100K – 10K", 0, true}, {"1e400", 0, true}, {"5T", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseVolume(tc.in)
			if (err != nil) != tc.err || got != tc.want {
				t.Errorf("parseVolume(%q) = %d, %v; want %d, err %v", tc.in, got, err, tc.want, tc.err)
			}
		})
	}
}

func TestParseCPCAndDifficulty(t *testing.T) {
	cpcs := []struct {
		in   string
		want float64
		err  bool
	}{
		{"1.25", 1.25, false}, {"$1.25", 1.25, false}, {"1,25 €", 1.25, false}, {"USD 0.80", 0.8, false}, {"", 0, false},
		{"1,234.50", 1234.5, false}, {"abc", 0, false}, {"1.2.3", 0, true}, {"-1", 0, true},
	}
	for _, tc := range cpcs {
		got, err := parseCPC(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseCPC(%q) = %v, %v; want %v, err %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	diffs := []struct {
		in   string
		want int
		err  bool
	}{
		{"45", 45, false}, {"45%", 45, false}, {"44.6", 45, false}, {"", -1, false}, {"n/a", -1, false}, {"101", 0, true}, {"x", 0, true},
	}
	for _, tc := range diffs {
		got, err := parseDifficulty(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseDifficulty(%q) = %v, %v; want %v, err %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
