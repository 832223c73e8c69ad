package ai_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

func TestSaveOverrideValidates(t *testing.T) {
	e := newEnv(t, &scripted{}, envConfig{})
	lib := ai.NewLibrary()
	p := ai.NewPrompts(e.store, lib.Functions(), ai.PromptsOptions{})
	ctx := context.Background()
	tests := []struct {
		name     string
		o        ai.PromptOverride
		field    string // "" means accepted
		contains string
	}{
		{"valid", ai.PromptOverride{PromptID: "generate_ideas", System: "Be brief.", User: "Ideas for {{.Cluster}}, {{.Count}} of them."}, "", ""},
		{"content prompt", ai.PromptOverride{PromptID: ai.ContentPromptID(ai.ContentProduct), User: "Sell {{.Title}} in the voice {{.Voice.Style}}."}, "", ""},
		{"parse error", ai.PromptOverride{PromptID: "generate_ideas", User: "Ideas for {{.Cluster"}, "user", "generate_ideas"},
		{"unknown field", ai.PromptOverride{PromptID: "generate_ideas", User: "Ideas for {{.Nope}}"}, "user", "Nope"},
		{"unknown field in system", ai.PromptOverride{PromptID: "auto_cluster", System: "{{.Missing}}", User: "x"}, "system", "Missing"},
		{"empty user", ai.PromptOverride{PromptID: "generate_ideas", System: "x"}, "user", "required"},
		{"unknown prompt", ai.PromptOverride{PromptID: "generate_poems", User: "x"}, "prompt_id", "generate_poems"},
		{"too big", ai.PromptOverride{PromptID: "generate_ideas", User: strings.Repeat("x", ai.MaxPromptBytes+1)}, "user", "at most"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			saved, err := p.SaveOverride(ctx, e.scope, tc.o)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				got, err := p.Override(ctx, e.scope, tc.o.PromptID)
				if err != nil || got.User != tc.o.User || saved.AccountID != e.scope.AccountID {
					t.Errorf("stored %+v, %v", got, err)
				}
				return
			}
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("err = %v, want InvalidArgument on %s mentioning %q", err, tc.field, tc.contains)
			}
			if _, err := p.Override(ctx, e.scope, tc.o.PromptID); tc.o.PromptID == "generate_poems" && igny8.CodeOf(err) != igny8.CodeNotFound {
				t.Errorf("a refused override was stored: %v", err)
			}
		})
	}
}

