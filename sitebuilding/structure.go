package sitebuilding

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// PendingImage is the Src of an image the images step has yet to generate;
// its Alt is the description the image is generated from. Pending images
// are left out of previews and deploys until they are generated.
const PendingImage = "pending-image"

// Pending reports whether the image is still to be generated.
func (im ImageRef) Pending() bool { return im.Src == PendingImage }

// converter turns the model's block outlines (name/value fields) into
// typed blocks, repairing what is safe to repair and noting it.
type converter struct {
	wizard  Wizard
	slugs   map[string]bool // the site's page slugs
	contact string          // path of the contact page, or ""
	clean   func(string) string
	notes   []string
}

func (c *converter) note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// lines splits a list field into items, dropping list markers ("- ",
// "* ", "• ", "1. ", "2) ") but not numbers that are content ("24/7").
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		for _, m := range []string{"- ", "* ", "• ", "· "} {
			l = strings.TrimPrefix(l, m)
		}
		i := 0
		for i < len(l) && i < 3 && l[i] >= '0' && l[i] <= '9' {
			i++
		}
		if i > 0 && i+1 < len(l) && (l[i] == '.' || l[i] == ')') && l[i+1] == ' ' {
			l = l[i+2:]
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// clampText shortens s to the schema's text limit at a rune boundary.
func clampText(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}

func field(m map[string]string, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(m[n]); v != "" {
			return clampText(v, MaxTextBytes)
		}
	}
	return ""
}

// textHTML makes HTML of the model's text: HTML is kept (the renderer
// sanitizes it), plain text becomes escaped paragraphs.
func textHTML(s string) string {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "<p") || strings.Contains(s, "<h2") || strings.Contains(s, "<ul") {
		return s
	}
	var b strings.Builder
	for _, para := range strings.Split(s, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + html.EscapeString(para) + "</p>")
		}
	}
	return b.String()
}

// sitePath makes a link usable: a page's path with a trailing slash, the
// home page as "/", an external link as it is; anything else goes to the
// contact page (or home).
func (c *converter) sitePath(where, u string) string {
	u = strings.TrimSpace(u)
	fallback := "/"
	if c.contact != "" {
		fallback = c.contact
	}
	if u == "" {
		return fallback
	}
	if !strings.HasPrefix(u, "/") && !strings.Contains(u, ":") && !strings.HasPrefix(u, "#") {
		u = "/" + u // "contact" → "/contact"
	}
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		p, frag, _ := strings.Cut(u, "#")
		p = strings.Trim(p, "/")
		if p == "" || p == HomeSlug {
			return "/"
		}
		if c.slugs[p] {
			out := "/" + p + "/"
			if frag != "" {
				out += "#" + frag
			}
			return out
		}
		c.note("%s: link %q points to no page; it now goes to %s", where, u, fallback)
		return fallback
	}
	if ValidURL(u) {
		return u
	}
	c.note("%s: link %q is not usable; it now goes to %s", where, u, fallback)
	return fallback
}

func (c *converter) button(where string, m map[string]string, needed bool) *Link {
	label := field(m, "button_label", "button", "cta_label")
	link := field(m, "button_link", "button_url", "link", "url")
	if label == "" && link == "" && !needed {
		return nil
	}
	if label == "" {
		label = "Contact us"
		if !needed {
			return nil
		}
		c.note("%s: the button had no label; it reads %q", where, label)
	}
	return &Link{Label: clampText(label, 100), URL: c.sitePath(where, link)}
}

// splitPair splits "title: text" style lines at the first separator.
func splitPair(line string, seps ...string) (string, string, bool) {
	for _, s := range seps {
		if a, b, ok := strings.Cut(line, s); ok && strings.TrimSpace(a) != "" && strings.TrimSpace(b) != "" {
			return strings.TrimSpace(a), strings.TrimSpace(b), true
		}
	}
	return line, "", false
}

