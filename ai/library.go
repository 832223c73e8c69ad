package ai

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/igny8/sdk/igny8"
)

// Library is the SDK's prompt library: one Function per AI step of the
// pipeline. Domain packages run them; accounts may override their prompts
// (see Prompts). Build it once with NewLibrary and share it.
type Library struct {
	AutoCluster   *Function[ClusterKeywordsInput, ClusterKeywordsOutput]
	GenerateIdeas *Function[IdeasInput, IdeasOutput]
	ImagePrompts  *Function[ImagePromptsInput, ImagePromptsOutput]
	SiteStructure *Function[SiteStructureInput, SiteStructureOutput]
	Optimize      *Function[OptimizeInput, OptimizeOutput]
	content       map[ContentType]*Function[ContentInput, ContentOutput]
}

// NewLibrary builds the library. Its templates are constants checked by
// the package tests, so it does not fail.
func NewLibrary() *Library {
	l := &Library{
		AutoCluster: MustFunction(Spec[ClusterKeywordsInput, ClusterKeywordsOutput]{
			Name: igny8.FuncAutoCluster, System: clusterSystem, User: clusterUser,
			CheckInput: checkClusterInput, Validate: validateClusters,
		}),
		GenerateIdeas: MustFunction(Spec[IdeasInput, IdeasOutput]{
			Name: igny8.FuncGenerateIdeas, System: ideasSystem, User: ideasUser,
			CheckInput: checkIdeasInput, Validate: validateIdeas,
		}),
		ImagePrompts: MustFunction(Spec[ImagePromptsInput, ImagePromptsOutput]{
			Name: igny8.FuncGenerateImagePrompts, System: imagePromptsSystem, User: imagePromptsUser,
			CheckInput: checkImagePromptsInput, Validate: validateImagePrompts,
		}),
		SiteStructure: MustFunction(Spec[SiteStructureInput, SiteStructureOutput]{
			Name: igny8.FuncGenerateSiteStructure, System: siteSystem, User: siteUser,
			CheckInput: checkSiteInput, Validate: validateSite,
		}),
		Optimize: MustFunction(Spec[OptimizeInput, OptimizeOutput]{
			Name: igny8.FuncOptimizeContent, System: optimizeSystem, User: optimizeUser,
			CheckInput: checkOptimizeInput, Validate: validateOptimize,
		}),
		content: map[ContentType]*Function[ContentInput, ContentOutput]{},
	}
	for _, ct := range ContentTypes() {
		ct := ct
		l.content[ct] = MustFunction(Spec[ContentInput, ContentOutput]{
			Name:     igny8.FuncGenerateContent,
			PromptID: ContentPromptID(ct),
			System:   contentSystem,
			User:     contentUsers[ct],
			CheckInput: func(in ContentInput) error {
				if in.ContentType != ct {
					return igny8.InvalidArgument("ai.GenerateContent", "content_type", "%q does not match the %s prompt", in.ContentType, ct)
				}
				return checkContentInput(in)
			},
			Validate: validateContent,
		})
	}
	return l
}

// ContentPromptID is the prompt ID of the writing prompt for a content type
// ("generate_content.post").
func ContentPromptID(t ContentType) string { return igny8.FuncGenerateContent + "." + string(t) }

// Content returns the writing function for a content type.
func (l *Library) Content(t ContentType) (*Function[ContentInput, ContentOutput], error) {
	f, ok := l.content[t]
	if !ok {
		return nil, igny8.InvalidArgument("ai.Library.Content", "content_type", "%q is not one of post, page, product, service, taxonomy", t)
	}
	return f, nil
}

// WriteContent runs the writing function for in.ContentType.
func (l *Library) WriteContent(ctx context.Context, r *Runner, scope igny8.Scope, in ContentInput, opts *RunOptions) (Result[ContentOutput], error) {
	f, err := l.Content(in.ContentType)
	if err != nil {
		return Result[ContentOutput]{}, err
	}
	return f.Run(ctx, r, scope, in, opts)
}

// Functions lists every function of the library, for NewPrompts.
func (l *Library) Functions() []PromptChecker {
	out := []PromptChecker{l.AutoCluster, l.GenerateIdeas}
	for _, ct := range ContentTypes() {
		out = append(out, l.content[ct])
	}
	return append(out, l.ImagePrompts, l.SiteStructure, l.Optimize)
}

// ---- templates ----

const languageLine = `{{if .Language}}Write in {{.Language}}.{{end}}`

const clusterSystem = `You are an SEO strategist. You group search keywords into topical clusters so that each cluster can be served by one piece of content. Answer with JSON only.`

