package kwimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
)

// Format is the keyword tool an export comes from.
type Format string

// Formats Parse recognises from the header row.
const (
	// FormatKeywordPlanner is Google Ads Keyword Planner's "Keyword Stats"
	// export: UTF-16 with BOM, tab-separated, two title lines before the
	// header, columns "Keyword", "Avg. monthly searches", "Competition",
	// "Competition (indexed value)", "Top of page bid (low range)", ...
	FormatKeywordPlanner Format = "google_keyword_planner"
	// FormatSemrush is a Semrush keyword export: "Keyword", "Volume",
	// "Keyword Difficulty", "CPC", "Competitive Density", "Intent", ...
	FormatSemrush Format = "semrush"
	// FormatAhrefs is an Ahrefs Keywords Explorer export: "Keyword",
	// "Volume", "KD" (or "Difficulty"), "CPC", "Parent Keyword", ... often
	// UTF-16 TSV.
	FormatAhrefs Format = "ahrefs"
	// FormatPlain is keyword,volume,difficulty,cpc,intent (only the keyword
	// column is required; columns may come in any order).
	FormatPlain Format = "plain"
)

// Defaults of Options.
const (
	DefaultMaxBytes     = 64 << 20
	DefaultMaxLineBytes = 64 << 10
	DefaultMaxRows      = 2_000_000
	// headerSearchLines is how far down Parse looks for the header row
	// (Keyword Planner puts title lines above it).
	headerSearchLines = 30
)

// Options bound and label a parse; the zero value uses the defaults.
type Options struct {
	// MaxBytes refuses larger input (default 64 MiB).
	MaxBytes int64
	// MaxLineBytes refuses a file with a longer physical line (default
	// 64 KiB): no keyword export has one, and a huge line is a broken or
	// hostile file, so the whole file is refused rather than guessed at.
	MaxLineBytes int
	// MaxRows refuses a file with more data rows (default 2,000,000).
	MaxRows int
	// Source labels every keyword; default the format's name.
	Source string
}

// Row is one accepted keyword and the line it came from.
type Row struct {
	Line int `json:"line"`
	planning.KeywordInput
}

// Rejection is a row that was not accepted, and why.
type Rejection struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (r Rejection) String() string { return fmt.Sprintf("line %d: %s", r.Line, r.Reason) }

// Fold is a row whose keyword normalizes to that of an earlier row; the
// earlier row is kept.
type Fold struct {
	Line      int    `json:"line"`
	FirstLine int    `json:"first_line"`
	Text      string `json:"text"`
}

// Result is what Parse read.
type Result struct {
	Format     Format `json:"format"`
	Encoding   string `json:"encoding"`
	Delimiter  string `json:"delimiter"`
	HeaderLine int    `json:"header_line"`
	// Rows are the accepted keywords in file order, duplicates folded.
	Rows     []Row       `json:"rows"`
	Rejected []Rejection `json:"rejected,omitempty"`
	Folded   []Fold      `json:"folded,omitempty"`
}

// Keywords returns the accepted rows as inputs for planning.Planner.Import.
func (r *Result) Keywords() []planning.KeywordInput {
	out := make([]planning.KeywordInput, len(r.Rows))
	for i, row := range r.Rows {
		out[i] = row.KeywordInput
	}
	return out
}

const op = "kwimport.Parse"

