package sitebuilding

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// BlockType names a kind of block.
type BlockType string

// The block types of the schema.
const (
	BlockHero         BlockType = "hero"
	BlockText         BlockType = "text"
	BlockFeatures     BlockType = "features"
	BlockCTA          BlockType = "cta"
	BlockFAQ          BlockType = "faq"
	BlockTestimonials BlockType = "testimonials"
	BlockPricing      BlockType = "pricing"
	BlockGallery      BlockType = "gallery"
	BlockContact      BlockType = "contact"
	BlockPostList     BlockType = "post_list"
	BlockImage        BlockType = "image"
	BlockColumns      BlockType = "columns"
)

// BlockTypes returns every block type in a stable order.
func BlockTypes() []BlockType {
	return []BlockType{BlockHero, BlockText, BlockFeatures, BlockCTA, BlockFAQ, BlockTestimonials,
		BlockPricing, BlockGallery, BlockContact, BlockPostList, BlockImage, BlockColumns}
}

// BlockData is the typed content of a block. Validate names the first bad
// field with its path ("blocks[2].items[0].title").
type BlockData interface {
	BlockType() BlockType
	Validate(path string) error
}

// Block is one block of a page: its type and typed data. Its JSON form is
// {"type": "...", "data": {...}}; a block of an unknown type, or with a
// field its type does not have, is refused when it is decoded.
type Block struct {
	Type BlockType `json:"type"`
	Data BlockData `json:"data"`
}

// NewBlock wraps data in a Block.
func NewBlock(data BlockData) Block { return Block{Type: data.BlockType(), Data: data} }

// Validate checks the block's type and data.
func (b Block) Validate(path string) error {
	if b.Data == nil {
		return igny8.InvalidArgument("sitebuilding.Block", path+".data", "is required")
	}
	if b.Type != b.Data.BlockType() {
		return igny8.InvalidArgument("sitebuilding.Block", path+".type", "is %q but the data is a %q block", b.Type, b.Data.BlockType())
	}
	return b.Data.Validate(path)
}

// MarshalJSON writes {"type":..., "data":...}.
func (b Block) MarshalJSON() ([]byte, error) {
	if b.Data == nil {
		return nil, fmt.Errorf("sitebuilding: block %q has no data", b.Type)
	}
	type wire struct {
		Type BlockType `json:"type"`
		Data BlockData `json:"data"`
	}
	return json.Marshal(wire{Type: b.Data.BlockType(), Data: b.Data})
}

