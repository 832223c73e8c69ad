package ai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"github.com/igny8/sdk/igny8"
)

// InputMarker introduces the JSON input block the framework appends to the
// last user message of every prompt:
//
//	Input (JSON):
//	```json
//	{...}
//	```
//
// Templates therefore hold instructions only; the data travels as JSON,
// which every model reads well and which the offline model parses.
const InputMarker = "Input (JSON):\n```json\n"

// Spec describes an AI function. Name and the two templates are required.
type Spec[In, Out any] struct {
	// Name is the function's name in cost tables and call logs
	// (igny8.FuncGenerateIdeas, or a host's own name).
	Name string
	// PromptID names the prompt for account overrides; empty means Name.
	// Functions that share a Name but not a prompt (one per content type)
	// tell them apart here ("generate_content.post").
	PromptID string
	// System and User are text/template sources executed with the input
	// as dot. They are checked at construction by executing them against
	// the zero In.
	System string
	User   string
	// Funcs adds template functions to the built-in ones (json, join,
	// lower, upper, default).
	Funcs template.FuncMap
	// CheckInput refuses input before anything is charged; its error
	// should be igny8.InvalidArgument naming the field.
	CheckInput func(in In) error
	// Validate checks (and may normalise) a schema-valid output; an error
	// is sent back to the model, which is asked again.
	Validate func(in In, out *Out) error
	// Temperature and MaxTokens are passed to the model.
	Temperature *float64
	MaxTokens   int
}

// Function is a typed AI function: a prompt that turns an In into a
// request, a JSON Schema derived from Out, and validation of the reply.
// Run it with a Runner. A Function is immutable and safe for concurrent
// use.
type Function[In, Out any] struct {
	spec   Spec[In, Out]
	system *template.Template
	user   *template.Template
	schema *Schema
	raw    json.RawMessage
}

// NewFunction checks spec and builds the function: it derives Out's
// schema and parses and executes the templates against the zero In, so
// that a broken prompt fails here and not in production.
func NewFunction[In, Out any](spec Spec[In, Out]) (*Function[In, Out], error) {
	const op = "ai.NewFunction"
	if strings.TrimSpace(spec.Name) == "" {
		return nil, igny8.InvalidArgument(op, "name", "is required")
	}
	if spec.PromptID == "" {
		spec.PromptID = spec.Name
	}
	s, err := SchemaFor[Out]()
	if err != nil {
		return nil, igny8.InvalidArgument(op, "Out", "%v", err)
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "encode schema: %w", err)
	}
	f := &Function[In, Out]{spec: spec, schema: s, raw: raw}
	f.system, f.user, err = f.parse(spec.System, spec.User)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// MustFunction is NewFunction that panics on error, for functions defined
// from constant templates whose tests prove them.
func MustFunction[In, Out any](spec Spec[In, Out]) *Function[In, Out] {
	f, err := NewFunction(spec)
	if err != nil {
		panic(err)
	}
	return f
}

// Name returns the function's name (its cost table key).
func (f *Function[In, Out]) Name() string { return f.spec.Name }

// PromptID returns the ID account overrides of its prompt are stored under.
func (f *Function[In, Out]) PromptID() string { return f.spec.PromptID }

// Schema returns the JSON Schema of Out, as sent to the model.
func (f *Function[In, Out]) Schema() json.RawMessage { return f.raw }

// DefaultPrompt returns the built-in system and user templates.
func (f *Function[In, Out]) DefaultPrompt() (system, user string) {
	return f.spec.System, f.spec.User
}

// CheckPrompt parses system and user templates and executes them against
// the zero In: what an account override must pass before it is saved.
func (f *Function[In, Out]) CheckPrompt(system, user string) error {
	_, _, err := f.parse(system, user)
	return err
}

func (f *Function[In, Out]) parse(system, user string) (*template.Template, *template.Template, error) {
	const op = "ai.Function.CheckPrompt"
	if strings.TrimSpace(user) == "" {
		return nil, nil, igny8.InvalidArgument(op, "user", "the user prompt of %s is required", f.spec.PromptID)
	}
	st, err := f.newTemplate("system", system)
	if err != nil {
		return nil, nil, igny8.InvalidArgument(op, "system", "%s: %v", f.spec.PromptID, err)
	}
	ut, err := f.newTemplate("user", user)
	if err != nil {
		return nil, nil, igny8.InvalidArgument(op, "user", "%s: %v", f.spec.PromptID, err)
	}
	var zero In
	if _, err := execute(st, zero); err != nil {
		return nil, nil, igny8.InvalidArgument(op, "system", "%s: %v", f.spec.PromptID, err)
	}
	if _, err := execute(ut, zero); err != nil {
		return nil, nil, igny8.InvalidArgument(op, "user", "%s: %v", f.spec.PromptID, err)
	}
	return st, ut, nil
}

func (f *Function[In, Out]) newTemplate(name, src string) (*template.Template, error) {
	t := template.New(name).Option("missingkey=error").Funcs(builtinFuncs())
	if f.spec.Funcs != nil {
		t = t.Funcs(f.spec.Funcs)
	}
	return t.Parse(src)
}

func builtinFuncs() template.FuncMap {
	return template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"join":  strings.Join,
		"lower": strings.ToLower,
		"upper": strings.ToUpper,
		"default": func(def string, v string) string {
			if strings.TrimSpace(v) == "" {
				return def
			}
			return v
		},
	}
}

func execute(t *template.Template, data any) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// messages renders the prompt for in with the given templates (nil means
// the function's own) and appends the input as a JSON block.
func (f *Function[In, Out]) messages(system, user *template.Template, in In) ([]igny8.Message, error) {
	if system == nil {
		system, user = f.system, f.user
	}
	sys, err := execute(system, in)
	if err != nil {
		return nil, err
	}
	usr, err := execute(user, in)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(len(usr) + len(data) + 32)
	b.WriteString(usr)
	b.WriteString("\n\n")
	b.WriteString(InputMarker)
	b.Write(data)
	b.WriteString("\n```")
	msgs := make([]igny8.Message, 0, 2)
	if sys != "" {
		msgs = append(msgs, igny8.Message{Role: igny8.RoleSystem, Content: sys})
	}
	return append(msgs, igny8.Message{Role: igny8.RoleUser, Content: b.String()}), nil
}

// Messages renders the function's default prompt for in: the system and
// user messages a Runner sends before any re-ask.
func (f *Function[In, Out]) Messages(in In) ([]igny8.Message, error) {
	return f.messages(nil, nil, in)
}

// Parse turns a model's reply into Out: it extracts the JSON object,
// checks it against the schema, decodes it and runs the function's
// Validate. Any failure is an *OutputError.
func (f *Function[In, Out]) Parse(in In, text, finishReason string) (Out, error) {
	var out Out
	raw, err := ExtractJSON(text, finishReason)
	if err != nil {
		return out, err
	}
	if err := ValidateJSON(f.schema, raw); err != nil {
		return out, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return out, outErr("", "the JSON does not fit the output type: %v", err)
	}
	if f.spec.Validate != nil {
		if err := f.spec.Validate(in, &out); err != nil {
			var oe *OutputError
			if errors.As(err, &oe) {
				return out, err
			}
			return out, &OutputError{Reason: err.Error()}
		}
	}
	return out, nil
}

func (f *Function[In, Out]) check(in In) error {
	if f.spec.CheckInput == nil {
		return nil
	}
	return f.spec.CheckInput(in)
}

func (f *Function[In, Out]) String() string { return fmt.Sprintf("ai.Function(%s)", f.spec.PromptID) }
