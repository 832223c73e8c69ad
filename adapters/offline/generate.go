package offline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// cluster groups keywords by their most shared significant term.
func cluster(in ai.ClusterKeywordsInput) ai.ClusterKeywordsOutput {
	df := map[string]int{}
	kwTerms := make([][]string, len(in.Keywords))
	seenKw := map[string]bool{}
	for i, k := range in.Keywords {
		ts := terms(k.Text)
		kwTerms[i] = ts
		uniq := map[string]bool{}
		for _, t := range ts {
			if !uniq[t] {
				uniq[t] = true
				df[t]++
			}
		}
	}
	groups := map[string][]string{}
	for i, k := range in.Keywords {
		n := strings.ToLower(strings.Join(strings.Fields(k.Text), " "))
		if seenKw[n] {
			continue
		}
		seenKw[n] = true
		best, bestDF := "", 0
		for _, t := range kwTerms[i] {
			if df[t] > bestDF || (df[t] == bestDF && t < best) {
				best, bestDF = t, df[t]
			}
		}
		if best == "" {
			best = "general"
		}
		groups[best] = append(groups[best], k.Text)
	}
	names := make([]string, 0, len(groups))
	for t := range groups {
		names = append(names, t)
	}
	sort.Slice(names, func(a, b int) bool {
		if len(groups[names[a]]) != len(groups[names[b]]) {
			return len(groups[names[a]]) > len(groups[names[b]])
		}
		return names[a] < names[b]
	})
	if in.MaxClusters > 0 && len(names) > in.MaxClusters {
		keep := in.MaxClusters - 1
		rest := names[keep:]
		var merged []string
		for _, t := range rest {
			merged = append(merged, groups[t]...)
		}
		names = names[:keep]
		groups["\x00other"] = merged
		names = append(names, "\x00other")
	}
	out := ai.ClusterKeywordsOutput{}
	for _, t := range names {
		kws := groups[t]
		name := titleCase(t)
		if t == "\x00other" {
			name = "Other Topics"
			if in.Sector != "" {
				name = "Other " + titleCase(in.Sector) + " Topics"
			}
		} else if second := secondTerm(kws, t); second != "" {
			name = titleCase(t + " " + second)
		}
		out.Clusters = append(out.Clusters, ai.ClusterOutput{
			Name:        cut(name, 120),
			Description: cut(fmt.Sprintf("Searches about %s (%d keywords), grouped by the offline model by shared terms.", strings.ToLower(name), len(kws)), 500),
			Keywords:    kws,
		})
	}
	return out
}

// secondTerm is the most common other term of a group, if shared by most.
func secondTerm(kws []string, first string) string {
	if len(kws) < 2 {
		return ""
	}
	c := map[string]int{}
	for _, k := range kws {
		seen := map[string]bool{}
		for _, t := range terms(k) {
			if t != first && !seen[t] {
				seen[t] = true
				c[t]++
			}
		}
	}
	best, n := "", 0
	for _, t := range sortedKeys(c) {
		if c[t] > n {
			best, n = t, c[t]
		}
	}
	if n*2 <= len(kws) {
		return ""
	}
	return best
}

var ideaTitles = []string{
	"The Complete Guide to %s",
	"%s: What You Need to Know",
	"How to Choose the Right %s",
	"%s Explained for Beginners",
	"Common %s Mistakes and How to Avoid Them",
	"%s: A Practical Checklist",
}

var sectionHeads = []string{
	"What Is %s?",
	"Why %s Matters",
	"How to Get Started with %s",
	"Choosing %s: Key Factors",
	"Common Questions About %s",
}

