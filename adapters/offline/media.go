package offline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"strconv"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// Embed returns hashed bag-of-words vectors: each word (lower-cased) adds
// ±1 at a position chosen by its hash, and the vector is scaled to unit
// length, so texts that share words point the same way. A text without
// words gets a fixed unit vector.
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, igny8.Wrap(igny8.CodeUnavailable, "offline.Embed", err)
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, m.dims)
		for _, w := range terms(t) {
			h := hash(w)
			idx := int(h % uint64(m.dims))
			if h>>63 == 1 {
				v[idx]--
			} else {
				v[idx]++
			}
		}
		var sum float64
		for _, x := range v {
			sum += float64(x) * float64(x)
		}
		if sum == 0 {
			v[0] = 1
		} else {
			n := float32(1 / math.Sqrt(sum))
			for j := range v {
				v[j] *= n
			}
		}
		out[i] = v
	}
	return out, nil
}

// MaxImageSide bounds the side of a generated image.
const MaxImageSide = 2048

// GenerateImage draws a PNG of the requested size (default Options
// .ImageSize): a gradient between two colours picked from the prompt's
// hash, with diagonal bands, the same for the same prompt.
func (m *Model) GenerateImage(ctx context.Context, req igny8.ImageRequest) (igny8.GeneratedImage, error) {
	const op = "offline.GenerateImage"
	if err := ctx.Err(); err != nil {
		return igny8.GeneratedImage{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	if strings.TrimSpace(req.Prompt) == "" {
		return igny8.GeneratedImage{}, igny8.InvalidArgument(op, "prompt", "is required")
	}
	size := req.Size
	if size == "" {
		size = m.size
	}
	w, h, err := ParseSize(size)
	if err != nil {
		return igny8.GeneratedImage{}, igny8.InvalidArgument(op, "size", "%v", err)
	}
	seed := hash(req.Prompt + "\x00" + req.Style)
	c1 := [3]float64{float64(seed & 0xff), float64(seed >> 8 & 0xff), float64(seed >> 16 & 0xff)}
	c2 := [3]float64{float64(seed >> 24 & 0xff), float64(seed >> 32 & 0xff), float64(seed >> 40 & 0xff)}
	band := 8 + int(seed>>48%24)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			t := float64(x+y) / float64(w+h)
			shade := 1.0
			if ((x+y)/band)%2 == 0 {
				shade = 0.88
			}
			p := row[x*4:]
			p[0] = uint8((c1[0]*(1-t) + c2[0]*t) * shade)
			p[1] = uint8((c1[1]*(1-t) + c2[1]*t) * shade)
			p[2] = uint8((c1[2]*(1-t) + c2[2]*t) * shade)
			p[3] = 0xff
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeInternal, op, "encode png: %w", err)
	}
	return igny8.GeneratedImage{Data: buf.Bytes(), MediaType: "image/png", RevisedPrompt: req.Prompt}, nil
}

// ParseSize parses "WIDTHxHEIGHT" within 1..MaxImageSide.
func ParseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(s, "x")
	if ok {
		w, err = strconv.Atoi(ws)
		if err == nil {
			h, err = strconv.Atoi(hs)
		}
	}
	if !ok || err != nil || w < 1 || h < 1 || w > MaxImageSide || h > MaxImageSide {
		return 0, 0, fmt.Errorf("%q is not WIDTHxHEIGHT with sides 1 to %d", s, MaxImageSide)
	}
	return w, h, nil
}

// fillSchema builds a value that matches a JSON Schema of the subset the ai
// package emits, using words for strings.
func fillSchema(raw json.RawMessage, words []string) (any, error) {
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("schema is not a JSON object: %v", err)
	}
	f := filler{words: words}
	return f.value(s, 0)
}

type filler struct {
	words []string
	n     int
}

func (f *filler) text() string {
	w := f.words[f.n%len(f.words)]
	f.n++
	return w
}

func schemaTypes(s map[string]any) []string {
	switch t := s["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if str, ok := x.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}

func num(s map[string]any, k string) (float64, bool) {
	v, ok := s[k].(float64)
	return v, ok
}

func (f *filler) value(s map[string]any, depth int) (any, error) {
	if depth > 32 {
		return nil, fmt.Errorf("schema nests too deep")
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0], nil
	}
	types := schemaTypes(s)
	typ := "null"
	for _, t := range types {
		if t != "null" {
			typ = t
			break
		}
	}
	switch typ {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			ps, ok := p.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("property %q is not a schema", name)
			}
			v, err := f.value(ps, depth+1)
			if err != nil {
				return nil, err
			}
			out[name] = v
		}
		return out, nil
	case "array":
		n := 1
		if v, ok := num(s, "minItems"); ok && int(v) > n {
			n = int(v)
		}
		if v, ok := num(s, "maxItems"); ok && int(v) < n {
			n = int(v)
		}
		items, _ := s["items"].(map[string]any)
		out := make([]any, 0, n)
		for i := 0; i < n && items != nil; i++ {
			v, err := f.value(items, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "string":
		str := f.text()
		if v, ok := num(s, "minLength"); ok {
			for len([]rune(str)) < int(v) {
				str += " " + f.text()
			}
		}
		if v, ok := num(s, "maxLength"); ok {
			str = string([]rune(str)[:min(len([]rune(str)), int(v))])
		}
		return str, nil
	case "integer", "number":
		v := 0.0
		if lo, ok := num(s, "minimum"); ok {
			v = math.Ceil(lo)
		}
		if hi, ok := num(s, "maximum"); ok && v > hi {
			v = math.Floor(hi)
		}
		return v, nil
	case "boolean":
		return false, nil
	}
	return nil, nil
}
