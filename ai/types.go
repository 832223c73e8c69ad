package ai

// ContentType is the kind of page a piece of content is.
type ContentType string

// Content types, one writing prompt each.
const (
	ContentPost     ContentType = "post"
	ContentPage     ContentType = "page"
	ContentProduct  ContentType = "product"
	ContentService  ContentType = "service"
	ContentTaxonomy ContentType = "taxonomy"
)

// ContentTypes returns every content type in a stable order.
func ContentTypes() []ContentType {
	return []ContentType{ContentPost, ContentPage, ContentProduct, ContentService, ContentTaxonomy}
}

// Valid reports whether t is one of the content types.
func (t ContentType) Valid() bool {
	for _, c := range ContentTypes() {
		if c == t {
			return true
		}
	}
	return false
}

// KeywordInput is a keyword handed to the clustering function.
type KeywordInput struct {
	Text       string `json:"text"`
	Volume     int    `json:"volume,omitempty"`
	Difficulty int    `json:"difficulty,omitempty"`
	Intent     string `json:"intent,omitempty"`
}

// ClusterKeywordsInput is the input of auto_cluster.
type ClusterKeywordsInput struct {
	// Keywords to group (at least two).
	Keywords []KeywordInput `json:"keywords"`
	// Sector is the topic the keywords belong to, for context.
	Sector string `json:"sector,omitempty"`
	// MaxClusters caps the clusters (0: no cap).
	MaxClusters int    `json:"max_clusters,omitempty"`
	Language    string `json:"language,omitempty"`
}

// ClusterOutput is one group of keywords that one piece of content can
// target.
type ClusterOutput struct {
	Name        string   `json:"name" jsonschema:"minLength=1,maxLength=120"`
	Description string   `json:"description" jsonschema:"maxLength=500"`
	Keywords    []string `json:"keywords" jsonschema:"minItems=1"`
}

// ClusterKeywordsOutput is the output of auto_cluster. Every keyword is an
// input keyword (as given), in at most one cluster.
type ClusterKeywordsOutput struct {
	Clusters []ClusterOutput `json:"clusters" jsonschema:"minItems=1"`
}

// OutlineSection is an H2 heading with its H3 subheadings.
type OutlineSection struct {
	Heading     string   `json:"heading" jsonschema:"minLength=1,maxLength=200"`
	Subheadings []string `json:"subheadings" jsonschema:"maxItems=12,maxLength=200"`
}

// IdeasInput is the input of generate_ideas.
type IdeasInput struct {
	Cluster            string   `json:"cluster"`
	ClusterDescription string   `json:"cluster_description,omitempty"`
	Keywords           []string `json:"keywords"`
	// ContentTypes limits the ideas' types; empty means any.
	ContentTypes []ContentType `json:"content_types,omitempty"`
	// Count is how many ideas to propose (1 to 20).
	Count    int    `json:"count"`
	Site     string `json:"site,omitempty"`
	Sector   string `json:"sector,omitempty"`
	Language string `json:"language,omitempty"`
}

// Idea is one proposed piece of content.
type Idea struct {
	Title             string           `json:"title" jsonschema:"minLength=3,maxLength=200"`
	Description       string           `json:"description" jsonschema:"maxLength=1000"`
	ContentType       ContentType      `json:"content_type" jsonschema:"enum=post|page|product|service|taxonomy"`
	PrimaryKeyword    string           `json:"primary_keyword" jsonschema:"minLength=1,maxLength=200"`
	SecondaryKeywords []string         `json:"secondary_keywords" jsonschema:"maxItems=20"`
	Outline           []OutlineSection `json:"outline" jsonschema:"minItems=1,maxItems=20"`
	EstimatedWords    int              `json:"estimated_words" jsonschema:"minimum=100,maximum=20000"`
}

// IdeasOutput is the output of generate_ideas.
type IdeasOutput struct {
	Ideas []Idea `json:"ideas" jsonschema:"minItems=1,maxItems=20"`
}

// ContentInput is the input of generate_content (one prompt per content
// type, chosen by ContentType).
type ContentInput struct {
	ContentType       ContentType      `json:"content_type"`
	Title             string           `json:"title"`
	Description       string           `json:"description,omitempty"`
	PrimaryKeyword    string           `json:"primary_keyword"`
	SecondaryKeywords []string         `json:"secondary_keywords,omitempty"`
	Outline           []OutlineSection `json:"outline,omitempty"`
	EstimatedWords    int              `json:"estimated_words,omitempty"`
	Site              string           `json:"site,omitempty"`
	Language          string           `json:"language,omitempty"`
	// Voice is the author profile to write in; its banned phrases are
	// refused in the output.
	Voice Voice `json:"voice"`
}

// FAQ is a question and its answer.
type FAQ struct {
	Question string `json:"question" jsonschema:"minLength=1,maxLength=300"`
	Answer   string `json:"answer" jsonschema:"minLength=1,maxLength=2000"`
}

