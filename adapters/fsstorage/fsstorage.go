package fsstorage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/igny8/sdk/igny8"
)

// ownerFile, in each site directory, holds the id of the account the site
// belongs to. Its leading dot keeps it out of the key space.
const ownerFile = ".igny8-account"

// tempPrefix starts the name of a file being written.
const tempPrefix = ".tmp-"

// Options configures a Storage; the zero value is usable.
type Options struct {
	// MaxObjectBytes caps the size of one object (InvalidArgument on the
	// field "size" past it); 0 means only the quota caps it.
	MaxObjectBytes int64
	// NoSync skips fsync of files and directories: faster, but a crash may
	// lose recent writes. For tests and scratch data.
	NoSync bool
	// Logger receives warnings about quota releases that failed after the
	// file change was done; nil means slog.Default().
	Logger *slog.Logger
	// Clock tells RemoveStaleTemp the time; nil means the system clock.
	Clock igny8.Clock
}

// Storage is an igny8.Storage on a local directory: object key k of site s
// is the file <root>/<s>/<k>.
type Storage struct {
	root  *os.Root
	quota Quota
	opts  Options
	log   *slog.Logger
	locks keyLocks
}

var _ igny8.Storage = (*Storage)(nil)

// New opens (creating it if needed) the directory dir as a Storage whose
// per-site quota is held by quota (LimitsQuota{Limits: limits} for the
// plan's storage quota, NoQuota{} for none). Close releases the directory.
func New(dir string, quota Quota, opts Options) (*Storage, error) {
	const op = "fsstorage.New"
	if dir == "" {
		return nil, igny8.InvalidArgument(op, "dir", "is required")
	}
	if quota == nil {
		return nil, igny8.InvalidArgument(op, "quota", "is required (NoQuota{} for none)")
	}
	if opts.MaxObjectBytes < 0 {
		return nil, igny8.InvalidArgument(op, "max_object_bytes", "must not be negative, got %d", opts.MaxObjectBytes)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "open %s: %w", dir, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	return &Storage{root: root, quota: quota, opts: opts, log: log, locks: keyLocks{m: map[string]*keyLock{}}}, nil
}

// Close releases the root directory. Calls after Close fail.
func (s *Storage) Close() error { return s.root.Close() }

// Dir returns the root directory's name, as given to New.
func (s *Storage) Dir() string { return s.root.Name() }

// errNoSite says a site has no directory, or one of another account.
var errNoSite = errors.New("no site")

// openSite opens the site's directory as a Root of its own, so that no path
// (and no symbolic link planted inside it) can leave it, and checks that it
// belongs to scope's account. With create, a missing directory is created
// and claimed for the account.
func (s *Storage) openSite(op string, scope igny8.Scope, create bool) (*os.Root, error) {
	site, err := s.root.OpenRoot(scope.SiteID)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := s.root.Mkdir(scope.SiteID, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, s.fsError(op, "scope.site_id", scope.SiteID, err)
		}
		site, err = s.root.OpenRoot(scope.SiteID)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoSite
	}
	if err != nil {
		return nil, s.fsError(op, "scope.site_id", scope.SiteID, err)
	}
	owner, err := site.ReadFile(ownerFile)
	if errors.Is(err, fs.ErrNotExist) && create {
		owner, err = s.claim(site, scope.AccountID)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		site.Close()
		return nil, errNoSite
	case err != nil:
		site.Close()
		return nil, s.fsError(op, "scope.site_id", scope.SiteID, err)
	case string(owner) != scope.AccountID:
		site.Close()
		return nil, errNoSite
	}
	return site, nil
}

// claim writes the owner file atomically: a complete temporary file is
// hard-linked to its name, which fails if another writer got there first;
// then the owner on disk is read back.
func (s *Storage) claim(site *os.Root, accountID string) ([]byte, error) {
	tmp := tempPrefix + randomHex()
	if err := s.writeSmall(site, tmp, []byte(accountID)); err != nil {
		return nil, err
	}
	defer site.Remove(tmp)
	if err := site.Link(tmp, ownerFile); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return site.ReadFile(ownerFile)
}

func (s *Storage) writeSmall(site *os.Root, name string, data []byte) error {
	f, err := site.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && !s.opts.NoSync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		site.Remove(name)
	}
	return err
}

func (s *Storage) check(op string, scope igny8.Scope, key string) error {
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	if err := validateSiteID(op, scope.SiteID); err != nil {
		return err
	}
	return validatePath(op, "key", key, false)
}

