package kwimport

import (
	"fmt"
)

// record is one CSV/TSV record and the line it starts on (1-based).
type record struct {
	line   int
	fields []string
}

// reader splits decoded text into records: RFC 4180 quoting ("" inside a
// quoted field is a quote; quoted fields may span lines), \n or \r\n line
// ends, one delimiter byte. It is lenient where exports are sloppy: text
// after a closing quote is kept, a bare quote inside an unquoted field is
// literal.
type reader struct {
	data  []byte
	pos   int
	line  int // line of data[pos]
	delim byte
}

type unterminatedQuoteError int

func (e unterminatedQuoteError) Error() string {
	return fmt.Sprintf("line %d: quoted field is never closed", int(e))
}

func (r *reader) next() (record, bool, error) {
	if r.pos >= len(r.data) {
		return record{}, false, nil
	}
	rec := record{line: r.line}
	var field []byte
	for {
		// start of a field
		if r.pos < len(r.data) && r.data[r.pos] == '"' {
			start := r.line
			r.pos++
			for {
				if r.pos >= len(r.data) {
					return record{}, false, unterminatedQuoteError(start)
				}
				c := r.data[r.pos]
				if c == '"' {
					if r.pos+1 < len(r.data) && r.data[r.pos+1] == '"' {
						field = append(field, '"')
						r.pos += 2
						continue
					}
					r.pos++
					break
				}
				if c == '\n' {
					r.line++
				}
				field = append(field, c)
				r.pos++
			}
		}
		// unquoted part (or the rest after a closing quote)
		for r.pos < len(r.data) {
			c := r.data[r.pos]
			if c == r.delim || c == '\n' {
				break
			}
			field = append(field, c)
			r.pos++
		}
		if r.pos >= len(r.data) {
			rec.fields = append(rec.fields, trimCR(field))
			return rec, true, nil
		}
		c := r.data[r.pos]
		r.pos++
		rec.fields = append(rec.fields, trimCR(field))
		field = field[:0]
		if c == '\n' {
			r.line++
			return rec, true, nil
		}
	}
}

func trimCR(b []byte) string {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b)
}

// blank reports whether a record has no content (an empty line, or only
// delimiters).
func (rec record) blank() bool {
	for _, f := range rec.fields {
		if f != "" {
			return false
		}
	}
	return true
}
