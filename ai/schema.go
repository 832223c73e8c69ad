package ai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Schema is the subset of JSON Schema the SDK builds from Go types and
// checks model output against. It is the shape OpenAI's strict structured
// output accepts: every object lists all its properties as required (an
// optional field is nullable instead), forbids additional properties, and
// is defined inline (no $ref, no $defs).
type Schema struct {
	// Types is the JSON type, or a type and "null" for a nullable value.
	Types       []string
	Description string
	// Properties are an object's fields, in Go field order (models write
	// them in the order given, so order matters for output quality).
	Properties []Property
	Required   []string
	Items      *Schema
	Enum       []string
	MinLength  *int
	MaxLength  *int
	Minimum    *float64
	Maximum    *float64
	MinItems   *int
	MaxItems   *int
}

// Property is one named field of an object schema.
type Property struct {
	Name   string
	Schema *Schema
}

// Property returns the schema of the named property, or nil.
func (s *Schema) Property(name string) *Schema {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Schema
		}
	}
	return nil
}

// MarshalJSON writes the schema as JSON Schema with properties in order.
func (s *Schema) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(name string, v any) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(name))
		b.WriteByte(':')
		raw, _ := json.Marshal(v)
		b.Write(raw)
	}
	if len(s.Types) == 1 {
		field("type", s.Types[0])
	} else if len(s.Types) > 1 {
		field("type", s.Types)
	}
	if s.Description != "" {
		field("description", s.Description)
	}
	if s.hasType("object") {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(`"properties":{`)
		for i, p := range s.Properties {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(p.Name))
			b.WriteByte(':')
			raw, err := p.Schema.MarshalJSON()
			if err != nil {
				return nil, err
			}
			b.Write(raw)
		}
		b.WriteByte('}')
		req := s.Required
		if req == nil {
			req = []string{}
		}
		field("required", req)
		field("additionalProperties", false)
	}
	if s.Items != nil {
		field("items", s.Items)
	}
	if len(s.Enum) > 0 {
		enum := make([]any, 0, len(s.Enum)+1)
		for _, e := range s.Enum {
			enum = append(enum, e)
		}
		if s.hasType("null") {
			enum = append(enum, nil)
		}
		field("enum", enum)
	}
	intField := func(name string, v *int) {
		if v != nil {
			field(name, *v)
		}
	}
	floatField := func(name string, v *float64) {
		if v != nil {
			field(name, *v)
		}
	}
	intField("minLength", s.MinLength)
	intField("maxLength", s.MaxLength)
	floatField("minimum", s.Minimum)
	floatField("maximum", s.Maximum)
	intField("minItems", s.MinItems)
	intField("maxItems", s.MaxItems)
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (s *Schema) hasType(t string) bool {
	for _, x := range s.Types {
		if x == t {
			return true
		}
	}
	return false
}

// SchemaFor derives the JSON Schema of T, which must be a struct. Fields are
// named by their json tags ("-" skips a field); every field is required,
// and a field tagged omitempty (or a pointer) may also be null. Constraints
// come from the jsonschema tag, comma-separated:
//
//	Title string `json:"title" jsonschema:"minLength=1,maxLength=60"`
//	Kind  string `json:"kind" jsonschema:"enum=post|page|product"`
//	Words int    `json:"words" jsonschema:"minimum=100,maximum=10000"`
//	Tags  []string `json:"tags" jsonschema:"minItems=1,maxItems=10"`
//
// and the description from the jsonschema_description tag. Maps,
// interfaces, channels, functions and recursive types are refused: strict
// structured output cannot express them.
func SchemaFor[T any]() (*Schema, error) {
	return schemaOf(reflect.TypeFor[T]())
}

func schemaOf(t reflect.Type) (*Schema, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("ai.SchemaFor: %s is not a struct: an output must be a JSON object", t)
	}
	r := reflector{seen: map[reflect.Type]bool{}}
	return r.schema(t, "$")
}

