package sitesfs

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/internal/sanitize"
)

// Renderer renders sites to static files under a root folder and deploys
// them as versions: <root>/<site>/v<N>/ holds a complete site, and
// <root>/<site>/current is a symbolic link to the live version, switched
// atomically. A deploy that fails leaves current untouched. Files whose
// inputs did not change since the previous version are hard-linked from it,
// so a deploy after one post changed writes only the pages it affects.
//
// A Renderer is safe for concurrent use; deploys of one site are
// serialized (across processes too, with a lock file).
type Renderer struct {
	root    string
	storage igny8.Storage
	theme   *Theme
	clock   igny8.Clock
	log     *slog.Logger
	keep    int
	workers int
	trust   bool

	mu    sync.Mutex
	sites map[string]*siteState
}

type siteState struct {
	mu  sync.Mutex
	src *source
}

// Options configures a Renderer; the zero value is usable.
type Options struct {
	// Theme replaces the embedded theme (see LoadTheme).
	Theme *Theme
	// Keep is how many versions a site keeps (default 5, at least 2).
	Keep int
	// Workers renders this many files at once (default GOMAXPROCS).
	Workers int
	// TrustHTML skips sanitizing post and block HTML at render time; set it
	// only when every HTML the renderer gets was sanitized upstream (the
	// content package does).
	TrustHTML bool
	Clock     igny8.Clock
	Logger    *slog.Logger
}

// New returns a Renderer writing under root, copying images from storage
// (which may be nil when no post has images).
func New(root string, storage igny8.Storage, opts Options) (*Renderer, error) {
	const op = "sitesfs.New"
	if root == "" {
		return nil, igny8.InvalidArgument(op, "root", "is required")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, igny8.InvalidArgument(op, "root", "%v", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "create %s: %w", abs, err)
	}
	r := &Renderer{root: abs, storage: storage, theme: opts.Theme, clock: opts.Clock, log: opts.Logger, keep: opts.Keep, workers: opts.Workers, trust: opts.TrustHTML, sites: map[string]*siteState{}}
	if r.theme == nil {
		if r.theme, err = DefaultTheme(); err != nil {
			return nil, igny8.Wrap(igny8.CodeInternal, op, err)
		}
	}
	if r.clock == nil {
		r.clock = igny8.SystemClock{}
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.keep < 2 {
		r.keep = 5
	}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	return r, nil
}

// SiteDir returns the folder of a site: its versions, current link and
// source.
func (r *Renderer) SiteDir(scope igny8.Scope) (string, error) {
	if err := scope.RequireSite("sitesfs.SiteDir"); err != nil {
		return "", err
	}
	if !validID(scope.SiteID) || !validID(scope.AccountID) {
		return "", igny8.InvalidArgument("sitesfs.SiteDir", "scope.site_id", "%q is not a safe site id", scope.SiteID)
	}
	return filepath.Join(r.root, scope.AccountID, scope.SiteID), nil
}

// CurrentDir returns the folder of the live version (through the current
// link), to serve.
func (r *Renderer) CurrentDir(scope igny8.Scope) (string, error) {
	dir, err := r.SiteDir(scope)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "current"), nil
}

func (r *Renderer) state(dir string) *siteState {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.sites[dir]
	if st == nil {
		st = &siteState{src: newSource(filepath.Join(dir, "source"))}
		r.sites[dir] = st
	}
	return st
}

// Configure stores the site's settings; the next deploy uses them.
func (r *Renderer) Configure(ctx context.Context, scope igny8.Scope, site Site) error {
	const op = "sitesfs.Configure"
	if err := site.normalize(op); err != nil {
		return err
	}
	dir, err := r.SiteDir(scope)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "source"), 0o755); err != nil {
		return igny8.Errorf(igny8.CodeInternal, op, "%w", err)
	}
	raw, _ := json.MarshalIndent(site, "", "  ")
	return wrapFS(op, writeAtomic(filepath.Join(dir, "source", "site.json"), raw))
}

func (r *Renderer) siteConfig(dir string) (Site, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "source", "site.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Site{}, igny8.InvalidArgument("sitesfs.Deploy", "site", "the site is not configured: call Configure first")
	}
	if err != nil {
		return Site{}, err
	}
	var s Site
	if err := json.Unmarshal(raw, &s); err != nil {
		return Site{}, err
	}
	return s, s.normalize("sitesfs.Deploy")
}

