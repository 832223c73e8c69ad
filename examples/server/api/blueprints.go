package api

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

type blueprintInput struct {
	Name string `json:"name"`
	// BaseURL is where the site will be served; default the site's domain.
	BaseURL string              `json:"base_url"`
	Wizard  sitebuilding.Wizard `json:"wizard"`
}

// BlueprintBuild is the answer of creating a blueprint: the draft and the
// job that generates its structure, copy and images.
type BlueprintBuild struct {
	Blueprint sitebuilding.SiteBlueprint `json:"blueprint"`
	Job       Job                        `json:"job"`
}

// BlueprintBuilt is the result of a blueprint's generation job.
type BlueprintBuilt struct {
	Blueprint sitebuilding.SiteBlueprint `json:"blueprint"`
	Pages     []string                   `json:"pages"` // slugs, in menu order
	Images    int                        `json:"images"`
	Notes     []string                   `json:"notes,omitempty"`
}

// BlueprintDetail is a blueprint with its pages.
type BlueprintDetail struct {
	Blueprint sitebuilding.SiteBlueprint   `json:"blueprint"`
	Pages     []sitebuilding.PageBlueprint `json:"pages"`
}

// createBlueprint stores a draft blueprint from the wizard's brief (its
// errors are the request's) and starts the job that runs the builder's
// structure, copy and images steps. Deploying is a separate, admin step.
func (s *Server) createBlueprint(r *request) (any, error) {
	var in blueprintInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.BaseURL == "" && r.site.Domain != "" {
		in.BaseURL = siteConfig(r.site).BaseURL
	}
	if in.Name == "" {
		in.Name = in.Wizard.Business
	}
	scope := r.site.Scope()
	bp, err := s.builder.Create(r.ctx(), scope, sitebuilding.NewBlueprint{Name: in.Name, BaseURL: in.BaseURL, Wizard: in.Wizard})
	if err != nil {
		return nil, err
	}
	job, err := s.startJob(scope, "blueprint", func(ctx context.Context, report progress) (any, error) {
		return s.generateBlueprint(ctx, scope, bp.ID, report)
	})
	if err != nil {
		return nil, err
	}
	return BlueprintBuild{Blueprint: bp, Job: job}, nil
}

// generateBlueprint runs structure, copy and images. Each step's result
// stays in the store; a failed step fails the job and leaves the
// blueprint with the steps done so far.
func (s *Server) generateBlueprint(ctx context.Context, scope igny8.Scope, id string, report progress) (BlueprintBuilt, error) {
	var out BlueprintBuilt
	report(3, 0, 0)
	st, err := s.builder.GenerateStructure(ctx, scope, id)
	if err != nil {
		return out, err
	}
	out.Notes = st.Notes
	report(3, 1, 0)
	cp, err := s.builder.GenerateCopy(ctx, scope, id)
	out.Notes = append(out.Notes, cp.Notes...)
	if err != nil {
		return out, err
	}
	report(3, 2, 0)
	im, err := s.builder.GenerateImages(ctx, scope, id)
	out.Images = im.Generated
	if err != nil {
		return out, err
	}
	report(3, 3, im.Failed)
	bp, pages, err := s.builder.Get(ctx, scope, id)
	if err != nil {
		return out, err
	}
	out.Blueprint = bp
	out.Pages = make([]string, len(pages))
	for i, p := range pages {
		out.Pages[i] = p.Slug
	}
	return out, nil
}

func (s *Server) listBlueprints(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListBlueprints(r.ctx(), r.site.Scope(), p)
	return listOf(l, p, func(x sitebuilding.SiteBlueprint) string { return x.ID }), err
}

func (s *Server) getBlueprint(r *request) (any, error) {
	bp, pages, err := s.builder.Get(r.ctx(), r.site.Scope(), r.PathValue("blueprint"))
	if err != nil {
		return nil, err
	}
	if pages == nil {
		pages = []sitebuilding.PageBlueprint{}
	}
	return BlueprintDetail{Blueprint: bp, Pages: pages}, nil
}