// UnmarshalJSON reads a block, refusing unknown types and unknown fields.
func (b *Block) UnmarshalJSON(raw []byte) error {
	var w struct {
		Type BlockType       `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return igny8.InvalidArgument("sitebuilding.Block", "block", "%v", err)
	}
	data := newBlockData(w.Type)
	if data == nil {
		return igny8.InvalidArgument("sitebuilding.Block", "type", "unknown block type %q", string(w.Type))
	}
	if len(w.Data) == 0 || string(w.Data) == "null" {
		return igny8.InvalidArgument("sitebuilding.Block", "data", "is required for a %s block", w.Type)
	}
	dd := json.NewDecoder(bytes.NewReader(w.Data))
	dd.DisallowUnknownFields()
	if err := dd.Decode(data); err != nil {
		return igny8.InvalidArgument("sitebuilding.Block", "data", "%s block: %v", w.Type, err)
	}
	b.Type, b.Data = w.Type, data
	return nil
}

func newBlockData(t BlockType) BlockData {
	switch t {
	case BlockHero:
		return &Hero{}
	case BlockText:
		return &Text{}
	case BlockFeatures:
		return &Features{}
	case BlockCTA:
		return &CTA{}
	case BlockFAQ:
		return &FAQ{}
	case BlockTestimonials:
		return &Testimonials{}
	case BlockPricing:
		return &Pricing{}
	case BlockGallery:
		return &Gallery{}
	case BlockContact:
		return &Contact{}
	case BlockPostList:
		return &PostList{}
	case BlockImage:
		return &Image{}
	case BlockColumns:
		return &Columns{}
	}
	return nil
}

// ParseBlocks decodes and validates a JSON array of blocks.
func ParseBlocks(raw []byte) ([]Block, error) {
	var blocks []Block
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&blocks); err != nil {
		if igny8.CodeOf(err) == igny8.CodeInvalidArgument {
			return nil, err
		}
		return nil, igny8.InvalidArgument("sitebuilding.ParseBlocks", "blocks", "%v", err)
	}
	if err := ValidateBlocks("blocks", blocks); err != nil {
		return nil, err
	}
	return blocks, nil
}

// ValidateBlocks validates each block, naming it by its index under path.
func ValidateBlocks(path string, blocks []Block) error {
	if len(blocks) > MaxBlocks {
		return igny8.InvalidArgument("sitebuilding.ValidateBlocks", path, "at most %d blocks, got %d", MaxBlocks, len(blocks))
	}
	for i, b := range blocks {
		if err := b.Validate(fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// Limits of the schema.
const (
	MaxBlocks    = 100
	MaxItems     = 24
	MaxTextBytes = 2000
	MaxHTMLBytes = 200_000
)

// Link is a button or link: a label and where it goes (a site path such as
// "/contact/", an http(s) URL, a mailto: or tel: link).
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// ImageRef is an image: a storage key of the site or an http(s) URL, with
// its alt text.
type ImageRef struct {
	Src string `json:"src"`
	Alt string `json:"alt"`
}

func bad(path, field, format string, args ...any) error {
	return igny8.InvalidArgument("sitebuilding.Validate", path+"."+field, format, args...)
}

func required(path, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return bad(path, field, "is required")
	}
	return short(path, field, v)
}

func short(path, field, v string) error {
	if len(v) > MaxTextBytes {
		return bad(path, field, "must be at most %d bytes, got %d", MaxTextBytes, len(v))
	}
	return nil
}

// ValidURL reports whether u is a link the renderer may write into a page:
// a site path, a fragment, an http(s) URL, mailto: or tel:.
func ValidURL(u string) bool {
	if u == "" || len(u) > 2000 || strings.ContainsAny(u, "\x00\r\n\t\\") {
		return false
	}
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") || strings.HasPrefix(u, "#") {
		return true
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto", "tel":
		return p.Opaque != ""
	}
	return false
}

func (l *Link) validate(path string, needed bool) error {
	if l == nil {
		if needed {
			return igny8.InvalidArgument("sitebuilding.Validate", path, "is required")
		}
		return nil
	}
	if err := required(path, "label", l.Label); err != nil {
		return err
	}
	if !ValidURL(l.URL) {
		return bad(path, "url", "%q is not a site path, http(s), mailto: or tel: link", l.URL)
	}
	return nil
}

func (im *ImageRef) validate(path string, needed bool) error {
	if im == nil {
		if needed {
			return igny8.InvalidArgument("sitebuilding.Validate", path, "is required")
		}
		return nil
	}
	if strings.TrimSpace(im.Src) == "" {
		return bad(path, "src", "is required")
	}
	if strings.Contains(im.Src, "://") && !ValidURL(im.Src) || strings.ContainsAny(im.Src, "\x00\\") || strings.Contains(im.Src, "..") {
		return bad(path, "src", "%q is neither a storage key nor an http(s) URL", im.Src)
	}
	if strings.TrimSpace(im.Alt) == "" {
		return bad(path, "alt", "is required (describe the image)")
	}
	return short(path, "alt", im.Alt)
}

// Hero is the top of a page: a heading, a line under it, a button and an
// optional image.
type Hero struct {
	Heading    string    `json:"heading"`
	Subheading string    `json:"subheading,omitempty"`
	Button     *Link     `json:"button,omitempty"`
	Image      *ImageRef `json:"image,omitempty"`
}

func (*Hero) BlockType() BlockType { return BlockHero }
func (h *Hero) Validate(path string) error {
	if err := required(path, "heading", h.Heading); err != nil {
		return err
	}
	if err := short(path, "subheading", h.Subheading); err != nil {
		return err
	}
	if err := h.Button.validate(path+".button", false); err != nil {
		return err
	}
	return h.Image.validate(path+".image", false)
}

// Text is rich text: sanitized HTML (the renderer sanitizes it again).
type Text struct {
	Heading string `json:"heading,omitempty"`
	HTML    string `json:"html"`
}

func (*Text) BlockType() BlockType { return BlockText }
func (x *Text) Validate(path string) error {
	if err := short(path, "heading", x.Heading); err != nil {
		return err
	}
	if strings.TrimSpace(x.HTML) == "" {
		return bad(path, "html", "is required")
	}
	if len(x.HTML) > MaxHTMLBytes {
		return bad(path, "html", "must be at most %d bytes, got %d", MaxHTMLBytes, len(x.HTML))
	}
	return nil
}

// Feature is one item of a Features block.
type Feature struct {
	Title string `json:"title"`
	Text  string `json:"text"`
	Icon  string `json:"icon,omitempty"`
}

// Features is a grid of features.
type Features struct {
	Heading string    `json:"heading,omitempty"`
	Items   []Feature `json:"items"`
}

func (*Features) BlockType() BlockType { return BlockFeatures }
func (f *Features) Validate(path string) error {
	if err := short(path, "heading", f.Heading); err != nil {
		return err
	}
	if err := count(path, "items", len(f.Items), 1); err != nil {
		return err
	}
	for i, it := range f.Items {
		p := fmt.Sprintf("%s.items[%d]", path, i)
		if err := required(p, "title", it.Title); err != nil {
			return err
		}
		if err := required(p, "text", it.Text); err != nil {
			return err
		}
		if err := short(p, "icon", it.Icon); err != nil {
			return err
		}
	}
	return nil
}

func count(path, field string, n, min int) error {
	if n < min {
		return bad(path, field, "needs at least %d, got %d", min, n)
	}
	if n > MaxItems {
		return bad(path, field, "takes at most %d, got %d", MaxItems, n)
	}
	return nil
}

// CTA is a call to action.
type CTA struct {
	Heading string `json:"heading"`
	Text    string `json:"text,omitempty"`
	Button  Link   `json:"button"`
}

func (*CTA) BlockType() BlockType { return BlockCTA }
func (c *CTA) Validate(path string) error {
	if err := required(path, "heading", c.Heading); err != nil {
		return err
	}
	if err := short(path, "text", c.Text); err != nil {
		return err
	}
	return c.Button.validate(path+".button", true)
}

// QA is a question and its answer.
type QA struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// FAQ is a list of questions and answers; the renderer adds FAQPage
// structured data for it.
type FAQ struct {
	Heading string `json:"heading,omitempty"`
	Items   []QA   `json:"items"`
}

func (*FAQ) BlockType() BlockType { return BlockFAQ }
func (f *FAQ) Validate(path string) error {
	if err := short(path, "heading", f.Heading); err != nil {
		return err
	}
	if err := count(path, "items", len(f.Items), 1); err != nil {
		return err
	}
	for i, q := range f.Items {
		p := fmt.Sprintf("%s.items[%d]", path, i)
		if err := required(p, "question", q.Question); err != nil {
			return err
		}
		if err := required(p, "answer", q.Answer); err != nil {
			return err
		}
	}
	return nil
}

// Testimonial is a customer's quote.
type Testimonial struct {
	Quote  string `json:"quote"`
	Author string `json:"author"`
	Role   string `json:"role,omitempty"`
}

// Testimonials is a set of quotes.
type Testimonials struct {
	Heading string        `json:"heading,omitempty"`
	Items   []Testimonial `json:"items"`
}

func (*Testimonials) BlockType() BlockType { return BlockTestimonials }
func (x *Testimonials) Validate(path string) error {
	if err := short(path, "heading", x.Heading); err != nil {
		return err
	}
	if err := count(path, "items", len(x.Items), 1); err != nil {
		return err
	}
	for i, q := range x.Items {
		p := fmt.Sprintf("%s.items[%d]", path, i)
		if err := required(p, "quote", q.Quote); err != nil {
			return err
		}
		if err := required(p, "author", q.Author); err != nil {
			return err
		}
		if err := short(p, "role", q.Role); err != nil {
			return err
		}
	}
	return nil
}

// PricePlan is one column of a pricing table.
type PricePlan struct {
	Name      string   `json:"name"`
	Price     string   `json:"price"`
	Period    string   `json:"period,omitempty"`
	Features  []string `json:"features,omitempty"`
	Button    *Link    `json:"button,omitempty"`
	Highlight bool     `json:"highlight,omitempty"`
}

// Pricing is a pricing table.
type Pricing struct {
	Heading string      `json:"heading,omitempty"`
	Plans   []PricePlan `json:"plans"`
}

func (*Pricing) BlockType() BlockType { return BlockPricing }
func (x *Pricing) Validate(path string) error {
	if err := short(path, "heading", x.Heading); err != nil {
		return err
	}
	if err := count(path, "plans", len(x.Plans), 1); err != nil {
		return err
	}
	for i, pl := range x.Plans {
		p := fmt.Sprintf("%s.plans[%d]", path, i)
		if err := required(p, "name", pl.Name); err != nil {
			return err
		}
		if err := required(p, "price", pl.Price); err != nil {
			return err
		}
		if len(pl.Features) > MaxItems {
			return bad(p, "features", "takes at most %d, got %d", MaxItems, len(pl.Features))
		}
		for j, f := range pl.Features {
			if err := required(p, fmt.Sprintf("features[%d]", j), f); err != nil {
				return err
			}
		}
		if err := pl.Button.validate(p+".button", false); err != nil {
			return err
		}
	}
	return nil
}

// Gallery is a set of images.
type Gallery struct {
	Heading string     `json:"heading,omitempty"`
	Images  []ImageRef `json:"images"`
}

func (*Gallery) BlockType() BlockType { return BlockGallery }
func (g *Gallery) Validate(path string) error {
	if err := short(path, "heading", g.Heading); err != nil {
		return err
	}
	if err := count(path, "images", len(g.Images), 1); err != nil {
		return err
	}
	for i := range g.Images {
		if err := g.Images[i].validate(fmt.Sprintf("%s.images[%d]", path, i), true); err != nil {
			return err
		}
	}
	return nil
}

// Contact shows how to reach the business.
type Contact struct {
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

func (*Contact) BlockType() BlockType { return BlockContact }
func (c *Contact) Validate(path string) error {
	for _, f := range [][2]string{{"heading", c.Heading}, {"text", c.Text}, {"phone", c.Phone}, {"address", c.Address}} {
		if err := short(path, f[0], f[1]); err != nil {
			return err
		}
	}
	if c.Email == "" && c.Phone == "" && c.Address == "" {
		return bad(path, "email", "a contact block needs an email, a phone or an address")
	}
	if c.Email != "" && (!strings.Contains(c.Email, "@") || strings.ContainsAny(c.Email, " <>\"'\x00")) {
		return bad(path, "email", "%q is not an email address", c.Email)
	}
	return nil
}

// PostList lists the site's latest posts, optionally of one category.
type PostList struct {
	Heading  string `json:"heading,omitempty"`
	Category string `json:"category,omitempty"`
	Limit    int    `json:"limit"`
}

func (*PostList) BlockType() BlockType { return BlockPostList }
func (x *PostList) Validate(path string) error {
	if err := short(path, "heading", x.Heading); err != nil {
		return err
	}
	if x.Limit < 1 || x.Limit > 50 {
		return bad(path, "limit", "must be between 1 and 50, got %d", x.Limit)
	}
	return nil
}

// Image is a single image with an optional caption.
type Image struct {
	Image   ImageRef `json:"image"`
	Caption string   `json:"caption,omitempty"`
}

func (*Image) BlockType() BlockType { return BlockImage }
func (x *Image) Validate(path string) error {
	if err := x.Image.validate(path+".image", true); err != nil {
		return err
	}
	return short(path, "caption", x.Caption)
}

// Columns lays blocks out side by side (2 to 4 columns, no nested columns).
type Columns struct {
	Columns [][]Block `json:"columns"`
}

func (*Columns) BlockType() BlockType { return BlockColumns }
func (x *Columns) Validate(path string) error {
	if len(x.Columns) < 2 || len(x.Columns) > 4 {
		return bad(path, "columns", "needs 2 to 4 columns, got %d", len(x.Columns))
	}
	for i, col := range x.Columns {
		for j, b := range col {
			p := fmt.Sprintf("%s.columns[%d][%d]", path, i, j)
			if b.Type == BlockColumns {
				return bad(p, "type", "columns cannot nest")
			}
			if err := b.Validate(p); err != nil {
				return err
			}
		}
	}
	return nil
}