// Parse reads a keyword export. The format and delimiter are detected from
// the header row (the first of the first 30 lines that has a keyword
// column). Rows that cannot be read are rejected one by one with their line
// number and reason; the file as a whole is refused (InvalidArgument) only
// when it cannot be read at all: too large, a line over MaxLineBytes, a
// quote never closed, no header, or too many rows.
//
// Cells of the keyword column that start with =, +, -, @, tab or carriage
// return are rejected, not neutralised: spreadsheet programs run such cells
// as formulas ("=cmd|' /C calc'!A0"), no real search query starts that way,
// and rewriting the text (the usual leading apostrophe) would put a keyword
// nobody searches for into clusters, titles and content. Rejecting shows the
// row to the person importing instead of hiding it.
func Parse(r io.Reader, opts Options) (*Result, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	raw, err := io.ReadAll(io.LimitReader(r, opts.MaxBytes+1))
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeUnavailable, op, "reading input: %w", err)
	}
	if int64(len(raw)) > opts.MaxBytes {
		return nil, igny8.InvalidArgument(op, "input", "is larger than %d bytes", opts.MaxBytes)
	}
	data, enc, err := decode(raw)
	if err != nil {
		return nil, igny8.InvalidArgument(op, "input", "%v", err)
	}
	if err := checkLines(data, opts.MaxLineBytes); err != nil {
		return nil, err
	}
	res := &Result{Encoding: enc}
	hdr, delim, err := findHeader(data)
	if err != nil {
		return nil, err
	}
	res.HeaderLine, res.Delimiter = hdr.line, string(delim)
	cols := mapColumns(hdr.fields)
	res.Format = cols.format
	source := opts.Source
	if source == "" {
		source = string(cols.format)
	}

	rd := &reader{data: data, delim: delim, line: 1}
	seen := make(map[string]int)
	rows := 0
	for {
		rec, ok, err := rd.next()
		if err != nil {
			return nil, igny8.InvalidArgument(op, "input", "%v", err)
		}
		if !ok {
			break
		}
		if rec.line <= hdr.line || rec.blank() {
			continue
		}
		rows++
		if rows > opts.MaxRows {
			return nil, igny8.InvalidArgument(op, "input", "has more than %d rows (line %d)", opts.MaxRows, rec.line)
		}
		in, norm, reason := cols.row(rec, len(hdr.fields))
		if reason != "" {
			res.Rejected = append(res.Rejected, Rejection{Line: rec.line, Reason: reason})
			continue
		}
		if first, dup := seen[norm]; dup {
			res.Folded = append(res.Folded, Fold{Line: rec.line, FirstLine: first, Text: in.Text})
			continue
		}
		seen[norm] = rec.line
		in.Source = source
		res.Rows = append(res.Rows, Row{Line: rec.line, KeywordInput: in})
	}
	return res, nil
}

func checkLines(data []byte, max int) error {
	line := 1
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		n := i
		if i < 0 {
			n = len(data)
		}
		if n > max {
			return igny8.InvalidArgument(op, fmt.Sprintf("line %d", line), "is %d bytes long, at most %d allowed", n, max)
		}
		if i < 0 {
			break
		}
		data = data[i+1:]
		line++
	}
	return nil
}

// findHeader returns the header record and its delimiter: the first record
// in the first lines that, split on tab, comma or semicolon, has a keyword
// column. The delimiter giving the most columns wins.
func findHeader(data []byte) (record, byte, error) {
	var best record
	var bestDelim byte
	for _, d := range []byte{'\t', ',', ';'} {
		rd := &reader{data: data, delim: d, line: 1}
		for {
			rec, ok, err := rd.next()
			if err != nil || !ok || rec.line > headerSearchLines {
				break
			}
			if keywordColumn(rec.fields) < 0 {
				continue
			}
			if bestDelim == 0 || rec.line < best.line || (rec.line == best.line && len(rec.fields) > len(best.fields)) {
				best, bestDelim = rec, d
			}
			break
		}
	}
	if bestDelim == 0 {
		return record{}, 0, igny8.InvalidArgument(op, "header", "no row with a keyword column (Keyword, Keywords, Query or Search term) in the first %d lines", headerSearchLines)
	}
	return best, bestDelim, nil
}

func headerName(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "\"\ufeff")))
	return strings.Join(strings.Fields(s), " ")
}

func keywordColumn(fields []string) int {
	for i, f := range fields {
		switch headerName(f) {
		case "keyword", "keywords", "query", "search term", "search query", "keyword text":
			return i
		}
	}
	return -1
}

// columns maps the header's columns to keyword fields.
type columns struct {
	format                       Format
	keyword, volume, difficulty  int
	cpc, bidLow, bidHigh, intent int
}