const clusterUser = `Group the keywords in the input into clusters of shared search intent{{if .Sector}} for the sector "{{.Sector}}"{{end}}.
Rules:
- Use each keyword exactly as given, in at most one cluster.
- Name each cluster after its shared topic in a few words and describe it in one sentence.
{{- if .MaxClusters}}
- Make at most {{.MaxClusters}} clusters.{{end}}
` + languageLine

const ideasSystem = `You are a content strategist who plans search-optimised articles and pages. Answer with JSON only.`

const ideasUser = `Propose {{.Count}} content ideas for the keyword cluster "{{.Cluster}}"{{if .Site}} on the site {{.Site}}{{end}}.
Each idea has a title, a one-paragraph description, a content type{{if .ContentTypes}} (one of: {{range $i, $t := .ContentTypes}}{{if $i}}, {{end}}{{$t}}{{end}}){{end}}, a primary keyword taken from the cluster's keywords, secondary keywords, an outline of H2 headings each with its H3 subheadings, and an estimated word count.
` + languageLine

const contentSystem = `You are an experienced web writer.{{with .Voice}}{{if .Style}} Your voice: {{.Style}}.{{end}}{{if .Tone}} Your tone: {{.Tone}}.{{end}}{{if .Audience}} You write for: {{.Audience}}.{{end}}{{if .BannedPhrases}} Never use these phrases: {{range $i, $p := .BannedPhrases}}{{if $i}}; {{end}}"{{$p}}"{{end}}.{{end}}{{end}}
Write clean HTML (h2, h3, p, ul, ol, li, strong, em, a, blockquote, table); no h1, no scripts, no inline styles. Answer with JSON only.`

const contentRules = `
Use the primary keyword "{{.PrimaryKeyword}}" in the title, the first paragraph and at least one heading{{if .SecondaryKeywords}}, and work in the secondary keywords naturally{{end}}.
{{- if .Outline}}
Follow the outline in the input: each section is an h2 with its subheadings as h3.{{end}}
{{- if .EstimatedWords}}
Aim for about {{.EstimatedWords}} words.{{end}}
The meta title is at most 60 characters, the meta description at most 160; the slug is lower-case words joined by hyphens.
` + languageLine

var contentUsers = map[ContentType]string{
	ContentPost:     `Write the blog post "{{.Title}}": an introduction that states what the reader will learn, the sections, a conclusion, an FAQ of 3 to 5 questions and 2 or 3 image prompts.` + contentRules,
	ContentPage:     `Write the web page "{{.Title}}": a clear statement of what the page offers, its sections, a call to action at the end, and 1 or 2 image prompts.` + contentRules,
	ContentProduct:  `Write the product page "{{.Title}}": who it is for, key features and benefits, specifications as a list or table, objections answered in an FAQ, a call to action, and 2 image prompts of the product in use.` + contentRules,
	ContentService:  `Write the service page "{{.Title}}": the problem it solves, what the service includes, the process step by step, proof points, an FAQ, a call to action, and 1 or 2 image prompts.` + contentRules,
	ContentTaxonomy: `Write the category page "{{.Title}}": an introduction to the topic, what readers find in this category, sub-topics as sections, and 1 image prompt.` + contentRules,
}

const imagePromptsSystem = `You are an art director. You write prompts for an image model: concrete subject, setting, composition, light and style; no text in the image, no logos, no real people's names. Answer with JSON only.`

const imagePromptsUser = `Write a featured image prompt and {{.Count}} in-article image prompts for the article "{{.Title}}"{{if .Style}} in the style "{{.Style}}"{{end}}. Each prompt has alt text that describes the image for a reader who cannot see it, and a short caption.`

const siteSystem = `You are a web designer who plans small business websites: pages, and the blocks each page is made of. Answer with JSON only.`

const siteUser = `Plan the structure of a {{default "business" .SiteType}} website{{if .Business}} for {{.Business}}{{end}} with at most {{.MaxPages}} pages. The brief is in the input.
Give each page a slug (lower-case words joined by hyphens; "home" for the home page), a type, a title, a one-sentence description, and its blocks in order. Each block has a type and its fields as name/value pairs (heading, subheading, text, button_label, button_link, items with one item per line).`

const optimizeSystem = `You are an SEO editor. You improve an existing article for its primary keyword without changing its facts or its voice.{{with .Voice}}{{if .Tone}} Keep the tone: {{.Tone}}.{{end}}{{if .BannedPhrases}} Never use these phrases: {{range $i, $p := .BannedPhrases}}{{if $i}}; {{end}}"{{$p}}"{{end}}.{{end}}{{end}} Answer with JSON only.`

const optimizeUser = `Optimise the article in the input for the keyword "{{.PrimaryKeyword}}".
{{- if .Issues}}
Fix these issues:{{range .Issues}}
- {{.}}{{end}}{{end}}
Return the improved title, meta title (at most 60 characters), meta description (at most 160), the full improved HTML, and a list of the changes you made.`