func ideas(in ai.IdeasInput) ai.IdeasOutput {
	n := in.Count
	if n <= 0 {
		n = 1
	}
	if n > 20 {
		n = 20
	}
	out := ai.IdeasOutput{}
	for i := 0; i < n; i++ {
		kw := in.Keywords[i%len(in.Keywords)]
		ct := ai.ContentPost
		if len(in.ContentTypes) > 0 {
			ct = in.ContentTypes[i%len(in.ContentTypes)]
		}
		secondary := []string{} // the schema wants a list, never null (one-keyword clusters)
		for j, k := range in.Keywords {
			if k != kw && len(secondary) < 4 && j != i%len(in.Keywords) {
				secondary = append(secondary, k)
			}
		}
		title := fmt.Sprintf(ideaTitles[(i+int(hash(kw)%uint64(len(ideaTitles))))%len(ideaTitles)], titleCase(kw))
		var outline []ai.OutlineSection
		for j, h := range sectionHeads[:4] {
			sub := []string{fmt.Sprintf("%s basics", titleCase(kw))}
			if j < len(secondary) {
				sub = append(sub, titleCase(secondary[j]))
			}
			outline = append(outline, ai.OutlineSection{Heading: cut(fmt.Sprintf(h, titleCase(kw)), 200), Subheadings: sub})
		}
		out.Ideas = append(out.Ideas, ai.Idea{
			Title:             cut(title, 200),
			Description:       cut(fmt.Sprintf("A %s about %s for the %s cluster, covering the basics, the reasons it matters, how to start and how to choose.", ct, kw, in.Cluster), 1000),
			ContentType:       ct,
			PrimaryKeyword:    cut(kw, 200),
			SecondaryKeywords: secondary,
			Outline:           outline,
			EstimatedWords:    1000 + 200*(i%5),
		})
	}
	return out
}

var sentences = []string{
	"%s is a topic many readers ask about, and this section sets out the essentials.",
	"When you look at %s, start with what you need and what you can spend.",
	"A simple plan for %s saves time and avoids the most common mistakes.",
	"Compare a few options for %s side by side before you decide.",
	"Experienced people keep notes on %s so that the next decision is easier.",
	"The right choice of %s depends on how often you will use it.",
}

func paragraph(kw string, seed, n int) string {
	var b strings.Builder
	b.WriteString("<p>")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		s := fmt.Sprintf(sentences[(seed+i)%len(sentences)], kw)
		if i == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	b.WriteString("</p>\n")
	return b.String()
}

