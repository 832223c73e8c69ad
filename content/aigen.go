package content

import (
	"context"
	"strings"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// VoiceSource looks up author profiles; ai.PromptStore (and so
// adapters/sqlstore) is one.
type VoiceSource interface {
	GetAuthorProfile(ctx context.Context, scope igny8.Scope, id string) (ai.AuthorProfile, error)
}

// AIGenerator writes articles with the ai runtime: the content type's
// writing prompt from the prompt library (or the account's override of it),
// in the task's author voice. The runner holds the site's daily AI request
// limit and charges the credits, once per idempotency key.
type AIGenerator struct {
	runner *ai.Runner
	lib    *ai.Library
	voices VoiceSource
	site   func(ctx context.Context, scope igny8.Scope) string
}

// NewAIGenerator returns a Generator over runner and lib. voices may be nil
// when tasks name no author profile.
func NewAIGenerator(runner *ai.Runner, lib *ai.Library, voices VoiceSource) *AIGenerator {
	return &AIGenerator{runner: runner, lib: lib, voices: voices}
}

var _ Generator = (*AIGenerator)(nil)

// Generate writes the article of task.
func (g *AIGenerator) Generate(ctx context.Context, scope igny8.Scope, t Task, key string) (Article, error) {
	in := ai.ContentInput{
		ContentType:       ai.ContentType(t.Type),
		Title:             t.Title,
		Description:       t.Brief,
		PrimaryKeyword:    firstNonEmpty(t.PrimaryKeyword, t.Title),
		SecondaryKeywords: t.Keywords,
		EstimatedWords:    t.TargetWords,
	}
	for _, s := range t.Outline {
		in.Outline = append(in.Outline, ai.OutlineSection{Heading: s.Heading, Subheadings: s.Subheadings})
	}
	if t.AuthorProfile != "" {
		if g.voices == nil {
			return Article{}, igny8.InvalidArgument("content.AIGenerator", "author_profile", "task names profile %q but the generator has no voice source", t.AuthorProfile)
		}
		p, err := g.voices.GetAuthorProfile(ctx, scope.Account(), t.AuthorProfile)
		if err != nil {
			return Article{}, err
		}
		in.Voice = p.Voice
	}
	res, err := g.lib.WriteContent(ctx, g.runner, scope, in, &ai.RunOptions{IdempotencyKey: key})
	if err != nil {
		return Article{}, err
	}
	out := res.Output
	art := Article{
		Title: out.Title, MetaTitle: out.MetaTitle, MetaDescription: out.MetaDescription, Slug: out.Slug,
		HTML: out.HTML, Excerpt: out.Excerpt, PrimaryKeyword: in.PrimaryKeyword, SecondaryKeywords: t.Keywords,
	}
	for _, f := range out.FAQ {
		art.FAQ = append(art.FAQ, FAQ{Question: f.Question, Answer: f.Answer})
	}
	sections := strings.Count(strings.ToLower(out.HTML), "<h2")
	for i, p := range out.ImagePrompts {
		ip := ImagePrompt{Kind: ImageInArticle, Prompt: p, Alt: altFromPrompt(p)}
		if i == 0 {
			ip.Kind = ImageFeatured
		} else if sections > 0 {
			// Spread in-article images over the sections, one after each
			// of the first ones, without running past the last.
			ip.Position = min(i, sections)
		}
		art.ImagePrompts = append(art.ImagePrompts, ip)
	}
	return art, nil
}

// altFromPrompt makes a short alt text from an image prompt: its first
// clause, at most 125 characters (what screen readers handle well).
func altFromPrompt(p string) string {
	p = strings.TrimSpace(p)
	if i := strings.IndexAny(p, ".;\n"); i > 0 {
		p = p[:i]
	}
	return clampRunes(p, 125)
}