// SetPages replaces the site's block pages (the site builder's pages).
func (r *Renderer) SetPages(ctx context.Context, scope igny8.Scope, pages []Page) error {
	const op = "sitesfs.SetPages"
	dir, err := r.SiteDir(scope)
	if err != nil {
		return err
	}
	for i, p := range pages {
		if p.Slug != HomeSlug && (!igny8.ValidSlug(p.Slug) || reserved[p.Slug]) {
			return igny8.InvalidArgument(op, fmt.Sprintf("pages[%d].slug", i), "%q is not a usable page slug", p.Slug)
		}
		if strings.TrimSpace(p.Title) == "" {
			return igny8.InvalidArgument(op, fmt.Sprintf("pages[%d].title", i), "is required")
		}
	}
	raw, err := json.Marshal(pages)
	if err != nil {
		return igny8.InvalidArgument(op, "pages", "%v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "source"), 0o755); err != nil {
		return wrapFS(op, err)
	}
	return wrapFS(op, writeAtomic(filepath.Join(dir, "source", "pages.json"), raw))
}

func (r *Renderer) sitePages(dir string) ([]Page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "source", "pages.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pages []Page
	return pages, json.Unmarshal(raw, &pages)
}

// PutPosts adds or replaces live posts in the site's source; the next
// Deploy renders them. Publish does the same for one item and deploys.
func (r *Renderer) PutPosts(ctx context.Context, scope igny8.Scope, posts []Post) error {
	const op = "sitesfs.PutPosts"
	dir, err := r.SiteDir(scope)
	if err != nil {
		return err
	}
	status := make([]string, len(posts))
	keys := make([]string, len(posts))
	for i := range posts {
		if err := checkPost(op, fmt.Sprintf("posts[%d]", i), posts[i]); err != nil {
			return err
		}
		status[i] = "publish"
	}
	st := r.state(dir)
	return wrapFS(op, st.src.put(posts, status, keys))
}

func checkPost(op, path string, p Post) error {
	if !validID(p.ID) {
		return igny8.InvalidArgument(op, path+".id", "%q is not a safe id", p.ID)
	}
	if !igny8.ValidSlug(p.Slug) || reserved[p.Slug] {
		return igny8.InvalidArgument(op, path+".slug", "%q is not a usable slug", p.Slug)
	}
	if strings.TrimSpace(p.Title) == "" {
		return igny8.InvalidArgument(op, path+".title", "is required")
	}
	return nil
}

// manifest records what a version holds, to link unchanged files into the
// next one.
type manifest struct {
	Version int                  `json:"version"`
	Files   map[string]fileEntry `json:"files"`
}

type fileEntry struct {
	Sig  string `json:"sig"`
	Size int64  `json:"size"`
}

// Deploy renders the site from its source into a new version and makes it
// live. Only files whose inputs changed are rendered; the rest are linked
// from the live version.
func (r *Renderer) Deploy(ctx context.Context, scope igny8.Scope) (Deployment, error) {
	const op = "sitesfs.Deploy"
	dir, err := r.SiteDir(scope)
	if err != nil {
		return Deployment{}, err
	}
	st := r.state(dir)
	st.mu.Lock()
	defer st.mu.Unlock()
	unlock, err := lockFile(filepath.Join(dir, ".lock"))
	if err != nil {
		return Deployment{}, igny8.Errorf(igny8.CodeInternal, op, "lock: %w", err)
	}
	defer unlock()
	return r.deployLocked(ctx, op, scope, dir, st)
}

func (r *Renderer) deployLocked(ctx context.Context, op string, scope igny8.Scope, dir string, st *siteState) (Deployment, error) {
	start := time.Now()
	site, err := r.siteConfig(dir)
	if err != nil {
		return Deployment{}, err
	}
	pages, err := r.sitePages(dir)
	if err != nil {
		return Deployment{}, wrapFS(op, err)
	}
	metas, err := st.src.snapshot()
	if err != nil {
		return Deployment{}, wrapFS(op, err)
	}
	now := r.clock.Now().UTC()
	sanitizer := sanitize.Default()
	clean := sanitizer.Sanitize
	if r.trust {
		clean = func(s string) string { return s }
	}
	b, err := newBuild(site, r.theme, metas, pages, now, st.src.body, clean)
	if err != nil {
		return Deployment{}, err
	}
	objects := map[string]igny8.ObjectInfo{}
	if r.storage != nil {
		list, err := r.storage.List(ctx, scope.Site(), "")
		if err != nil && igny8.CodeOf(err) != igny8.CodeNotFound {
			return Deployment{}, err
		}
		for _, o := range list {
			objects[o.Key] = o
		}
	}
	files := b.plan(func(key string) (string, bool) {
		o, ok := objects[key]
		if !ok {
			return "", false
		}
		return sig("media", key, strconv.FormatInt(o.Size, 10), o.ModTime.UTC().Format(time.RFC3339Nano)), true
	})

	recs, err := r.records(dir)
	if err != nil {
		return Deployment{}, wrapFS(op, err)
	}
	prevVersion, prev := r.liveManifest(dir)
	version := 1
	for _, d := range recs {
		version = max(version, d.Version+1)
	}
	dep := Deployment{SiteID: scope.SiteID, Version: version, URL: site.BaseURL + "/", DeployedAt: now}
	final := filepath.Join(dir, "v"+strconv.Itoa(version))
	tmp := filepath.Join(dir, ".v"+strconv.Itoa(version)+".tmp-"+randHex())
	fail := func(err error) (Deployment, error) {
		_ = os.RemoveAll(tmp)
		dep.Status, dep.Error, dep.Duration = DeployFailed, err.Error(), time.Since(start)
		_ = r.appendRecord(dir, dep)
		return dep, err
	}
	out, written, err := r.writeFiles(ctx, scope, tmp, filepath.Join(dir, "v"+strconv.Itoa(prevVersion)), prev, files)
	if err != nil {
		return fail(err)
	}
	out.Version = version
	raw, _ := json.Marshal(out)
	if err := writeAtomic(filepath.Join(dir, ".manifest-v"+strconv.Itoa(version)+".json"), raw); err != nil {
		return fail(wrapFS(op, err))
	}
	if err := os.Rename(tmp, final); err != nil {
		return fail(wrapFS(op, err))
	}
	if err := switchCurrent(dir, "v"+strconv.Itoa(version)); err != nil {
		_ = os.RemoveAll(final)
		return fail(wrapFS(op, err))
	}
	for _, f := range files {
		if f.page {
			dep.Pages++
		}
	}
	dep.Files, dep.Written = len(out.Files), written
	for _, e := range out.Files {
		dep.Bytes += e.Size
	}
	dep.Status, dep.Path, dep.Duration = DeployLive, final, time.Since(start)
	for i := range recs {
		if recs[i].Status == DeployLive {
			recs[i].Status = DeployReplaced
		}
	}
	recs = append(recs, dep)
	recs = r.prune(dir, recs)
	if err := r.saveRecords(dir, recs); err != nil {
		return dep, wrapFS(op, err)
	}
	r.log.Info("sitesfs: deployed", "site", scope.SiteID, "version", version, "files", dep.Files, "written", written, "duration", dep.Duration)
	return dep, nil
}

// writeFiles renders or links every planned file into tmp.
func (r *Renderer) writeFiles(ctx context.Context, scope igny8.Scope, tmp, prevDir string, prev map[string]fileEntry, files []file) (manifest, int, error) {
	dirs := map[string]bool{}
	for _, f := range files {
		if !safeRel(f.path) {
			return manifest{}, 0, igny8.InvalidArgument("sitesfs.Deploy", "path", "%q would leave the version folder", f.path)
		}
		dirs[path.Dir(f.path)] = true
	}
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	sort.Strings(list)
	for _, d := range list {
		if err := os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(d)), 0o755); err != nil {
			return manifest{}, 0, wrapFS("sitesfs.Deploy", err)
		}
	}
	out := manifest{Files: make(map[string]fileEntry, len(files))}
	var mu sync.Mutex
	written := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.workers)
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	for _, f := range files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			dst := filepath.Join(tmp, filepath.FromSlash(f.path))
			if e, ok := prev[f.path]; ok && e.Sig == f.sig {
				if err := os.Link(filepath.Join(prevDir, filepath.FromSlash(f.path)), dst); err == nil {
					mu.Lock()
					out.Files[f.path] = e
					mu.Unlock()
					return nil
				}
			}
			var size int64
			if f.media != "" {
				n, err := r.copyMedia(gctx, scope, f.media, dst)
				if err != nil {
					return err
				}
				size = n
			} else {
				buf := pool.Get().(*bytes.Buffer)
				buf.Reset()
				defer pool.Put(buf)
				if err := f.render(buf); err != nil {
					return fmt.Errorf("sitesfs: render %s: %w", f.path, err)
				}
				if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
					return wrapFS("sitesfs.Deploy", err)
				}
				size = int64(buf.Len())
			}
			mu.Lock()
			out.Files[f.path] = fileEntry{Sig: f.sig, Size: size}
			written++
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return manifest{}, 0, err
	}
	return out, written, nil
}