// ---- input checks ----

func checkClusterInput(in ClusterKeywordsInput) error {
	const op = "ai.AutoCluster"
	if len(in.Keywords) < 2 {
		return igny8.InvalidArgument(op, "keywords", "at least 2 keywords are needed, got %d", len(in.Keywords))
	}
	if len(in.Keywords) > 2000 {
		return igny8.InvalidArgument(op, "keywords", "at most 2000 keywords per call, got %d", len(in.Keywords))
	}
	for i, k := range in.Keywords {
		if strings.TrimSpace(k.Text) == "" {
			return igny8.InvalidArgument(op, fmt.Sprintf("keywords[%d].text", i), "is empty")
		}
	}
	if in.MaxClusters < 0 {
		return igny8.InvalidArgument(op, "max_clusters", "must not be negative, got %d", in.MaxClusters)
	}
	return nil
}

func checkIdeasInput(in IdeasInput) error {
	const op = "ai.GenerateIdeas"
	if strings.TrimSpace(in.Cluster) == "" {
		return igny8.InvalidArgument(op, "cluster", "is required")
	}
	if len(in.Keywords) == 0 {
		return igny8.InvalidArgument(op, "keywords", "at least one keyword is needed")
	}
	if in.Count < 1 || in.Count > 20 {
		return igny8.InvalidArgument(op, "count", "must be 1 to 20, got %d", in.Count)
	}
	for _, t := range in.ContentTypes {
		if !t.Valid() {
			return igny8.InvalidArgument(op, "content_types", "%q is not a content type", t)
		}
	}
	return nil
}

func checkContentInput(in ContentInput) error {
	const op = "ai.GenerateContent"
	if strings.TrimSpace(in.Title) == "" {
		return igny8.InvalidArgument(op, "title", "is required")
	}
	if strings.TrimSpace(in.PrimaryKeyword) == "" {
		return igny8.InvalidArgument(op, "primary_keyword", "is required")
	}
	if in.EstimatedWords < 0 || in.EstimatedWords > 20000 {
		return igny8.InvalidArgument(op, "estimated_words", "must be 0 to 20000, got %d", in.EstimatedWords)
	}
	return CheckVoice(op, in.Voice)
}

func checkImagePromptsInput(in ImagePromptsInput) error {
	const op = "ai.GenerateImagePrompts"
	if strings.TrimSpace(in.Title) == "" {
		return igny8.InvalidArgument(op, "title", "is required")
	}
	if in.Count < 0 || in.Count > 6 {
		return igny8.InvalidArgument(op, "count", "must be 0 to 6, got %d", in.Count)
	}
	return nil
}

func checkSiteInput(in SiteStructureInput) error {
	const op = "ai.GenerateSiteStructure"
	if strings.TrimSpace(in.Brief) == "" {
		return igny8.InvalidArgument(op, "brief", "is required")
	}
	if in.MaxPages < 1 || in.MaxPages > 50 {
		return igny8.InvalidArgument(op, "max_pages", "must be 1 to 50, got %d", in.MaxPages)
	}
	return nil
}

func checkOptimizeInput(in OptimizeInput) error {
	const op = "ai.OptimizeContent"
	if strings.TrimSpace(in.HTML) == "" {
		return igny8.InvalidArgument(op, "html", "is required")
	}
	if strings.TrimSpace(in.PrimaryKeyword) == "" {
		return igny8.InvalidArgument(op, "primary_keyword", "is required")
	}
	return CheckVoice(op, in.Voice)
}

// ---- output validation ----

func norm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func validateClusters(in ClusterKeywordsInput, out *ClusterKeywordsOutput) error {
	known := make(map[string]string, len(in.Keywords))
	for _, k := range in.Keywords {
		known[norm(k.Text)] = k.Text
	}
	if in.MaxClusters > 0 && len(out.Clusters) > in.MaxClusters {
		return outErr("$.clusters", "at most %d clusters, got %d", in.MaxClusters, len(out.Clusters))
	}
	used := map[string]int{}
	for i, c := range out.Clusters {
		if strings.TrimSpace(c.Name) == "" {
			return outErr(fmt.Sprintf("$.clusters[%d].name", i), "is empty")
		}
		for j, k := range c.Keywords {
			n := norm(k)
			orig, ok := known[n]
			if !ok {
				return outErr(fmt.Sprintf("$.clusters[%d].keywords[%d]", i, j), "%q is not one of the input keywords", clip(k, 80))
			}
			if prev, dup := used[n]; dup {
				return outErr(fmt.Sprintf("$.clusters[%d].keywords[%d]", i, j), "%q is already in cluster %d", orig, prev)
			}
			used[n] = i
			out.Clusters[i].Keywords[j] = orig
		}
	}
	return nil
}