func TestRunnerUsesOverride(t *testing.T) {
	s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok(goodTitle) }}
	e := newEnv(t, s, envConfig{balance: 100, costs: titleCosts})
	f := titleFunc(t)
	r, err := ai.NewRunner(e.store, e.limits, e.credits, s, e.store, ai.RunnerOptions{Prompts: e.store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	p := ai.NewPrompts(e.store, []ai.PromptChecker{f}, ai.PromptsOptions{})
	ctx := context.Background()
	run := func() igny8.ChatRequest {
		t.Helper()
		if _, err := f.Run(ctx, r, e.scope, topicIn{Topic: "tea"}, nil); err != nil {
			t.Fatal(err)
		}
		return s.request(s.calls() - 1)
	}
	if req := run(); req.Messages[0].Content != "You write titles." {
		t.Fatalf("default system prompt not used: %q", req.Messages[0].Content)
	}
	if _, err := p.SaveOverride(ctx, e.scope, ai.PromptOverride{PromptID: "title", System: "Pirate voice.", User: "A title on {{.Topic}}, arr."}); err != nil {
		t.Fatal(err)
	}
	req := run()
	if req.Messages[0].Content != "Pirate voice." || !strings.HasPrefix(req.Messages[1].Content, "A title on tea, arr.") ||
		!strings.Contains(req.Messages[1].Content, ai.InputMarker+`{"topic":"tea"}`) {
		t.Fatalf("override not used: %+v", req.Messages)
	}
	// Another account keeps the default.
	ten := igny8.NewTenancy(e.store, igny8.TenancyOptions{})
	acct, _ := e.store.GetAccount(ctx, e.scope.AccountID)
	other, _ := ten.CreateAccount(ctx, igny8.Account{Name: "other", PlanID: acct.PlanID})
	site, _ := ten.CreateSite(ctx, igny8.Scope{AccountID: other.ID}, igny8.Site{Name: "o"})
	_, _ = e.credits.Grant(ctx, site.Scope(), igny8.Charge{Amount: 10, Reason: "t", IdempotencyKey: "g"})
	if _, err := f.Run(ctx, r, site.Scope(), topicIn{Topic: "tea"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.request(s.calls() - 1).Messages[0].Content; got != "You write titles." {
		t.Errorf("another account got the override: %q", got)
	}
	// A stale override (saved around the validation) falls back to the default.
	if err := e.store.SavePromptOverride(ctx, e.scope, ai.PromptOverride{PromptID: "title", User: "{{.Gone}}", UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if req := run(); req.Messages[0].Content != "You write titles." {
		t.Errorf("stale override not replaced by the default: %q", req.Messages[0].Content)
	}
	if err := p.DeleteOverride(ctx, e.scope, "title"); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorProfiles(t *testing.T) {
	e := newEnv(t, &scripted{}, envConfig{})
	p := ai.NewPrompts(e.store, nil, ai.PromptsOptions{})
	ctx := context.Background()
	a, err := p.SaveAuthor(ctx, e.scope, ai.AuthorProfile{Name: " Ann ", Voice: ai.Voice{Tone: "warm", BannedPhrases: []string{"delve"}}})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.Name != "Ann" || a.AccountID != e.scope.AccountID {
		t.Errorf("saved %+v", a)
	}
	a.Voice.Tone = "dry"
	b, err := p.SaveAuthor(ctx, e.scope, a)
	if err != nil || !b.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("update: %+v, %v", b, err)
	}
	got, err := p.Author(ctx, e.scope, a.ID)
	if err != nil || got.Voice.Tone != "dry" || got.Voice.BannedPhrases[0] != "delve" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if list, err := p.Authors(ctx, e.scope); err != nil || len(list) != 1 {
		t.Fatalf("list: %v, %v", list, err)
	}
	bad := []struct {
		name  string
		a     ai.AuthorProfile
		field string
	}{
		{"no name", ai.AuthorProfile{Name: " "}, "name"},
		{"empty phrase", ai.AuthorProfile{Name: "x", Voice: ai.Voice{BannedPhrases: []string{"ok", " "}}}, "voice.banned_phrases"},
		{"duplicate phrase", ai.AuthorProfile{Name: "x", Voice: ai.Voice{BannedPhrases: []string{"Delve", "delve"}}}, "voice.banned_phrases"},
		{"long tone", ai.AuthorProfile{Name: "x", Voice: ai.Voice{Tone: strings.Repeat("x", ai.MaxVoiceTextBytes+1)}}, "voice.tone"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.SaveAuthor(ctx, e.scope, tc.a)
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Field != tc.field {
				t.Errorf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	if err := p.DeleteAuthor(ctx, e.scope, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Author(ctx, e.scope, a.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
		t.Errorf("deleted author: %v", err)
	}
}

func TestBannedPhraseIsReasked(t *testing.T) {
	lib := ai.NewLibrary()
	f, _ := lib.Content(ai.ContentPost)
	good := `{"title":"Green tea","meta_title":"Green tea","meta_description":"About green tea","slug":"green-tea","html":"<p>green tea is good</p>","excerpt":"","faq":[],"image_prompts":[]}`
	bad := strings.Replace(good, "is good", "lets us Delve deeper", 1)
	s := &scripted{reply: func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error) {
		if n == 1 {
			return ok(bad)
		}
		return ok(good)
	}}
	e := newEnv(t, s, envConfig{balance: 100})
	in := ai.ContentInput{ContentType: ai.ContentPost, Title: "Green tea", PrimaryKeyword: "green tea",
		Voice: ai.Voice{Tone: "calm", BannedPhrases: []string{"delve"}}}
	res, err := f.Run(context.Background(), e.runner, e.scope, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", res.Attempts)
	}
	first := s.request(0)
	if !strings.Contains(first.Messages[0].Content, `Never use these phrases: "delve"`) || !strings.Contains(first.Messages[0].Content, "calm") {
		t.Errorf("the voice is not in the system prompt: %q", first.Messages[0].Content)
	}
	if reask := s.request(1).Messages[3].Content; !strings.Contains(reask, `banned phrase "delve"`) || !strings.Contains(reask, "$.html") {
		t.Errorf("re-ask = %q", reask)
	}
	if first.Function != igny8.FuncGenerateContent || first.SchemaName != igny8.FuncGenerateContent {
		t.Errorf("request names %q / %q", first.Function, first.SchemaName)
	}
}