// Put stores r under key, atomically: the bytes go to a temporary file in
// the key's directory, which is synced and renamed over the key only when
// complete and within quota. Readers see the old object or the new one,
// never a part.
//
// The quota is held without knowing the size up front: the upload is
// written with a cap of the bytes the site may still use (plus the size of
// the object it replaces), then exactly its growth is reserved, then it is
// renamed into place. A shrinking overwrite releases the difference. Past
// the quota, Put returns a *igny8.LimitError and nothing changes.
//
// The content type is not stored: every object's type is derived from its
// key's extension (see ContentTypeOf), on Put as on Get and List. A given
// contentType must be a valid media type.
func (s *Storage) Put(ctx context.Context, scope igny8.Scope, key string, r io.Reader, contentType string) (igny8.ObjectInfo, error) {
	const op = "fsstorage.Put"
	if err := s.check(op, scope, key); err != nil {
		return igny8.ObjectInfo{}, err
	}
	if contentType != "" {
		if _, _, err := mime.ParseMediaType(contentType); err != nil {
			return igny8.ObjectInfo{}, igny8.InvalidArgument(op, "content_type", "%q is not a media type", contentType)
		}
	}
	if r == nil {
		return igny8.ObjectInfo{}, igny8.InvalidArgument(op, "r", "is required")
	}
	if err := ctx.Err(); err != nil {
		return igny8.ObjectInfo{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	site, err := s.openSite(op, scope, true)
	if errors.Is(err, errNoSite) {
		return igny8.ObjectInfo{}, igny8.NotFound(op, "site", scope.SiteID)
	}
	if err != nil {
		return igny8.ObjectInfo{}, err
	}
	defer site.Close()

	// Writers of one key take turns, so that each one's "size it replaces"
	// is the size its rename really replaces and the quota stays exact.
	unlock := s.locks.lock(scope.SiteID + "/" + key)
	defer unlock()

	dir := path.Dir(key)
	if dir != "." {
		if err := site.MkdirAll(dir, 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTDIR) {
				return igny8.ObjectInfo{}, igny8.Errorf(igny8.CodeConflict, op, "key %q: a parent directory is an object", key)
			}
			return igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
		}
	}
	var oldSize int64
	switch fi, err := site.Lstat(key); {
	case err == nil && fi.IsDir():
		return igny8.ObjectInfo{}, igny8.Errorf(igny8.CodeConflict, op, "key %q is a directory of other objects", key)
	case err == nil && fi.Mode().IsRegular():
		oldSize = fi.Size()
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
	}

	used, quotaMax, err := s.quota.Usage(ctx, scope)
	if err != nil {
		return igny8.ObjectInfo{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	limit := int64(-1) // bytes this object may have; -1: no cap
	if quotaMax >= 0 {
		limit = max(0, quotaMax-used) + oldSize
	}
	sizeCapped := false
	if m := s.opts.MaxObjectBytes; m > 0 && (limit < 0 || m < limit) {
		limit, sizeCapped = m, true
	}

	tmp := path.Join(dir, tempPrefix+randomHex())
	f, err := site.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			site.Remove(tmp)
		}
	}()
	src := io.Reader(ctxReader{ctx: ctx, r: r})
	if limit >= 0 {
		src = io.LimitReader(src, limit+1)
	}
	n, err := io.Copy(f, src)
	if err != nil {
		if ctx.Err() != nil {
			return igny8.ObjectInfo{}, igny8.Wrap(igny8.CodeUnavailable, op, ctx.Err())
		}
		return igny8.ObjectInfo{}, igny8.Errorf(igny8.CodeInternal, op, "write %q: %w", key, err)
	}
	if limit >= 0 && n > limit {
		if sizeCapped {
			return igny8.ObjectInfo{}, igny8.InvalidArgument(op, "size", "object %q is larger than the %d bytes allowed", key, s.opts.MaxObjectBytes)
		}
		return igny8.ObjectInfo{}, &igny8.LimitError{Op: op, Limit: igny8.LimitStorageBytes, Max: quotaMax, Used: used, Requested: n - oldSize}
	}
	if !s.opts.NoSync {
		if err := f.Sync(); err != nil {
			return igny8.ObjectInfo{}, igny8.Errorf(igny8.CodeInternal, op, "sync %q: %w", key, err)
		}
	}
	if err := f.Close(); err != nil {
		return igny8.ObjectInfo{}, igny8.Errorf(igny8.CodeInternal, op, "close %q: %w", key, err)
	}

	growth := n - oldSize
	if growth > 0 {
		if err := s.quota.Reserve(ctx, scope, growth); err != nil {
			return igny8.ObjectInfo{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
	}
	if err := site.Rename(tmp, key); err != nil {
		if growth > 0 {
			s.release(ctx, op, scope, key, growth)
		}
		return igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
	}
	committed = true
	if !s.opts.NoSync {
		s.syncDir(site, dir)
	}
	if growth < 0 {
		s.release(ctx, op, scope, key, -growth)
	}
	fi, err := site.Lstat(key)
	if err != nil {
		return igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
	}
	return igny8.ObjectInfo{Key: key, Size: n, ContentType: ContentTypeOf(key), ModTime: fi.ModTime()}, nil
}

// release gives bytes back after the file change they guard is done or
// undone. The change cannot be taken back, so a failure is logged, not
// returned; the counter then overstates use, which never lets a site past
// its quota. It runs even when ctx is cancelled.
func (s *Storage) release(ctx context.Context, op string, scope igny8.Scope, key string, n int64) {
	if err := s.quota.Release(context.WithoutCancel(ctx), scope, n); err != nil {
		s.log.WarnContext(ctx, "fsstorage: storage quota release failed; usage is overstated",
			"op", op, "scope", scope.String(), "key", key, "bytes", n, "err", err)
	}
}

// syncDir makes a rename in dir durable. A failure is ignored: the data
// file itself is synced, and some file systems cannot sync directories.
func (s *Storage) syncDir(site *os.Root, dir string) {
	d, err := site.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// Get opens the object at key. Only regular files are objects: a
// directory, a symbolic link or a file another account's site holds
// answers NotFound. The caller closes the reader.
func (s *Storage) Get(ctx context.Context, scope igny8.Scope, key string) (io.ReadCloser, igny8.ObjectInfo, error) {
	const op = "fsstorage.Get"
	if err := s.check(op, scope, key); err != nil {
		return nil, igny8.ObjectInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, igny8.ObjectInfo{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	site, err := s.openSite(op, scope, false)
	if errors.Is(err, errNoSite) {
		return nil, igny8.ObjectInfo{}, igny8.NotFound(op, "object", key)
	}
	if err != nil {
		return nil, igny8.ObjectInfo{}, err
	}
	defer site.Close()
	fi, err := site.Lstat(key)
	if err != nil {
		return nil, igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, igny8.ObjectInfo{}, igny8.NotFound(op, "object", key)
	}
	f, err := site.Open(key)
	if err != nil {
		return nil, igny8.ObjectInfo{}, s.fsError(op, "key", key, err)
	}
	// Stat the open file: the name may have been replaced since Lstat.
	fi, err = f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, igny8.ObjectInfo{}, igny8.NotFound(op, "object", key)
	}
	return f, igny8.ObjectInfo{Key: key, Size: fi.Size(), ContentType: ContentTypeOf(key), ModTime: fi.ModTime()}, nil
}

// Delete removes the object at key and gives its bytes back to the quota.
// A missing key is NotFound.
func (s *Storage) Delete(ctx context.Context, scope igny8.Scope, key string) error {
	const op = "fsstorage.Delete"
	if err := s.check(op, scope, key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	site, err := s.openSite(op, scope, false)
	if errors.Is(err, errNoSite) {
		return igny8.NotFound(op, "object", key)
	}
	if err != nil {
		return err
	}
	defer site.Close()
	unlock := s.locks.lock(scope.SiteID + "/" + key)
	defer unlock()
	fi, err := site.Lstat(key)
	if err != nil {
		return s.fsError(op, "key", key, err)
	}
	if !fi.Mode().IsRegular() {
		return igny8.NotFound(op, "object", key)
	}
	if err := site.Remove(key); err != nil {
		return s.fsError(op, "key", key, err)
	}
	if !s.opts.NoSync {
		s.syncDir(site, path.Dir(key))
	}
	if fi.Size() > 0 {
		s.release(ctx, op, scope, key, fi.Size())
	}
	return nil
}

// List returns the objects whose keys start with prefix (a plain string
// prefix: "img/fe" lists "img/featured.png"), sorted by key. Files that are
// not objects (directories, symbolic links, files being written) are left
// out.
func (s *Storage) List(ctx context.Context, scope igny8.Scope, prefix string) ([]igny8.ObjectInfo, error) {
	const op = "fsstorage.List"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	if err := validateSiteID(op, scope.SiteID); err != nil {
		return nil, err
	}
	if err := validatePath(op, "prefix", prefix, true); err != nil {
		return nil, err
	}
	var out []igny8.ObjectInfo
	err := s.walk(ctx, op, scope, prefix, func(key string, fi fs.FileInfo) {
		out = append(out, igny8.ObjectInfo{Key: key, Size: fi.Size(), ContentType: ContentTypeOf(key), ModTime: fi.ModTime()})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Usage returns the bytes of the site's objects, counted on disk. It is
// what the site stores; the quota's counter (Quota.Usage) is what it holds,
// which also covers writes in flight.
func (s *Storage) Usage(ctx context.Context, scope igny8.Scope) (int64, error) {
	const op = "fsstorage.Usage"
	if err := scope.RequireSite(op); err != nil {
		return 0, err
	}
	if err := validateSiteID(op, scope.SiteID); err != nil {
		return 0, err
	}
	var total int64
	err := s.walk(ctx, op, scope, "", func(_ string, fi fs.FileInfo) { total += fi.Size() })
	return total, err
}

// walk calls fn for every object of the site whose key starts with prefix.
func (s *Storage) walk(ctx context.Context, op string, scope igny8.Scope, prefix string, fn func(key string, fi fs.FileInfo)) error {
	if err := ctx.Err(); err != nil {
		return igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	site, err := s.openSite(op, scope, false)
	if errors.Is(err, errNoSite) {
		return nil
	}
	if err != nil {
		return err
	}
	defer site.Close()
	start := "."
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = prefix[:i]
	}
	fsys := site.FS()
	err = fs.WalkDir(fsys, start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking
			}
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			// Skip directories that cannot hold a key with the prefix.
			if !strings.HasPrefix(p+"/", prefix) && !strings.HasPrefix(prefix, p+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(p, prefix) {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		fn(p, fi)
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return igny8.Wrap(igny8.CodeUnavailable, op, ctx.Err())
		}
		return igny8.Errorf(igny8.CodeInternal, op, "walk site %s: %w", scope.SiteID, err)
	}
	return nil
}

// RemoveStaleTemp deletes the site's temporary files last modified more
// than olderThan ago: what writes cut short by a crash or a kill left
// behind. Writes in progress keep their file's modification time fresh, so
// an olderThan well above the longest upload is safe. It returns how many
// files it removed.
func (s *Storage) RemoveStaleTemp(ctx context.Context, scope igny8.Scope, olderThan time.Duration) (int, error) {
	const op = "fsstorage.RemoveStaleTemp"
	if err := scope.RequireSite(op); err != nil {
		return 0, err
	}
	if err := validateSiteID(op, scope.SiteID); err != nil {
		return 0, err
	}
	if olderThan <= 0 {
		return 0, igny8.InvalidArgument(op, "older_than", "must be positive, got %s", olderThan)
	}
	site, err := s.openSite(op, scope, false)
	if errors.Is(err, errNoSite) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer site.Close()
	cutoff := s.opts.Clock.Now().Add(-olderThan)
	removed := 0
	err = fs.WalkDir(site.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), tempPrefix) || !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			return nil
		}
		if err := site.Remove(p); err == nil {
			removed++
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return removed, igny8.Wrap(igny8.CodeUnavailable, op, ctx.Err())
		}
		return removed, igny8.Errorf(igny8.CodeInternal, op, "walk site %s: %w", scope.SiteID, err)
	}
	return removed, nil
}

// fsError maps a file system error to the kernel's codes.
func (s *Storage) fsError(op, field, name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return igny8.NotFound(op, "object", name)
	case errors.Is(err, syscall.ENOTDIR):
		if op == "fsstorage.Put" {
			return igny8.Errorf(igny8.CodeConflict, op, "%s %q: a parent directory is an object", field, name)
		}
		return igny8.NotFound(op, "object", name)
	case errors.Is(err, syscall.EISDIR):
		return igny8.Errorf(igny8.CodeConflict, op, "%s %q is a directory of other objects", field, name)
	case isEscape(err):
		return igny8.Errorf(igny8.CodePermissionDenied, op, "%s %q leads out of the site through a symbolic link", field, name)
	}
	return igny8.Errorf(igny8.CodeInternal, op, "%s %q: %w", field, name, err)
}

// isEscape reports whether err is os.Root refusing a path that leaves the
// root. The os package does not export that error, so it is known by its
// text.
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// ContentTypeOf returns the media type of an object by its key's
// extension: the common web types from a fixed table (the same on every
// machine), else the mime package's, else application/octet-stream.
func ContentTypeOf(key string) string {
	ext := strings.ToLower(path.Ext(key))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

var contentTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml", ".ico": "image/x-icon",
	".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
	".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
	".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8",
	".pdf": "application/pdf", ".zip": "application/zip", ".gz": "application/gzip",
	".woff2": "font/woff2", ".woff": "font/woff", ".mp4": "video/mp4", ".webm": "video/webm",
}

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func randomHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// keyLocks serializes operations on one key.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

func (k *keyLocks) lock(key string) (unlock func()) {
	k.mu.Lock()
	l := k.m[key]
	if l == nil {
		l = &keyLock{}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