// ContentOutput is the output of generate_content.
type ContentOutput struct {
	Title string `json:"title" jsonschema:"minLength=3,maxLength=200"`
	// MetaTitle is at most 60 characters, MetaDescription at most 160.
	MetaTitle       string `json:"meta_title" jsonschema:"minLength=1,maxLength=60"`
	MetaDescription string `json:"meta_description" jsonschema:"minLength=1,maxLength=160"`
	// Slug is normalised to a valid slug by validation.
	Slug string `json:"slug" jsonschema:"minLength=1,maxLength=200"`
	// HTML is the body: h2/h3 headings, paragraphs, lists; no h1, no
	// scripts (sanitise before publishing all the same).
	HTML    string `json:"html" jsonschema:"minLength=1"`
	Excerpt string `json:"excerpt" jsonschema:"maxLength=500"`
	FAQ     []FAQ  `json:"faq" jsonschema:"maxItems=10"`
	// ImagePrompts describe images for the article (featured first).
	ImagePrompts []string `json:"image_prompts" jsonschema:"maxItems=6,maxLength=500"`
}

// ImagePromptsInput is the input of generate_image_prompts.
type ImagePromptsInput struct {
	Title          string   `json:"title"`
	PrimaryKeyword string   `json:"primary_keyword,omitempty"`
	Summary        string   `json:"summary,omitempty"`
	Headings       []string `json:"headings,omitempty"`
	// Count is how many in-article images (0 to 6) besides the featured one.
	Count int `json:"count"`
	// Style is the visual style ("photo", "illustration").
	Style string `json:"style,omitempty"`
}

// ImagePrompt is one image to generate, with its alt text.
type ImagePrompt struct {
	Prompt  string `json:"prompt" jsonschema:"minLength=3,maxLength=1000"`
	Alt     string `json:"alt" jsonschema:"minLength=1,maxLength=200"`
	Caption string `json:"caption" jsonschema:"maxLength=300"`
}

// ImagePromptsOutput is the output of generate_image_prompts.
type ImagePromptsOutput struct {
	Featured  ImagePrompt   `json:"featured"`
	InArticle []ImagePrompt `json:"in_article" jsonschema:"maxItems=6"`
}

// SiteStructureInput is the input of generate_site_structure.
type SiteStructureInput struct {
	Brief      string   `json:"brief"`
	Business   string   `json:"business,omitempty"`
	SiteType   string   `json:"site_type,omitempty"`
	Objectives []string `json:"objectives,omitempty"`
	Style      string   `json:"style,omitempty"`
	// MaxPages caps the pages (1 to 50).
	MaxPages int `json:"max_pages"`
}

// BlockField is one field of a block (heading, text, button label...).
// Values are text; lists are one item per line.
type BlockField struct {
	Name  string `json:"name" jsonschema:"minLength=1,maxLength=60"`
	Value string `json:"value" jsonschema:"maxLength=4000"`
}

// BlockTypes are the block types a page structure may use.
func BlockTypes() []string {
	return []string{"hero", "text", "features", "cta", "faq", "testimonials", "pricing", "gallery", "contact", "post_list"}
}

// PageTypes are the page types a site structure may use.
func PageTypes() []string {
	return []string{"home", "about", "services", "products", "blog", "contact", "custom"}
}

// Block is one section of a page.
type Block struct {
	Type   string       `json:"type" jsonschema:"enum=hero|text|features|cta|faq|testimonials|pricing|gallery|contact|post_list"`
	Fields []BlockField `json:"fields" jsonschema:"maxItems=30"`
}

// FieldMap returns the block's fields as a map, ready to encode as one
// JSON object (a later field of the same name wins).
func (b Block) FieldMap() map[string]string {
	m := make(map[string]string, len(b.Fields))
	for _, f := range b.Fields {
		m[f.Name] = f.Value
	}
	return m
}

// PageOutput is one page of a generated site structure.
type PageOutput struct {
	Slug        string  `json:"slug" jsonschema:"minLength=1,maxLength=100"`
	Type        string  `json:"type" jsonschema:"enum=home|about|services|products|blog|contact|custom"`
	Title       string  `json:"title" jsonschema:"minLength=1,maxLength=200"`
	Description string  `json:"description" jsonschema:"maxLength=500"`
	Blocks      []Block `json:"blocks" jsonschema:"minItems=1,maxItems=30"`
}

// SiteStructureOutput is the output of generate_site_structure.
type SiteStructureOutput struct {
	Pages []PageOutput `json:"pages" jsonschema:"minItems=1,maxItems=50"`
}

// OptimizeInput is the input of optimize_content.
type OptimizeInput struct {
	Title             string   `json:"title"`
	MetaTitle         string   `json:"meta_title,omitempty"`
	MetaDescription   string   `json:"meta_description,omitempty"`
	HTML              string   `json:"html"`
	PrimaryKeyword    string   `json:"primary_keyword"`
	SecondaryKeywords []string `json:"secondary_keywords,omitempty"`
	// Issues are what the analyser found ("keyword missing from the first
	// paragraph").
	Issues []string `json:"issues,omitempty"`
	Voice  Voice    `json:"voice"`
}

// OptimizeOutput is the output of optimize_content.
type OptimizeOutput struct {
	Title           string   `json:"title" jsonschema:"minLength=3,maxLength=200"`
	MetaTitle       string   `json:"meta_title" jsonschema:"minLength=1,maxLength=60"`
	MetaDescription string   `json:"meta_description" jsonschema:"minLength=1,maxLength=160"`
	HTML            string   `json:"html" jsonschema:"minLength=1"`
	Changes         []string `json:"changes" jsonschema:"maxItems=30,maxLength=300"`
}
