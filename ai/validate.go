package ai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// ErrTruncated is in the chain of an OutputError for a reply the model cut
// short (finish reason "length", or JSON that ends early).
var ErrTruncated = errors.New("output truncated")

// OutputError says why a model's reply was not accepted: it was not JSON,
// was cut short, did not match the schema, or failed the function's own
// validation. The Runner re-asks the model with its message.
type OutputError struct {
	// Path is where in the output the problem is ("$.ideas[2].title"),
	// empty when the reply as a whole is wrong.
	Path   string
	Reason string
	Err    error
}

func (e *OutputError) Error() string {
	msg := e.Reason
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *OutputError) Unwrap() error { return e.Err }

func outErr(path, format string, args ...any) error {
	return &OutputError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// ExtractJSON returns the JSON object in a model's reply. It tolerates
// surrounding white space and a Markdown code fence (```json ... ```),
// and refuses a reply that the model cut short (finishReason "length"),
// that is not exactly one JSON object, or that ends early.
func ExtractJSON(text, finishReason string) ([]byte, error) {
	if finishReason == "length" {
		return nil, &OutputError{Reason: "the reply was cut off at the token limit", Err: ErrTruncated}
	}
	s := strings.TrimSpace(text)
	if i := strings.Index(s, "```"); i >= 0 {
		body := s[i+3:]
		// Skip the info string ("json") up to the end of the line.
		if nl := strings.IndexByte(body, '\n'); nl >= 0 {
			body = body[nl+1:]
		} else {
			return nil, outErr("", "an unterminated code fence")
		}
		end := strings.LastIndex(body, "```")
		if end < 0 {
			return nil, &OutputError{Reason: "the code fence is not closed", Err: ErrTruncated}
		}
		s = strings.TrimSpace(body[:end])
	}
	if s == "" {
		return nil, outErr("", "the reply is empty, expected a JSON object")
	}
	if s[0] != '{' {
		return nil, outErr("", "the reply is not a JSON object (it starts with %q)", clip(s, 20))
	}
	dec := json.NewDecoder(strings.NewReader(s))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, &OutputError{Reason: "the JSON ends early", Err: ErrTruncated}
		}
		return nil, outErr("", "the reply is not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, outErr("", "unexpected text after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, outErr("", "unexpected text after the JSON object")
	}
	return raw, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ValidateJSON checks data against s and returns an *OutputError naming
// the first path that does not match.
func ValidateJSON(s *Schema, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return outErr("", "not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return outErr("", "unexpected text after the JSON value")
	}
	return validateValue(s, v, "$")
}

func validateValue(s *Schema, v any, path string) error {
	if v == nil {
		if s.hasType("null") {
			return nil
		}
		return outErr(path, "must not be null")
	}
	switch x := v.(type) {
	case map[string]any:
		if !s.hasType("object") {
			return outErr(path, "expected %s, got an object", typeList(s))
		}
		for _, p := range s.Properties {
			pv, ok := x[p.Name]
			if !ok {
				if s.isRequired(p.Name) {
					return outErr(path+"."+p.Name, "is required")
				}
				continue
			}
			if err := validateValue(p.Schema, pv, path+"."+p.Name); err != nil {
				return err
			}
		}
		for k := range x {
			if s.Property(k) == nil {
				return outErr(path+"."+k, "is not a known field")
			}
		}
	case []any:
		if !s.hasType("array") {
			return outErr(path, "expected %s, got an array", typeList(s))
		}
		if s.MinItems != nil && len(x) < *s.MinItems {
			return outErr(path, "must have at least %d items, got %d", *s.MinItems, len(x))
		}
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			return outErr(path, "must have at most %d items, got %d", *s.MaxItems, len(x))
		}
		if s.Items != nil {
			for i, it := range x {
				if err := validateValue(s.Items, it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	case string:
		if !s.hasType("string") {
			return outErr(path, "expected %s, got a string", typeList(s))
		}
		n := utf8.RuneCountInString(x)
		if s.MinLength != nil && n < *s.MinLength {
			return outErr(path, "must be at least %d characters, got %d", *s.MinLength, n)
		}
		if s.MaxLength != nil && n > *s.MaxLength {
			return outErr(path, "must be at most %d characters, got %d", *s.MaxLength, n)
		}
		if len(s.Enum) > 0 && !contains(s.Enum, x) {
			return outErr(path, "%q is not one of %s", clip(x, 40), strings.Join(s.Enum, ", "))
		}
	case json.Number:
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return outErr(path, "%s is not a usable number", x)
		}
		switch {
		case s.hasType("integer"):
			if _, err := x.Int64(); err != nil {
				return outErr(path, "must be an integer, got %s", x)
			}
		case s.hasType("number"):
		default:
			return outErr(path, "expected %s, got a number", typeList(s))
		}
		if s.Minimum != nil && f < *s.Minimum {
			return outErr(path, "must be at least %v, got %s", *s.Minimum, x)
		}
		if s.Maximum != nil && f > *s.Maximum {
			return outErr(path, "must be at most %v, got %s", *s.Maximum, x)
		}
	case bool:
		if !s.hasType("boolean") {
			return outErr(path, "expected %s, got a boolean", typeList(s))
		}
	default:
		return outErr(path, "unexpected JSON value %T", v)
	}
	return nil
}

func (s *Schema) isRequired(name string) bool { return contains(s.Required, name) }

func typeList(s *Schema) string { return strings.Join(s.Types, " or ") }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