func (r *Renderer) copyMedia(ctx context.Context, scope igny8.Scope, key, dst string) (int64, error) {
	rc, _, err := r.storage.Get(ctx, scope.Site(), key)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	f, err := os.Create(dst)
	if err != nil {
		return 0, wrapFS("sitesfs.Deploy", err)
	}
	n, err := io.Copy(f, rc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, wrapFS("sitesfs.Deploy", err)
}

// safeRel reports whether p is a clean relative slash path inside the
// version folder.
func safeRel(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return path.Clean(p) == p
}

// liveManifest returns the live version's number and manifest (0, nil
// when there is none).
func (r *Renderer) liveManifest(dir string) (int, map[string]fileEntry) {
	target, err := os.Readlink(filepath.Join(dir, "current"))
	if err != nil {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(target), "v"))
	if err != nil {
		return 0, nil
	}
	raw, err := os.ReadFile(filepath.Join(dir, ".manifest-v"+strconv.Itoa(v)+".json"))
	if err != nil {
		return v, nil
	}
	var m manifest
	if json.Unmarshal(raw, &m) != nil {
		return v, nil
	}
	return v, m.Files
}

// switchCurrent points dir/current at target atomically: a new link is
// made beside it and renamed over it.
func switchCurrent(dir, target string) error {
	tmp := filepath.Join(dir, ".current-"+randHex())
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, "current")); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Rollback makes an earlier, kept version live again.
func (r *Renderer) Rollback(ctx context.Context, scope igny8.Scope, version int) (Deployment, error) {
	const op = "sitesfs.Rollback"
	dir, err := r.SiteDir(scope)
	if err != nil {
		return Deployment{}, err
	}
	st := r.state(dir)
	st.mu.Lock()
	defer st.mu.Unlock()
	unlock, err := lockFile(filepath.Join(dir, ".lock"))
	if err != nil {
		return Deployment{}, igny8.Errorf(igny8.CodeInternal, op, "lock: %w", err)
	}
	defer unlock()
	recs, err := r.records(dir)
	if err != nil {
		return Deployment{}, wrapFS(op, err)
	}
	idx := -1
	for i, d := range recs {
		if d.Version == version && d.Status != DeployFailed && d.Status != DeployPruned {
			idx = i
		}
	}
	if idx < 0 {
		return Deployment{}, igny8.NotFound(op, "kept version", strconv.Itoa(version))
	}
	if err := switchCurrent(dir, "v"+strconv.Itoa(version)); err != nil {
		return Deployment{}, wrapFS(op, err)
	}
	for i := range recs {
		if recs[i].Status == DeployLive {
			recs[i].Status = DeployRolledBack
		}
	}
	recs[idx].Status = DeployLive
	if err := r.saveRecords(dir, recs); err != nil {
		return Deployment{}, wrapFS(op, err)
	}
	return recs[idx], nil
}