func content(in ai.ContentInput) ai.ContentOutput {
	kw := in.PrimaryKeyword
	if kw == "" {
		kw = in.Title
	}
	outline := in.Outline
	if len(outline) == 0 {
		for _, h := range sectionHeads[:3] {
			outline = append(outline, ai.OutlineSection{Heading: fmt.Sprintf(h, titleCase(kw))})
		}
	}
	words := in.EstimatedWords
	if words <= 0 {
		words = 800
	}
	// About 15 words a sentence; spread them over the sections.
	sections := 0
	for _, s := range outline {
		sections += 1 + len(s.Subheadings)
	}
	perPara := words / 15 / (sections + 1)
	if perPara < 2 {
		perPara = 2
	}
	if perPara > 12 {
		perPara = 12
	}
	var b strings.Builder
	b.WriteString(paragraph(kw, 0, perPara))
	seed := 1
	for i, s := range outline {
		fmt.Fprintf(&b, "<h2>%s</h2>\n", escape(s.Heading))
		term := kw
		if i > 0 && i-1 < len(in.SecondaryKeywords) {
			term = in.SecondaryKeywords[i-1]
		}
		b.WriteString(paragraph(term, seed, perPara))
		seed++
		for _, sub := range s.Subheadings {
			fmt.Fprintf(&b, "<h3>%s</h3>\n", escape(sub))
			b.WriteString(paragraph(term, seed, perPara))
			seed++
		}
	}
	faq := []ai.FAQ{
		{Question: cut("What is "+kw+"?", 300), Answer: cut(titleCase(kw)+" is explained in the sections above; start with the basics.", 2000)},
		{Question: cut("How do I choose "+kw+"?", 300), Answer: "Compare a few options against what you need and what you can spend."},
		{Question: cut("Where can I learn more about "+kw+"?", 300), Answer: "Follow the links in this article to related guides on this site."},
	}
	title := in.Title
	if !strings.Contains(strings.ToLower(title), strings.ToLower(kw)) {
		title = cut(title+": "+titleCase(kw), 200)
	}
	slug := igny8.Slugify(in.Title)
	if slug == "" {
		slug = "content-" + fmt.Sprintf("%x", hash(in.Title)%0xffffff)
	}
	if len(slug) > 200 {
		slug = strings.Trim(slug[:200], "-")
	}
	banned := in.Voice.BannedPhrases
	out := ai.ContentOutput{
		Title:           scrub(cut(title, 200), banned),
		MetaTitle:       scrub(cut(title, 60), banned),
		MetaDescription: scrub(cut(fmt.Sprintf("%s: a practical %s about %s, from the basics to choosing well.", in.Title, in.ContentType, kw), 160), banned),
		Slug:            slug,
		HTML:            scrub(b.String(), banned),
		Excerpt:         scrub(cut(fmt.Sprintf("What to know about %s: the basics, why it matters and how to choose.", kw), 500), banned),
		ImagePrompts: []string{
			cut(fmt.Sprintf("A clear, well-lit photograph illustrating %s, no text", kw), 500),
			cut(fmt.Sprintf("A simple diagram-style illustration of %s in everyday use, no text", kw), 500),
		},
	}
	for _, f := range faq {
		out.FAQ = append(out.FAQ, ai.FAQ{Question: scrub(f.Question, banned), Answer: scrub(f.Answer, banned)})
	}
	if len(strings.TrimSpace(out.Title)) < 3 {
		out.Title = "Untitled article"
	}
	if strings.TrimSpace(out.MetaTitle) == "" {
		out.MetaTitle = "Article"
	}
	if strings.TrimSpace(out.MetaDescription) == "" {
		out.MetaDescription = "Article"
	}
	return out
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func imagePrompts(in ai.ImagePromptsInput) ai.ImagePromptsOutput {
	subject := in.PrimaryKeyword
	if subject == "" {
		subject = in.Title
	}
	style := in.Style
	if style == "" {
		style = "photo"
	}
	out := ai.ImagePromptsOutput{
		Featured: ai.ImagePrompt{
			Prompt:  cut(fmt.Sprintf("%s of %s, wide composition, soft natural light, no text", titleCase(style), subject), 1000),
			Alt:     cut(titleCase(subject), 200),
			Caption: cut(in.Title, 300),
		},
		InArticle: []ai.ImagePrompt{},
	}
	n := in.Count
	if n > 6 {
		n = 6
	}
	for i := 0; i < n; i++ {
		topic := subject
		if i < len(in.Headings) && strings.TrimSpace(in.Headings[i]) != "" {
			topic = in.Headings[i]
		}
		out.InArticle = append(out.InArticle, ai.ImagePrompt{
			Prompt:  cut(fmt.Sprintf("%s illustrating %s, close-up detail, no text", titleCase(style), topic), 1000),
			Alt:     cut(titleCase(topic), 200),
			Caption: cut(topic, 300),
		})
	}
	return out
}

var sitePages = []struct{ slug, typ, title string }{
	{"home", "home", "Home"},
	{"about", "about", "About Us"},
	{"services", "services", "Services"},
	{"contact", "contact", "Contact"},
	{"blog", "blog", "Blog"},
	{"products", "products", "Products"},
	{"faq", "custom", "Frequently Asked Questions"},
}

func siteStructure(in ai.SiteStructureInput) ai.SiteStructureOutput {
	name := in.Business
	if name == "" {
		name = "Our Business"
	}
	n := in.MaxPages
	if n <= 0 {
		n = 1
	}
	brief := cut(in.Brief, 300)
	out := ai.SiteStructureOutput{}
	for i := 0; i < n && i < 50; i++ {
		p := struct{ slug, typ, title string }{fmt.Sprintf("page-%d", i+1), "custom", fmt.Sprintf("Page %d", i+1)}
		if i < len(sitePages) {
			p = sitePages[i]
		}
		blocks := []ai.Block{{Type: "hero", Fields: []ai.BlockField{
			{Name: "heading", Value: cut(p.title+" | "+name, 4000)},
			{Name: "subheading", Value: brief},
		}}}
		switch p.typ {
		case "home":
			var items []string
			for _, o := range in.Objectives {
				items = append(items, o)
			}
			if len(items) == 0 {
				items = []string{"Quality", "Service", "Value"}
			}
			blocks = append(blocks,
				ai.Block{Type: "features", Fields: []ai.BlockField{{Name: "heading", Value: "Why " + name}, {Name: "items", Value: cut(strings.Join(items, "\n"), 4000)}}},
				ai.Block{Type: "cta", Fields: []ai.BlockField{{Name: "heading", Value: "Get in touch"}, {Name: "button_label", Value: "Contact us"}, {Name: "button_link", Value: "/contact"}}})
		case "contact":
			blocks = append(blocks, ai.Block{Type: "contact", Fields: []ai.BlockField{{Name: "heading", Value: "Contact " + name}}})
		case "blog":
			blocks = append(blocks, ai.Block{Type: "post_list", Fields: []ai.BlockField{{Name: "heading", Value: "Latest articles"}}})
		case "custom":
			blocks = append(blocks, ai.Block{Type: "faq", Fields: []ai.BlockField{{Name: "heading", Value: "Questions"}}})
		default:
			blocks = append(blocks, ai.Block{Type: "text", Fields: []ai.BlockField{{Name: "text", Value: brief}}})
		}
		for bi := range blocks {
			for fi := range blocks[bi].Fields {
				blocks[bi].Fields[fi].Value = cut(blocks[bi].Fields[fi].Value, 4000)
			}
		}
		out.Pages = append(out.Pages, ai.PageOutput{
			Slug: p.slug, Type: p.typ, Title: cut(p.title, 200),
			Description: cut(fmt.Sprintf("%s page of %s.", p.title, name), 500),
			Blocks:      blocks,
		})
	}
	return out
}

func optimize(in ai.OptimizeInput) ai.OptimizeOutput {
	kw := in.PrimaryKeyword
	banned := in.Voice.BannedPhrases
	var changes []string
	title := in.Title
	if len(strings.TrimSpace(title)) < 3 {
		title = titleCase(kw)
	}
	if !strings.Contains(strings.ToLower(title), strings.ToLower(kw)) {
		title = cut(titleCase(kw)+": "+title, 200)
		changes = append(changes, "put the primary keyword in the title")
	}
	html := in.HTML
	first := strings.ToLower(html)
	if i := strings.Index(first, "</p>"); i < 0 || !strings.Contains(first[:i], strings.ToLower(kw)) {
		html = paragraph(kw, 0, 1) + html
		changes = append(changes, "added the primary keyword to the first paragraph")
	}
	meta := in.MetaTitle
	if meta == "" || len([]rune(meta)) > 60 || !strings.Contains(strings.ToLower(meta), strings.ToLower(kw)) {
		meta = cut(title, 60)
		changes = append(changes, "rewrote the meta title")
	}
	desc := in.MetaDescription
	if desc == "" || len([]rune(desc)) > 160 {
		desc = cut(fmt.Sprintf("%s: what to know about %s and how to choose well.", title, kw), 160)
		changes = append(changes, "rewrote the meta description")
	}
	if len(changes) == 0 {
		changes = []string{"no change needed"}
	}
	out := ai.OptimizeOutput{
		Title: scrub(cut(title, 200), banned), MetaTitle: scrub(meta, banned), MetaDescription: scrub(desc, banned),
		HTML: scrub(html, banned), Changes: changes,
	}
	if len(strings.TrimSpace(out.Title)) < 3 {
		out.Title = "Untitled article"
	}
	if strings.TrimSpace(out.MetaTitle) == "" {
		out.MetaTitle = "Article"
	}
	if strings.TrimSpace(out.MetaDescription) == "" {
		out.MetaDescription = "Article"
	}
	return out
}
