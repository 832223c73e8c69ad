package ai_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/igny8/sdk/ai"
)

type inner struct {
	Label string `json:"label"`
}

type sample struct {
	Title   string   `json:"title" jsonschema:"minLength=1,maxLength=60" jsonschema_description:"the title, short"`
	Kind    string   `json:"kind" jsonschema:"enum=a|b"`
	Count   int      `json:"count" jsonschema:"minimum=1,maximum=5"`
	Score   float64  `json:"score"`
	OK      bool     `json:"ok"`
	Tags    []string `json:"tags" jsonschema:"maxItems=3,maxLength=10"`
	Inner   inner    `json:"inner"`
	Opt     string   `json:"opt,omitempty"`
	Ptr     *inner   `json:"ptr"`
	Skipped string   `json:"-"`
	hidden  string
	Size    uint `json:"size"`
}

func TestSchemaFor(t *testing.T) {
	s, err := ai.SchemaFor[sample]()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(s)
	want := `{"type":"object","properties":{` +
		`"title":{"type":"string","description":"the title, short","minLength":1,"maxLength":60},` +
		`"kind":{"type":"string","enum":["a","b"]},` +
		`"count":{"type":"integer","minimum":1,"maximum":5},` +
		`"score":{"type":"number"},` +
		`"ok":{"type":"boolean"},` +
		`"tags":{"type":"array","items":{"type":"string","maxLength":10},"maxItems":3},` +
		`"inner":{"type":"object","properties":{"label":{"type":"string"}},"required":["label"],"additionalProperties":false},` +
		`"opt":{"type":["string","null"]},` +
		`"ptr":{"type":["object","null"],"properties":{"label":{"type":"string"}},"required":["label"],"additionalProperties":false},` +
		`"size":{"type":"integer","minimum":0}},` +
		`"required":["title","kind","count","score","ok","tags","inner","opt","ptr","size"],"additionalProperties":false}`
	if string(raw) != want {
		t.Errorf("schema\n got %s\nwant %s", raw, want)
	}
	if strings.Contains(string(raw), "$ref") {
		t.Error("schema has a $ref")
	}
}

func TestSchemaForRefuses(t *testing.T) {
	type recursive struct {
		Next *recursive `json:"next"`
	}
	type withMap struct {
		M map[string]string `json:"m"`
	}
	type withAny struct {
		A any `json:"a"`
	}
	type badTag struct {
		A string `json:"a" jsonschema:"maxLength=x"`
	}
	type unknownTag struct {
		A string `json:"a" jsonschema:"pattern=x"`
	}
	type raw struct {
		R json.RawMessage `json:"r"`
	}
	tests := []struct {
		name string
		fn   func() (*ai.Schema, error)
		want string
	}{
		{"recursive", ai.SchemaFor[recursive], "recursive"},
		{"map", ai.SchemaFor[withMap], "map"},
		{"interface", ai.SchemaFor[withAny], "interface"},
		{"bad tag value", ai.SchemaFor[badTag], "maxLength"},
		{"unknown tag key", ai.SchemaFor[unknownTag], "pattern"},
		{"raw json", ai.SchemaFor[raw], "free-form"},
		{"not a struct", ai.SchemaFor[[]string], "not a struct"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.fn()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	s, err := ai.SchemaFor[sample]()
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]any{"title": "T", "kind": "a", "count": 2, "score": 1.5, "ok": true, "tags": []string{"x"},
		"inner": map[string]any{"label": "l"}, "opt": nil, "ptr": nil, "size": 0}
	with := func(k string, v any) []byte {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		if v == "\x00delete" {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return b
	}
	tests := []struct {
		name string
		data []byte
		path string // "" means valid
	}{
		{"valid", with("title", "T"), ""},
		{"nullable set", with("opt", "x"), ""},
		{"missing required", with("kind", "\x00delete"), "$.kind"},
		{"unknown field", with("extra", 1), "$.extra"},
		{"wrong type", with("count", "2"), "$.count"},
		{"not integer", with("count", 2.5), "$.count"},
		{"below minimum", with("count", 0), "$.count"},
		{"above maximum", with("count", 6), "$.count"},
		{"enum", with("kind", "c"), "$.kind"},
		{"too long in runes", with("title", strings.Repeat("é", 61)), "$.title"},
		{"not too long in runes", with("title", strings.Repeat("é", 60)), ""},
		{"too short", with("title", ""), "$.title"},
		{"too many items", with("tags", []string{"a", "b", "c", "d"}), "$.tags"},
		{"item too long", with("tags", []string{"abcdefghijk"}), "$.tags[0]"},
		{"null not allowed", with("title", nil), "$.title"},
		{"nested", with("inner", map[string]any{}), "$.inner.label"},
		{"nested nullable object", with("ptr", map[string]any{"label": 1}), "$.ptr.label"},
		{"negative uint", with("size", -1), "$.size"},
		{"array where object", []byte(`[]`), "$"},
		{"trailing garbage", append(with("title", "T"), []byte(" x")...), "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ai.ValidateJSON(s, tc.data)
			if tc.path == "" {
				if err != nil {
					t.Fatalf("valid input refused: %v", err)
				}
				return
			}
			var oe *ai.OutputError
			if !errors.As(err, &oe) {
				t.Fatalf("err = %v, want an *OutputError at %s", err, tc.path)
			}
			if !strings.Contains(oe.Path+" "+oe.Reason, tc.path) {
				t.Errorf("error at %q (%v), want %s", oe.Path, err, tc.path)
			}
		})
	}
}

func TestExtractJSON(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		finish    string
		want      string
		truncated bool
		fails     bool
	}{
		{name: "plain", text: `{"a":1}`, want: `{"a":1}`},
		{name: "spaces", text: " \n{\"a\":1}\n ", want: `{"a":1}`},
		{name: "fence", text: "```json\n{\"a\":1}\n```", want: `{"a":1}`},
		{name: "fence without info", text: "```\n{\"a\":1}\n```", want: `{"a":1}`},
		{name: "prose around fence", text: "Here you go:\n```json\n{\"a\":1}\n```\nEnjoy!", want: `{"a":1}`},
		{name: "finish length", text: `{"a":1}`, finish: "length", truncated: true},
		{name: "ends early", text: `{"a":[1,2`, truncated: true},
		{name: "open fence", text: "```json\n{\"a\":1}", truncated: true},
		{name: "array", text: `[1]`, fails: true},
		{name: "prose", text: `Sure! {"a":1}`, fails: true},
		{name: "two objects", text: `{"a":1}{"b":2}`, fails: true},
		{name: "trailing text", text: `{"a":1} thanks`, fails: true},
		{name: "empty", text: "  ", fails: true},
		{name: "bad json", text: `{"a":}`, fails: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ai.ExtractJSON(tc.text, tc.finish)
			switch {
			case tc.truncated:
				if !errors.Is(err, ai.ErrTruncated) {
					t.Errorf("err = %v, want ErrTruncated", err)
				}
			case tc.fails:
				var oe *ai.OutputError
				if !errors.As(err, &oe) || errors.Is(err, ai.ErrTruncated) {
					t.Errorf("err = %v, want an *OutputError", err)
				}
			default:
				if err != nil || string(got) != tc.want {
					t.Errorf("got %q, %v; want %q", got, err, tc.want)
				}
			}
		})
	}
}