// Deployments lists a site's deployments, oldest first.
func (r *Renderer) Deployments(ctx context.Context, scope igny8.Scope) ([]Deployment, error) {
	dir, err := r.SiteDir(scope)
	if err != nil {
		return nil, err
	}
	recs, err := r.records(dir)
	return recs, wrapFS("sitesfs.Deployments", err)
}

func (r *Renderer) records(dir string) ([]Deployment, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "deployments.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var recs []Deployment
	return recs, json.Unmarshal(raw, &recs)
}

func (r *Renderer) saveRecords(dir string, recs []Deployment) error {
	raw, err := json.MarshalIndent(recs, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, "deployments.json"), raw)
}

func (r *Renderer) appendRecord(dir string, d Deployment) error {
	recs, err := r.records(dir)
	if err != nil {
		return err
	}
	return r.saveRecords(dir, append(recs, d))
}

// prune removes the folders of versions beyond the keep count, never the
// live one.
func (r *Renderer) prune(dir string, recs []Deployment) []Deployment {
	kept := 0
	for i := len(recs) - 1; i >= 0; i-- {
		d := &recs[i]
		if d.Status == DeployFailed || d.Status == DeployPruned {
			continue
		}
		kept++
		if kept <= r.keep || d.Status == DeployLive {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, "v"+strconv.Itoa(d.Version))); err != nil {
			r.log.Warn("sitesfs: pruning a version", "version", d.Version, "err", err)
			continue
		}
		_ = os.Remove(filepath.Join(dir, ".manifest-v"+strconv.Itoa(d.Version)+".json"))
		d.Status = DeployPruned
	}
	return recs
}

// lockFile takes an exclusive flock on path, so that two processes never
// deploy one site at once.
func lockFile(path string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func randHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func wrapFS(op string, err error) error {
	if err == nil {
		return nil
	}
	if igny8.CodeOf(err) != igny8.CodeInternal {
		return err
	}
	return igny8.Errorf(igny8.CodeInternal, op, "%w", err)
}