func (s *Server) deleteBlueprint(r *request) (any, error) {
	id := r.PathValue("blueprint")
	return map[string]string{"deleted": id}, s.builder.Delete(r.ctx(), r.site.Scope(), id)
}

// setPageBlocks replaces the blocks of one page of a blueprint. The body
// is {"blocks": [...]}; a bad block is 400 with the field's path
// ("blocks[2].button.url").
func (s *Server) setPageBlocks(r *request) (any, error) {
	const op = "api.setPageBlocks"
	scope, id, slug := r.site.Scope(), r.PathValue("blueprint"), r.PathValue("page")
	if _, err := s.store.GetBlueprint(r.ctx(), scope, id); err != nil {
		return nil, err
	}
	var in struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if len(in.Blocks) == 0 || string(in.Blocks) == "null" {
		return nil, igny8.InvalidArgument(op, "blocks", "is required: a JSON array of blocks")
	}
	blocks, err := parseBlocks(op, in.Blocks)
	if err != nil {
		return nil, err
	}
	return s.builder.SetBlocks(r.ctx(), scope, id, slug, blocks)
}

// parseBlocks is sitebuilding.ParseBlocks with every error named by its
// path: the schema's checks name it already ("blocks[2].button.url"); a
// block that does not decode (unknown type, unknown field) is named by
// its index here ("blocks[1].type").
func parseBlocks(op string, raw json.RawMessage) ([]sitebuilding.Block, error) {
	blocks, err := sitebuilding.ParseBlocks(raw)
	var ke *igny8.Error
	if err == nil || !errors.As(err, &ke) || strings.HasPrefix(ke.Field, "blocks") {
		return blocks, err
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, err
	}
	for i, item := range items {
		var b sitebuilding.Block
		if berr := json.Unmarshal(item, &b); berr != nil {
			field := "blocks[" + strconv.Itoa(i) + "]"
			msg := berr.Error()
			if errors.As(berr, &ke) {
				if ke.Field != "" && ke.Field != "block" {
					field += "." + ke.Field
				}
				msg = ke.Message
			}
			return nil, igny8.InvalidArgument(op, field, "%s", msg)
		}
	}
	return nil, err
}

// publicDeployment hides the server's folder of a deployment.
func publicDeployment(d sitebuilding.DeploymentRecord) sitebuilding.DeploymentRecord {
	d.Path = ""
	return d
}

// deployBlueprint renders the blueprint as the site's live static site.
func (s *Server) deployBlueprint(r *request) (any, error) {
	rec, err := s.builder.Deploy(r.ctx(), r.site.Scope(), r.PathValue("blueprint"))
	if err != nil {
		return nil, err
	}
	return publicDeployment(rec), nil
}

func (s *Server) listBlueprintDeployments(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	scope, id := r.site.Scope(), r.PathValue("blueprint")
	if _, err := s.store.GetBlueprint(r.ctx(), scope, id); err != nil {
		return nil, err
	}
	l, err := s.builder.Deployments(r.ctx(), scope, id, p)
	for i := range l {
		l[i] = publicDeployment(l[i])
	}
	return listOf(l, p, func(x sitebuilding.DeploymentRecord) string { return x.ID }), err
}

// rollbackDeployment makes the version of an earlier deployment of the
// blueprint the site's live version again and records the rollback as a
// new deployment with a site_deployed event (sitebuilding.Builder.Rollback):
// the renderer keeps the last versions; a failed deployment, or an older
// version that is gone, answers conflict. The live site is the site's:
// posts published to the static destination after that version are rolled
// back with it.
func (s *Server) getBlueprintDeployment(r *request) (any, error) {
	rec, err := s.builder.Deployment(r.ctx(), r.site.Scope(), r.PathValue("blueprint"), r.PathValue("deployment"))
	if err != nil {
		return nil, err
	}
	return publicDeployment(rec), nil
}

func (s *Server) rollbackDeployment(r *request) (any, error) {
	rec, err := s.builder.Rollback(r.ctx(), r.site.Scope(), r.PathValue("blueprint"), r.PathValue("deployment"))
	if err != nil {
		return nil, err
	}
	return publicDeployment(rec), nil
}