func mapColumns(fields []string) columns {
	c := columns{keyword: keywordColumn(fields), volume: -1, difficulty: -1, cpc: -1, bidLow: -1, bidHigh: -1, intent: -1}
	has := map[string]bool{}
	globalVolume := -1
	for i, f := range fields {
		h := headerName(f)
		has[h] = true
		set := func(p *int) {
			if *p < 0 {
				*p = i
			}
		}
		switch {
		case h == "volume" || h == "search volume" || h == "avg. monthly searches" || h == "avg monthly searches" || h == "monthly searches":
			set(&c.volume)
		case h == "global volume":
			globalVolume = i
		case h == "keyword difficulty" || h == "kd" || h == "kd %" || h == "kd%" || h == "difficulty" || h == "competition (indexed value)":
			set(&c.difficulty)
		case h == "cpc" || strings.HasPrefix(h, "cpc (") || h == "cpc usd":
			set(&c.cpc)
		case h == "top of page bid (low range)":
			set(&c.bidLow)
		case h == "top of page bid (high range)":
			set(&c.bidHigh)
		case h == "intent" || h == "intents" || h == "search intent":
			set(&c.intent)
		}
	}
	if c.volume < 0 {
		c.volume = globalVolume
	}
	switch {
	case has["avg. monthly searches"] || has["top of page bid (low range)"] || has["competition (indexed value)"]:
		c.format = FormatKeywordPlanner
	case has["kd"] || has["parent keyword"] || has["traffic potential"] || has["cps"] || has["global volume"]:
		c.format = FormatAhrefs
	case has["keyword difficulty"] || has["competitive density"] || has["number of results"] || has["keyword intents"]:
		c.format = FormatSemrush
	default:
		c.format = FormatPlain
	}
	return c
}

func cell(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return strings.TrimSpace(fields[i])
}

// row reads one data record, or says why it is rejected.
func (c columns) row(rec record, width int) (planning.KeywordInput, string, string) {
	fields := rec.fields
	if len(fields) > width {
		for _, f := range fields[width:] {
			if strings.TrimSpace(f) != "" {
				return planning.KeywordInput{}, "", fmt.Sprintf("row has %d fields, the header has %d", len(fields), width)
			}
		}
		fields = fields[:width]
	}
	if len(fields) < width {
		return planning.KeywordInput{}, "", fmt.Sprintf("row has %d fields, the header has %d", len(fields), width)
	}
	for i, f := range fields {
		if !utf8.ValidString(f) {
			return planning.KeywordInput{}, "", fmt.Sprintf("bad encoding in column %d (not valid UTF-8 or UTF-16)", i+1)
		}
	}
	in := planning.KeywordInput{Difficulty: planning.DifficultyUnknown}
	in.Text = strings.Join(strings.Fields(cell(fields, c.keyword)), " ")
	if in.Text == "" {
		return in, "", "keyword is empty"
	}
	if strings.ContainsAny(fields[c.keyword][:1], "=+-@\t\r") || strings.ContainsAny(in.Text[:1], "=+-@") {
		return in, "", fmt.Sprintf("keyword %q starts with a spreadsheet formula character (=, +, -, @) and is refused", clip(in.Text))
	}
	var err error
	if in.Volume, err = parseVolume(cell(fields, c.volume)); err != nil {
		return in, "", "volume: " + err.Error()
	}
	if in.Difficulty, err = parseDifficulty(cell(fields, c.difficulty)); err != nil {
		return in, "", "difficulty: " + err.Error()
	}
	if c.cpc >= 0 {
		if in.CPC, err = parseCPC(cell(fields, c.cpc)); err != nil {
			return in, "", "cpc: " + err.Error()
		}
	} else {
		// Keyword Planner gives a bid range: the CPC is its midpoint, or
		// whichever end is present.
		lo, err1 := parseCPC(cell(fields, c.bidLow))
		hi, err2 := parseCPC(cell(fields, c.bidHigh))
		if err1 != nil {
			return in, "", "top of page bid (low range): " + err1.Error()
		}
		if err2 != nil {
			return in, "", "top of page bid (high range): " + err2.Error()
		}
		switch {
		case lo > 0 && hi > 0:
			in.CPC = (lo + hi) / 2
		case hi > 0:
			in.CPC = hi
		default:
			in.CPC = lo
		}
	}
	intent, ok := planning.ParseIntent(cell(fields, c.intent))
	if !ok {
		return in, "", fmt.Sprintf("intent: %q is not informational, navigational, commercial or transactional", clip(cell(fields, c.intent)))
	}
	in.Intent = intent
	norm, verr := in.Validate(op)
	if verr != nil {
		var e *igny8.Error
		if errors.As(verr, &e) {
			return in, "", e.Field + ": " + e.Message
		}
		return in, "", verr.Error()
	}
	return in, norm, ""
}

func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	i := 60
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
