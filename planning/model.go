package planning

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Intent is the search intent of a keyword or cluster.
type Intent string

// The four search intents. IntentUnknown is a keyword nobody classified.
const (
	IntentUnknown       Intent = ""
	IntentInformational Intent = "informational"
	IntentNavigational  Intent = "navigational"
	IntentCommercial    Intent = "commercial"
	IntentTransactional Intent = "transactional"
)

// Valid reports whether i is one of the four intents or unknown.
func (i Intent) Valid() bool {
	switch i {
	case IntentUnknown, IntentInformational, IntentNavigational, IntentCommercial, IntentTransactional:
		return true
	}
	return false
}

// ParseIntent reads an intent as the keyword tools write it: the full word
// in any case, or its initial ("I", "N", "C", "T", as Semrush exports).
// A list ("Commercial, Informational") yields its first intent. An empty
// string is IntentUnknown; anything else is reported as not ok.
func ParseIntent(s string) (Intent, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ",;|/"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	switch strings.ToLower(s) {
	case "":
		return IntentUnknown, true
	case "informational", "info", "i":
		return IntentInformational, true
	case "navigational", "nav", "n":
		return IntentNavigational, true
	case "commercial", "c":
		return IntentCommercial, true
	case "transactional", "t":
		return IntentTransactional, true
	}
	return IntentUnknown, false
}

// Status is the life-cycle state of a keyword, cluster or idea.
type Status string

// Statuses. Archived rows are kept (and still count against limits, since
// they still exist) but are left out of lists unless asked for.
const (
	StatusActive   Status = "active"
	StatusArchived Status = "archived"
)

// DifficultyUnknown is the Difficulty of a keyword whose difficulty no tool
// reported; it is left out of a cluster's mean difficulty.
const DifficultyUnknown = -1