type reflector struct {
	seen map[reflect.Type]bool
}

var timeType = reflect.TypeFor[time.Time]()

func (r *reflector) schema(t reflect.Type, path string) (*Schema, error) {
	nullable := false
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
		nullable = true
	}
	s := &Schema{}
	switch {
	case t == timeType:
		s.Types = []string{"string"}
		s.Description = "RFC 3339 date-time"
	case t == reflect.TypeFor[json.RawMessage]():
		return nil, fmt.Errorf("ai.SchemaFor: %s: free-form JSON cannot be expressed in a strict schema", path)
	default:
		switch t.Kind() {
		case reflect.String:
			s.Types = []string{"string"}
		case reflect.Bool:
			s.Types = []string{"boolean"}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s.Types = []string{"integer"}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s.Types = []string{"integer"}
			zero := 0.0
			s.Minimum = &zero
		case reflect.Float32, reflect.Float64:
			s.Types = []string{"number"}
		case reflect.Slice, reflect.Array:
			if t.Elem().Kind() == reflect.Uint8 {
				s.Types = []string{"string"}
				break
			}
			s.Types = []string{"array"}
			items, err := r.schema(t.Elem(), path+"[]")
			if err != nil {
				return nil, err
			}
			s.Items = items
		case reflect.Struct:
			if r.seen[t] {
				return nil, fmt.Errorf("ai.SchemaFor: %s: recursive type %s", path, t)
			}
			r.seen[t] = true
			defer delete(r.seen, t)
			s.Types = []string{"object"}
			if err := r.fields(s, t, path); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("ai.SchemaFor: %s: unsupported kind %s (%s)", path, t.Kind(), t)
		}
	}
	if nullable {
		s.Types = append(s.Types, "null")
	}
	return s, nil
}

func (r *reflector) fields(s *Schema, t reflect.Type, path string) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			if err := r.fields(s, f.Type, path); err != nil {
				return err
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		ps, err := r.schema(f.Type, path+"."+name)
		if err != nil {
			return err
		}
		if strings.Contains(","+opts+",", ",omitempty,") && !ps.hasType("null") {
			ps.Types = append(ps.Types, "null")
		}
		if d := f.Tag.Get("jsonschema_description"); d != "" {
			ps.Description = d
		}
		if err := applyTag(ps, f.Tag.Get("jsonschema"), path+"."+name); err != nil {
			return err
		}
		s.Properties = append(s.Properties, Property{Name: name, Schema: ps})
		s.Required = append(s.Required, name)
	}
	return nil
}

func applyTag(s *Schema, tag, path string) error {
	if tag == "" {
		return nil
	}
	for _, part := range strings.Split(tag, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return fmt.Errorf("ai.SchemaFor: %s: jsonschema tag part %q is not key=value", path, part)
		}
		target := s
		switch k {
		case "minLength", "maxLength", "enum":
			// On an array of strings they constrain the items.
			if s.Items != nil && s.hasType("array") {
				target = s.Items
			}
		}
		switch k {
		case "description":
			target.Description = v
		case "enum":
			target.Enum = strings.Split(v, "|")
		case "minLength", "maxLength", "minItems", "maxItems":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("ai.SchemaFor: %s: %s=%q is not a count", path, k, v)
			}
			switch k {
			case "minLength":
				target.MinLength = &n
			case "maxLength":
				target.MaxLength = &n
			case "minItems":
				target.MinItems = &n
			case "maxItems":
				target.MaxItems = &n
			}
		case "minimum", "maximum":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("ai.SchemaFor: %s: %s=%q is not a number", path, k, v)
			}
			if k == "minimum" {
				target.Minimum = &f
			} else {
				target.Maximum = &f
			}
		default:
			return fmt.Errorf("ai.SchemaFor: %s: unknown jsonschema tag key %q", path, k)
		}
	}
	return nil
}
