package api

import (
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/rewrite"
)

type optimizeInput struct {
	// Keyphrase defaults to the content's primary keyword.
	Keyphrase string   `json:"keyphrase"`
	Synonyms  []string `json:"synonyms"`
	Locale    string   `json:"locale"`
}

// optimize rewrites a content with the model and keeps the rewrite only
// when it scores better and loses no link, image, heading or number. The
// answer is the task either way: accepted (the content's new version) or
// rejected with the reason. A failed model call is the error (the failed
// task is recorded and listed).
func (s *Server) optimize(r *request) (any, error) {
	c, err := s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
	if err != nil {
		return nil, err
	}
	var in optimizeInput
	if r.ContentLength != 0 {
		if err := r.decode(&in); err != nil {
			return nil, err
		}
	}
	return s.optimizer.Optimize(r.ctx(), c.Scope, rewrite.OptimizeRequest{
		ContentID: c.ID, Keyphrase: in.Keyphrase, Synonyms: in.Synonyms, Locale: in.Locale, SiteHost: r.site.Domain,
	})
}

// listOptimizations lists a content's optimization tasks, newest first.
func (s *Server) listOptimizations(r *request) (any, error) {
	c, err := s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListOptimizationTasks(r.ctx(), c.Scope, c.ID)
	if l == nil {
		l = []rewrite.Task{}
	}
	return l, err
}

// getOptimization returns one optimization task of the content.
func (s *Server) getOptimization(r *request) (any, error) {
	c, err := s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
	if err != nil {
		return nil, err
	}
	id := r.PathValue("optimization")
	t, err := s.store.GetOptimizationTask(r.ctx(), c.Scope, id)
	if err != nil {
		return nil, err
	}
	if t.ContentID != c.ID {
		return nil, igny8.NotFound("api.getOptimization", "optimization", id)
	}
	return t, nil
}