// Keyword is a search term a site wants to rank for.
type Keyword struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	SiteID    string `json:"site_id"`
	SectorID  string `json:"sector_id"`
	// Text is the keyword as given; Normalized is Normalize(Text), unique
	// per site and sector.
	Text       string `json:"text"`
	Normalized string `json:"normalized"`
	// Volume is the average monthly searches, 0 when unknown.
	Volume int64 `json:"volume"`
	// Difficulty is 0–100, or DifficultyUnknown.
	Difficulty int `json:"difficulty"`
	// CPC is the cost per click in the export's currency, 0 when unknown.
	CPC    float64 `json:"cpc"`
	Intent Intent  `json:"intent,omitempty"`
	Status Status  `json:"status"`
	// ClusterID is the cluster the keyword belongs to, "" when unclustered.
	ClusterID string `json:"cluster_id,omitempty"`
	// Source says where the keyword came from ("semrush", "manual", ...).
	Source    string    `json:"source,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Scope returns the keyword's tenant scope.
func (k Keyword) Scope() igny8.Scope {
	return igny8.Scope{AccountID: k.AccountID, SiteID: k.SiteID, SectorID: k.SectorID}
}

// KeywordInput is a keyword to add or import.
type KeywordInput struct {
	Text       string  `json:"text"`
	Volume     int64   `json:"volume"`
	Difficulty int     `json:"difficulty"`
	CPC        float64 `json:"cpc"`
	Intent     Intent  `json:"intent,omitempty"`
	Source     string  `json:"source,omitempty"`
}

// Validate checks the input's fields and returns its normalized text.
func (in KeywordInput) Validate(op string) (string, error) {
	if strings.TrimSpace(in.Text) == "" {
		return "", igny8.InvalidArgument(op, "text", "is required")
	}
	if len(in.Text) > MaxKeywordBytes {
		return "", igny8.InvalidArgument(op, "text", "is %d bytes, at most %d allowed", len(in.Text), MaxKeywordBytes)
	}
	n := Normalize(in.Text)
	if n == "" {
		return "", igny8.InvalidArgument(op, "text", "%q has no letters or digits", in.Text)
	}
	if in.Volume < 0 {
		return "", igny8.InvalidArgument(op, "volume", "must not be negative, got %d", in.Volume)
	}
	if in.Difficulty != DifficultyUnknown && (in.Difficulty < 0 || in.Difficulty > 100) {
		return "", igny8.InvalidArgument(op, "difficulty", "must be 0–100 (or -1 for unknown), got %d", in.Difficulty)
	}
	if in.CPC < 0 || math.IsNaN(in.CPC) || math.IsInf(in.CPC, 0) {
		return "", igny8.InvalidArgument(op, "cpc", "must be a non-negative number, got %v", in.CPC)
	}
	if !in.Intent.Valid() {
		return "", igny8.InvalidArgument(op, "intent", "%q is not informational, navigational, commercial or transactional", string(in.Intent))
	}
	if len(in.Source) > 100 {
		return "", igny8.InvalidArgument(op, "source", "is %d bytes, at most 100 allowed", len(in.Source))
	}
	return n, nil
}

// Cluster is a group of keywords one page (its pillar) can rank for.
type Cluster struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id"`
	SiteID      string `json:"site_id"`
	SectorID    string `json:"sector_id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Intent      Intent `json:"intent,omitempty"`
	// PillarKeywordID is the member with the highest volume.
	PillarKeywordID string `json:"pillar_keyword_id"`
	PillarKeyword   string `json:"pillar_keyword"`
	KeywordCount    int    `json:"keyword_count"`
	TotalVolume     int64  `json:"total_volume"`
	// MeanDifficulty averages the members whose difficulty is known; -1
	// when none is.
	MeanDifficulty float64   `json:"mean_difficulty"`
	Status         Status    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Scope returns the cluster's tenant scope.
func (c Cluster) Scope() igny8.Scope {
	return igny8.Scope{AccountID: c.AccountID, SiteID: c.SiteID, SectorID: c.SectorID}
}

// Summarize fills the pillar, count, total volume and mean difficulty of c
// from its members. The pillar is the member with the highest volume, ties
// broken by the shorter, then lexically smaller normalized text, so that the
// choice does not depend on order.
func (c *Cluster) Summarize(members []Keyword) {
	c.KeywordCount = len(members)
	c.TotalVolume = 0
	c.MeanDifficulty = DifficultyUnknown
	c.PillarKeywordID, c.PillarKeyword = "", ""
	var sumD, nD int
	best := -1
	for i, k := range members {
		c.TotalVolume += k.Volume
		if k.Difficulty >= 0 {
			sumD += k.Difficulty
			nD++
		}
		if best < 0 || pillarBefore(k, members[best]) {
			best = i
		}
	}
	if nD > 0 {
		c.MeanDifficulty = math.Round(float64(sumD)/float64(nD)*100) / 100
	}
	if best >= 0 {
		c.PillarKeywordID, c.PillarKeyword = members[best].ID, members[best].Text
	}
}

func pillarBefore(a, b Keyword) bool {
	if a.Volume != b.Volume {
		return a.Volume > b.Volume
	}
	if len(a.Normalized) != len(b.Normalized) {
		return len(a.Normalized) < len(b.Normalized)
	}
	if a.Normalized != b.Normalized {
		return a.Normalized < b.Normalized
	}
	return a.ID < b.ID
}

// ContentType is the kind of page an idea becomes.
type ContentType string

// Content types, as the content package knows them.
const (
	ContentPost     ContentType = "post"
	ContentPage     ContentType = "page"
	ContentProduct  ContentType = "product"
	ContentService  ContentType = "service"
	ContentTaxonomy ContentType = "taxonomy"
)

// Valid reports whether t is a known content type.
func (t ContentType) Valid() bool {
	switch t {
	case ContentPost, ContentPage, ContentProduct, ContentService, ContentTaxonomy:
		return true
	}
	return false
}

// Heading is one entry of an idea's outline.
type Heading struct {
	// Level is 2 (H2) or 3 (H3).
	Level int    `json:"level"`
	Text  string `json:"text"`
}

// ContentIdea is a proposed page for a cluster.
type ContentIdea struct {
	ID                string      `json:"id"`
	AccountID         string      `json:"account_id"`
	SiteID            string      `json:"site_id"`
	SectorID          string      `json:"sector_id"`
	ClusterID         string      `json:"cluster_id"`
	Title             string      `json:"title"`
	Description       string      `json:"description,omitempty"`
	Outline           []Heading   `json:"outline,omitempty"`
	ContentType       ContentType `json:"content_type"`
	PrimaryKeyword    string      `json:"primary_keyword"`
	SecondaryKeywords []string    `json:"secondary_keywords,omitempty"`
	EstimatedWords    int         `json:"estimated_words"`
	Status            Status      `json:"status"`
	// Cannibalizes names what already targets the primary keyword ("idea:ID"
	// or "content:ID"); empty when nothing does.
	Cannibalizes []string  `json:"cannibalizes,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Scope returns the idea's tenant scope.
func (i ContentIdea) Scope() igny8.Scope {
	return igny8.Scope{AccountID: i.AccountID, SiteID: i.SiteID, SectorID: i.SectorID}
}

// Validate checks an idea's fields.
func (i ContentIdea) Validate(op string) error {
	if strings.TrimSpace(i.Title) == "" {
		return igny8.InvalidArgument(op, "title", "is required")
	}
	if len(i.Title) > 500 {
		return igny8.InvalidArgument(op, "title", "is %d bytes, at most 500 allowed", len(i.Title))
	}
	if !i.ContentType.Valid() {
		return igny8.InvalidArgument(op, "content_type", "%q is not post, page, product, service or taxonomy", string(i.ContentType))
	}
	if Normalize(i.PrimaryKeyword) == "" {
		return igny8.InvalidArgument(op, "primary_keyword", "%q has no letters or digits", i.PrimaryKeyword)
	}
	if i.EstimatedWords < 0 || i.EstimatedWords > 100000 {
		return igny8.InvalidArgument(op, "estimated_words", "must be 0–100000, got %d", i.EstimatedWords)
	}
	for n, h := range i.Outline {
		if h.Level != 2 && h.Level != 3 {
			return igny8.InvalidArgument(op, "outline", "heading %d has level %d, want 2 or 3", n, h.Level)
		}
		if strings.TrimSpace(h.Text) == "" {
			return igny8.InvalidArgument(op, "outline", "heading %d has no text", n)
		}
	}
	return nil
}

func asError(err error, target **igny8.Error) bool { return errors.As(err, target) }

func asLimit(err error, target **igny8.LimitError) bool { return errors.As(err, target) }
