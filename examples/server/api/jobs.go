package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
)

// JobStatus is the state of a background job.
type JobStatus string

// Job states.
const (
	JobRunning   JobStatus = "running"
	JobSucceeded JobStatus = "succeeded"
	JobFailed    JobStatus = "failed"
	JobCanceled  JobStatus = "canceled"
)

// Job is long work started by a batch endpoint; it is read by polling
// GET /v1/jobs/{job} or as Server-Sent Events from /v1/jobs/{job}/events.
type Job struct {
	ID         string      `json:"id"`
	Kind       string      `json:"kind"`
	Scope      igny8.Scope `json:"scope"`
	Status     JobStatus   `json:"status"`
	Total      int         `json:"total"`
	Done       int         `json:"done"`
	Failed     int         `json:"failed"`
	Result     any         `json:"result,omitempty"`
	Error      *apiError   `json:"error,omitempty"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
	FinishedAt time.Time   `json:"finished_at,omitzero"`
}

func (j Job) finished() bool { return j.Status != JobRunning }

type jobEntry struct {
	job     Job
	changed chan struct{} // closed and replaced on every change
}

// jobs is the in-memory registry of the process's jobs. Jobs are per
// account: a job of another account is NotFound.
type jobs struct {
	clock     igny8.Clock
	ids       igny8.IDGenerator
	retention time.Duration

	mu     sync.Mutex
	byID   map[string]*jobEntry
	closed bool
}

func newJobs(clock igny8.Clock, ids igny8.IDGenerator, retention time.Duration) *jobs {
	return &jobs{clock: clock, ids: ids, retention: retention, byID: map[string]*jobEntry{}}
}

// progress is how a job reports.
type progress func(total, done, failed int)

// start runs fn in the background under the server's base context and
// returns the new job.
func (s *Server) startJob(scope igny8.Scope, kind string, fn func(ctx context.Context, report progress) (any, error)) (Job, error) {
	j := s.jobs
	now := j.clock.Now().UTC()
	e := &jobEntry{job: Job{ID: j.ids.NewID(), Kind: kind, Scope: scope, Status: JobRunning, CreatedAt: now, UpdatedAt: now}, changed: make(chan struct{})}
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return Job{}, igny8.Errorf(igny8.CodeUnavailable, "api.startJob", "the server is shutting down")
	}
	j.pruneLocked(now)
	j.byID[e.job.ID] = e
	// The answer is the job as started: fn may report before the caller
	// reads it.
	started := e.job
	s.wg.Add(1)
	j.mu.Unlock()
	go func() {
		defer s.wg.Done()
		res, err := fn(s.base, func(total, done, failed int) {
			j.update(e, func(job *Job) { job.Total, job.Done, job.Failed = total, done, failed })
		})
		j.update(e, func(job *Job) {
			job.FinishedAt = j.clock.Now().UTC()
			job.Result = res
			switch {
			case err == nil:
				job.Status = JobSucceeded
			case s.base.Err() != nil:
				job.Status = JobCanceled
				job.Error = toAPIError(err)
			default:
				job.Status = JobFailed
				job.Error = toAPIError(err)
			}
		})
		if err != nil {
			s.log.Warn("job failed", "job", started.ID, "kind", kind, "account", scope.AccountID, "err", err)
		}
	}()
	return started, nil
}

func (j *jobs) update(e *jobEntry, fn func(*Job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	fn(&e.job)
	e.job.UpdatedAt = j.clock.Now().UTC()
	close(e.changed)
	e.changed = make(chan struct{})
}

// get returns a job of the account and a channel closed at its next change.
func (j *jobs) get(account igny8.Scope, id string) (Job, <-chan struct{}, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e := j.byID[id]
	if e == nil || e.job.Scope.AccountID != account.AccountID {
		return Job{}, nil, igny8.NotFound("api.jobs.get", "job", id)
	}
	return e.job, e.changed, nil
}

func (j *jobs) pruneLocked(now time.Time) {
	for id, e := range j.byID {
		if e.job.finished() && now.Sub(e.job.FinishedAt) > j.retention {
			delete(j.byID, id)
		}
	}
}

func (j *jobs) close() {
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
}

func (s *Server) getJob(r *request) (any, error) {
	job, _, err := s.jobs.get(r.account, r.PathValue("job"))
	return job, err
}

// streamJob sends the job as Server-Sent Events: an "progress" event per
// change and a final "done" event, with a comment line as heartbeat.
func (s *Server) streamJob(w http.ResponseWriter, r *request) {
	job, changed, err := s.jobs.get(r.account, r.PathValue("job"))
	if err != nil {
		ae := toAPIError(err)
		s.writeEnvelope(w, r.Request, statusOf(ae.Code), nil, "", ae)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flush := func() {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	for {
		name := "progress"
		if job.finished() {
			name = "done"
		}
		b, _ := json.Marshal(job)
		if _, err := fmt.Fprintf(w, "event: %s\nid: %s\ndata: %s\n\n", name, job.UpdatedAt.Format(time.RFC3339Nano), b); err != nil {
			return
		}
		flush()
		if job.finished() {
			return
		}
		for waiting := true; waiting; {
			select {
			case <-r.Context().Done():
				return
			case <-heartbeat.C:
				if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
					return
				}
				flush()
			case <-changed:
				waiting = false
			}
		}
		if job, changed, err = s.jobs.get(r.account, job.ID); err != nil {
			return
		}
	}
}