func validateIdeas(in IdeasInput, out *IdeasOutput) error {
	if len(out.Ideas) > in.Count {
		return outErr("$.ideas", "asked for %d ideas, got %d", in.Count, len(out.Ideas))
	}
	for i, idea := range out.Ideas {
		p := fmt.Sprintf("$.ideas[%d]", i)
		if len(in.ContentTypes) > 0 && !containsType(in.ContentTypes, idea.ContentType) {
			return outErr(p+".content_type", "%q is not one of the allowed types", idea.ContentType)
		}
		if strings.TrimSpace(idea.Title) == "" {
			return outErr(p+".title", "is empty")
		}
		for j, s := range idea.Outline {
			if strings.TrimSpace(s.Heading) == "" {
				return outErr(fmt.Sprintf("%s.outline[%d].heading", p, j), "is empty")
			}
		}
	}
	return nil
}

func containsType(list []ContentType, t ContentType) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// fixSlug normalises a model's slug, or reports it unusable.
func fixSlug(path, slug string) (string, error) {
	if igny8.ValidSlug(slug) {
		return slug, nil
	}
	s := igny8.Slugify(slug)
	if s == "" {
		return "", outErr(path, "%q cannot be made a slug", clip(slug, 60))
	}
	return s, nil
}

func validateContent(in ContentInput, out *ContentOutput) error {
	var err error
	if out.Slug, err = fixSlug("$.slug", out.Slug); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(out.MetaTitle); n > 60 {
		return outErr("$.meta_title", "must be at most 60 characters, got %d", n)
	}
	if n := utf8.RuneCountInString(out.MetaDescription); n > 160 {
		return outErr("$.meta_description", "must be at most 160 characters, got %d", n)
	}
	low := strings.ToLower(out.HTML)
	if !strings.Contains(low, "<p") && !strings.Contains(low, "<h2") {
		return outErr("$.html", "is not HTML with paragraphs or h2 headings")
	}
	if strings.Contains(low, "<script") {
		return outErr("$.html", "must not contain scripts")
	}
	kw := norm(in.PrimaryKeyword)
	if !strings.Contains(norm(out.Title), kw) && !strings.Contains(norm(stripTags(out.HTML)), kw) {
		return outErr("$.html", "does not use the primary keyword %q", in.PrimaryKeyword)
	}
	texts := []field{{"$.title", out.Title}, {"$.meta_title", out.MetaTitle}, {"$.meta_description", out.MetaDescription},
		{"$.html", out.HTML}, {"$.excerpt", out.Excerpt}}
	for i, f := range out.FAQ {
		texts = append(texts, field{fmt.Sprintf("$.faq[%d].question", i), f.Question}, field{fmt.Sprintf("$.faq[%d].answer", i), f.Answer})
	}
	return checkBanned(in.Voice, texts)
}

// stripTags drops markup for keyword checks; it is not a sanitiser.
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func validateImagePrompts(in ImagePromptsInput, out *ImagePromptsOutput) error {
	if len(out.InArticle) > in.Count {
		return outErr("$.in_article", "asked for %d prompts, got %d", in.Count, len(out.InArticle))
	}
	return nil
}

func validateSite(in SiteStructureInput, out *SiteStructureOutput) error {
	if len(out.Pages) > in.MaxPages {
		return outErr("$.pages", "at most %d pages, got %d", in.MaxPages, len(out.Pages))
	}
	seen := map[string]int{}
	for i := range out.Pages {
		p := &out.Pages[i]
		path := fmt.Sprintf("$.pages[%d].slug", i)
		s, err := fixSlug(path, p.Slug)
		if err != nil {
			return err
		}
		if prev, dup := seen[s]; dup {
			return outErr(path, "%q is also the slug of page %d", s, prev)
		}
		seen[s] = i
		p.Slug = s
	}
	return nil
}

func validateOptimize(in OptimizeInput, out *OptimizeOutput) error {
	if n := utf8.RuneCountInString(out.MetaTitle); n > 60 {
		return outErr("$.meta_title", "must be at most 60 characters, got %d", n)
	}
	if n := utf8.RuneCountInString(out.MetaDescription); n > 160 {
		return outErr("$.meta_description", "must be at most 160 characters, got %d", n)
	}
	if strings.Contains(strings.ToLower(out.HTML), "<script") {
		return outErr("$.html", "must not contain scripts")
	}
	return checkBanned(in.Voice, []field{{"$.title", out.Title}, {"$.meta_title", out.MetaTitle},
		{"$.meta_description", out.MetaDescription}, {"$.html", out.HTML}})
}