// block converts one model block. ok is false when the block is dropped
// (the reason is noted).
func (c *converter) block(where string, p *PageBlueprint, b ai.Block) (Block, bool) {
	m := b.FieldMap()
	heading := field(m, "heading", "title")
	items := lines(m["items"])
	if len(items) > MaxItems {
		items = items[:MaxItems]
	}
	drop := func(why string) (Block, bool) {
		c.note("%s: dropped the %s block: %s", where, b.Type, why)
		return Block{}, false
	}
	fillHeading := func() string {
		if heading == "" {
			heading = p.Title
			c.note("%s: the %s block had no heading; it is the page title %q", where, b.Type, p.Title)
		}
		return heading
	}
	switch BlockType(b.Type) {
	case BlockHero:
		h := &Hero{Heading: fillHeading(), Subheading: field(m, "subheading", "text", "subtitle"), Button: c.button(where, m, false)}
		if desc := field(m, "image", "image_prompt", "image_description"); desc != "" {
			h.Image = &ImageRef{Src: PendingImage, Alt: clampText(desc, 300)}
		} else if p.Type == PageHome {
			h.Image = &ImageRef{Src: PendingImage, Alt: clampText(c.wizard.Business+": "+firstSentence(c.wizard.Brief), 300)}
		}
		return NewBlock(h), true
	case BlockText:
		body := strings.TrimSpace(m["text"] + "\n" + m["body"] + "\n" + m["html"] + "\n" + m["content"])
		if body == "" {
			return drop("it has no text")
		}
		h := textHTML(clampText(body, MaxHTMLBytes))
		if c.clean != nil {
			h = c.clean(h)
		}
		if strings.TrimSpace(h) == "" {
			return drop("nothing of its text is left after sanitizing")
		}
		return NewBlock(&Text{Heading: heading, HTML: h}), true
	case BlockFeatures:
		f := &Features{Heading: heading}
		for _, it := range items {
			t, x, ok := splitPair(it, ": ", " - ", " – ", " — ")
			if !ok {
				x = t
			}
			f.Items = append(f.Items, Feature{Title: clampText(t, 200), Text: clampText(x, MaxTextBytes)})
		}
		if len(f.Items) == 0 {
			return drop("it has no items")
		}
		return NewBlock(f), true
	case BlockCTA:
		btn := c.button(where, m, true)
		return NewBlock(&CTA{Heading: fillHeading(), Text: field(m, "text", "subheading"), Button: *btn}), true
	case BlockFAQ:
		f := &FAQ{Heading: heading}
		for _, it := range items {
			q, a, ok := splitPair(it, "? ", " | ", " :: ")
			if !ok {
				continue
			}
			if !strings.HasSuffix(q, "?") && strings.Contains(it, q+"?") {
				q += "?"
			}
			f.Items = append(f.Items, QA{Question: clampText(q, 300), Answer: clampText(a, MaxTextBytes)})
		}
		if len(f.Items) == 0 {
			return drop("it has no question with an answer")
		}
		return NewBlock(f), true
	case BlockTestimonials:
		x := &Testimonials{Heading: heading}
		for _, it := range items {
			i := max(strings.LastIndex(it, " — "), strings.LastIndex(it, " - "))
			if i <= 0 {
				continue
			}
			quote := strings.Trim(strings.TrimSpace(it[:i]), `"“”`)
			author := strings.TrimSpace(strings.TrimLeft(it[i:], " —-"))
			if quote == "" || author == "" {
				continue
			}
			x.Items = append(x.Items, Testimonial{Quote: clampText(quote, MaxTextBytes), Author: clampText(author, 200)})
		}
		if len(x.Items) == 0 {
			return drop("it has no quote with an author")
		}
		return NewBlock(x), true
	case BlockPricing:
		x := &Pricing{Heading: heading}
		for _, it := range items {
			parts := strings.Split(it, ":")
			if len(parts) < 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" {
				continue
			}
			pl := PricePlan{Name: clampText(parts[0], 200), Price: clampText(parts[1], 100)}
			if len(parts) > 2 {
				for _, f := range strings.Split(strings.Join(parts[2:], ":"), ",") {
					if f = strings.TrimSpace(f); f != "" && len(pl.Features) < MaxItems {
						pl.Features = append(pl.Features, clampText(f, 300))
					}
				}
			}
			x.Plans = append(x.Plans, pl)
		}
		if len(x.Plans) == 0 {
			return drop("it has no plan with a price")
		}
		return NewBlock(x), true
	case BlockGallery:
		g := &Gallery{Heading: heading}
		for _, it := range items {
			if len(g.Images) == 6 {
				break
			}
			g.Images = append(g.Images, ImageRef{Src: PendingImage, Alt: clampText(it, 300)})
		}
		if len(g.Images) == 0 {
			return drop("it describes no image")
		}
		return NewBlock(g), true
	case BlockImage:
		desc := field(m, "image", "description", "alt", "text")
		if desc == "" {
			return drop("it describes no image")
		}
		return NewBlock(&Image{Image: ImageRef{Src: PendingImage, Alt: clampText(desc, 300)}, Caption: field(m, "caption")}), true
	case BlockContact:
		x := &Contact{Heading: heading, Text: field(m, "text"), Email: field(m, "email"), Phone: field(m, "phone"), Address: field(m, "address")}
		if x.Email != "" && (!strings.Contains(x.Email, "@") || strings.ContainsAny(x.Email, " <>\"'\x00")) {
			c.note("%s: %q is not an email address; it was left out", where, x.Email)
			x.Email = ""
		}
		w := c.wizard.Contact
		if x.Email == "" && x.Phone == "" && x.Address == "" {
			if w.Email == "" && w.Phone == "" && w.Address == "" {
				return drop("it has no email, phone or address, and the wizard gave none")
			}
			x.Email, x.Phone, x.Address = w.Email, w.Phone, w.Address
		}
		return NewBlock(x), true
	case BlockPostList:
		x := &PostList{Heading: heading, Category: field(m, "category"), Limit: 6}
		if n, err := strconv.Atoi(field(m, "limit", "count")); err == nil && n >= 1 && n <= 50 {
			x.Limit = n
		}
		return NewBlock(x), true
	}
	return drop("the schema has no such block type")
}

