package ai_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

func TestNewFunctionRefuses(t *testing.T) {
	tests := []struct {
		name  string
		new   func() error
		field string
		want  string
	}{
		{"no name", func() error { _, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{User: "x"}); return err }, "name", "required"},
		{"no user prompt", func() error { _, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{Name: "f"}); return err }, "user", "required"},
		{"parse error", func() error {
			_, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{Name: "f", User: "{{if .Topic}}"})
			return err
		}, "user", "unexpected EOF"},
		{"missing field", func() error {
			_, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{Name: "f", System: "{{.Subject}}", User: "x"})
			return err
		}, "system", "Subject"},
		{"unknown function", func() error {
			_, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{Name: "f", User: "{{shout .Topic}}"})
			return err
		}, "user", "shout"},
		{"output not an object", func() error {
			_, err := ai.NewFunction(ai.Spec[topicIn, []string]{Name: "f", User: "x"})
			return err
		}, "Out", "not a struct"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.new()
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want InvalidArgument on %s mentioning %q", err, tc.field, tc.want)
			}
		})
	}
}

func TestFunctionMessages(t *testing.T) {
	f, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{Name: "f", PromptID: "f.v2",
		System: "{{upper .Topic}}", User: `{{default "nothing" .Topic}} / {{json .}}`})
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "f" || f.PromptID() != "f.v2" {
		t.Errorf("names %s %s", f.Name(), f.PromptID())
	}
	msgs, err := f.Messages(topicIn{Topic: "tea"})
	if err != nil {
		t.Fatal(err)
	}
	want := "tea / {\"topic\":\"tea\"}\n\n" + ai.InputMarker + "{\"topic\":\"tea\"}\n```"
	if len(msgs) != 2 || msgs[0].Content != "TEA" || msgs[1].Content != want {
		t.Errorf("messages = %q", msgs)
	}
	msgs, _ = f.Messages(topicIn{})
	if !strings.HasPrefix(msgs[len(msgs)-1].Content, "nothing /") {
		t.Errorf("default func: %q", msgs[1].Content)
	}
	// No system prompt: one message.
	g := ai.MustFunction(ai.Spec[topicIn, titleOut]{Name: "g", User: "u"})
	if msgs, _ := g.Messages(topicIn{}); len(msgs) != 1 || msgs[0].Role != igny8.RoleUser {
		t.Errorf("messages = %v", msgs)
	}
}