func firstSentence(s string) string {
	if i := strings.IndexAny(s, ".!?\n"); i > 0 {
		return s[:i]
	}
	return s
}

var pageTypeOf = map[string]PageType{
	"home": PageHome, "about": PageAbout, "services": PageServices, "service_detail": PageServiceDetail,
	"products": PageProducts, "product": PageProduct, "contact": PageContact, "blog": PageBlogIndex,
	"blog_index": PageBlogIndex, "legal": PageLegal, "article": PageArticle, "custom": PageCustom,
}

var legalSlugs = map[string]bool{"privacy": true, "privacy-policy": true, "terms": true, "terms-of-service": true, "imprint": true, "legal": true, "cookies": true}

// uniqueSlug returns s, or s-2, s-3, … whichever is free.
func uniqueSlug(s string, taken map[string]bool) string {
	if !taken[s] && !reservedSlugs[s] {
		return s
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s-%d", s, n)
		if !taken[c] && !reservedSlugs[c] {
			return c
		}
	}
}

// convertStructure turns the model's site structure into valid pages. It
// repairs what is safe (slugs, duplicate slugs, missing headings, links,
// contact details, blocks without content dropped) and returns an
// *ai.OutputError, so that the model is asked again, when the structure is
// unusable: most of its blocks unusable or a page left with none.
func convertStructure(w Wizard, out ai.SiteStructureOutput, clean func(string) string) ([]PageBlueprint, []string, error) {
	c := &converter{wizard: w, slugs: map[string]bool{}, clean: clean}
	if len(out.Pages) == 0 {
		return nil, nil, &ai.OutputError{Path: "$.pages", Reason: "the site has no pages"}
	}
	pages := make([]PageBlueprint, 0, len(out.Pages))
	homeAt := -1
	for i, op := range out.Pages {
		where := fmt.Sprintf("pages[%d]", i)
		p := PageBlueprint{Title: clampText(op.Title, 200), Description: clampText(op.Description, 500), Type: pageTypeOf[op.Type]}
		if p.Type == "" {
			p.Type = PageCustom
		}
		slug := op.Slug
		if !igny8.ValidSlug(slug) {
			slug = igny8.Slugify(slug)
		}
		if slug == "" {
			slug = igny8.Slugify(p.Title)
		}
		if slug == "" {
			slug = fmt.Sprintf("page-%d", i+1)
		}
		if len(slug) > 100 {
			slug = strings.Trim(slug[:100], "-")
		}
		if slug == HomeSlug || p.Type == PageHome {
			if homeAt >= 0 {
				c.note("%s: a second home page; it is a custom page", where)
				p.Type = PageCustom
				if slug == HomeSlug {
					slug = "home-2"
				}
			} else {
				homeAt, p.Type, slug = i, PageHome, HomeSlug
			}
		}
		if legalSlugs[slug] && p.Type == PageCustom {
			p.Type = PageLegal
		}
		if u := uniqueSlug(slug, c.slugs); u != slug {
			c.note("%s: slug %q is taken; the page is %q", where, slug, u)
			slug = u
		}
		if p.Title == "" {
			p.Title = strings.ReplaceAll(slug, "-", " ")
		}
		p.Slug = slug
		c.slugs[slug] = true
		if p.Type == PageContact && c.contact == "" {
			c.contact = "/" + slug + "/"
		}
		pages = append(pages, p)
	}
	if homeAt < 0 && len(pages) > 0 {
		c.note("pages[0]: no home page; %q is the home page", pages[0].Slug)
		delete(c.slugs, pages[0].Slug)
		pages[0].Slug, pages[0].Type = HomeSlug, PageHome
		c.slugs[HomeSlug] = true
	}
	kept, dropped := 0, 0
	for i := range pages {
		p := &pages[i]
		where := fmt.Sprintf("pages[%d] %q", i, p.Slug)
		for j, b := range out.Pages[i].Blocks {
			if len(p.Blocks) == MaxBlocks {
				c.note("%s: more than %d blocks; the rest were dropped", where, MaxBlocks)
				break
			}
			bl, ok := c.block(fmt.Sprintf("%s.blocks[%d]", where, j), p, b)
			if !ok {
				dropped++
				continue
			}
			kept++
			p.Blocks = append(p.Blocks, bl)
		}
		if len(p.Blocks) == 0 {
			return nil, c.notes, &ai.OutputError{Path: fmt.Sprintf("$.pages[%d].blocks", i), Reason: "no usable block: " + strings.Join(c.notes, "; ")}
		}
		p.Status = PageOutline
	}
	if homeAt > 0 {
		// The home page leads the menu.
		home := pages[homeAt]
		copy(pages[1:homeAt+1], pages[:homeAt])
		pages[0] = home
	}
	if dropped > kept {
		return nil, c.notes, &ai.OutputError{Path: "$.pages", Reason: fmt.Sprintf("%d of %d blocks are unusable: %s", dropped, dropped+kept, strings.Join(c.notes, "; "))}
	}
	if err := ValidatePages(pages); err != nil {
		return nil, c.notes, &ai.OutputError{Path: "$.pages", Reason: err.Error()}
	}
	return pages, c.notes, nil
}
