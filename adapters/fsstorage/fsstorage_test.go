package fsstorage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storagetest"
)

var siteA = igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}

func newStorage(t *testing.T, dir string, q fsstorage.Quota, opts fsstorage.Options) *fsstorage.Storage {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	st, err := fsstorage.New(dir, q, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

// memQuota is an in-test Quota: a mutex-guarded counter per site.
type memQuota struct {
	mu   sync.Mutex
	max  int64
	used map[string]int64
}

func newMemQuota(max int64) *memQuota { return &memQuota{max: max, used: map[string]int64{}} }

func (q *memQuota) Reserve(_ context.Context, s igny8.Scope, n int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := s.AccountID + "/" + s.SiteID
	if q.max >= 0 && q.used[k]+n > q.max {
		return &igny8.LimitError{Limit: igny8.LimitStorageBytes, Max: q.max, Used: q.used[k], Requested: n}
	}
	q.used[k] += n
	return nil
}

func (q *memQuota) Release(_ context.Context, s igny8.Scope, n int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := s.AccountID + "/" + s.SiteID
	q.used[k] = max(0, q.used[k]-n)
	return nil
}

func (q *memQuota) Usage(_ context.Context, s igny8.Scope) (int64, int64, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used[s.AccountID+"/"+s.SiteID], q.max, nil
}

// limitsQuota returns the plan's quota over a real store: a plan whose
// storage quota is max bytes (unlimited when max < 0), an account on it,
// and a site scope of that account.
func limitsQuota(t *testing.T, store *sqlstore.Store, max int64) (fsstorage.LimitsQuota, igny8.Scope) {
	t.Helper()
	ctx := context.Background()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan := igny8.Plan{Name: "Storage test"}
	if max >= 0 {
		plan.Limits = map[igny8.Limit]int64{igny8.LimitStorageBytes: max}
	}
	plan, err := ten.CreatePlan(ctx, plan)
	if err != nil {
		t.Fatalf("CreatePlan: %v", err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "Acme", PlanID: plan.ID})
	if err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	return fsstorage.LimitsQuota{Limits: igny8.NewLimits(store, nil)}, igny8.Scope{AccountID: acct.ID, SiteID: "site-1"}
}

func TestConformance(t *testing.T) {
	t.Run("no quota", func(t *testing.T) {
		storagetest.Run(t, func(t *testing.T) (igny8.Storage, igny8.Scope) {
			return newStorage(t, "", fsstorage.NoQuota{}, fsstorage.Options{}), siteA
		})
	})
	t.Run("mem quota no sync", func(t *testing.T) {
		storagetest.Run(t, func(t *testing.T) (igny8.Storage, igny8.Scope) {
			return newStorage(t, "", newMemQuota(10<<20), fsstorage.Options{NoSync: true}), siteA
		})
	})
	t.Run("limits quota sqlite", func(t *testing.T) {
		storagetest.Run(t, func(t *testing.T) (igny8.Storage, igny8.Scope) {
			q, scope := limitsQuota(t, sqlstoretest.SQLite(t), 10<<20)
			return newStorage(t, "", q, fsstorage.Options{NoSync: true}), scope
		})
	})
}

func wantInvalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	var e *igny8.Error
	if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != field {
		t.Errorf("%s: err = %v, want InvalidArgument on field %q", what, err, field)
	}
}

func TestTraversalRefused(t *testing.T) {
	outside := t.TempDir()
	root := filepath.Join(t.TempDir(), "root")
	st := newStorage(t, root, fsstorage.NoQuota{}, fsstorage.Options{})
	ctx := context.Background()
	storagetest.Put(t, st, siteA, "ok.txt", []byte("ok"))
	for _, tc := range []struct{ name, key string }{
		{"parent", "../x"},
		{"parent of site", "../site-2/x"},
		{"parent of root", "../../x"},
		{"inner climb", "a/../../x"},
		{"absolute", "/etc/passwd"},
		{"absolute to outside", outside + "/x"},
		{"backslash", `a\b`},
		{"backslash climb", `..\..\x`},
		{"nul", "a\x00b"},
		{"device", "CON"},
		{"device with extension", "con.txt"},
		{"device in dir", "x/lpt1.png"},
		{"empty segment", "a//b"},
		{"trailing slash", "a/"},
		{"dot", "."},
		{"dotdot", ".."},
		{"hidden", ".igny8-account"},
		{"temp name", ".tmp-0011"},
		{"trailing dot", "a./b"},
		{"leading space", " a"},
		{"drive letter", "c:x"},
		{"very long", strings.Repeat("k", fsstorage.MaxKeyBytes+1)},
		{"long segment", strings.Repeat("s", fsstorage.MaxSegmentBytes+1)},
		{"too deep", strings.Repeat("d/", fsstorage.MaxKeySegments) + "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := st.Put(ctx, siteA, tc.key, strings.NewReader("evil"), "")
			wantInvalid(t, "Put", err, "key")
			_, _, err = st.Get(ctx, siteA, tc.key)
			wantInvalid(t, "Get", err, "key")
			wantInvalid(t, "Delete", st.Delete(ctx, siteA, tc.key), "key")
			wantInvalid(t, "ValidateKey", fsstorage.ValidateKey(tc.key), "key")
		})
	}
	// Nothing was written anywhere but the one object.
	var files []string
	filepath.WalkDir(filepath.Dir(root), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, strings.TrimPrefix(p, filepath.Dir(root)))
		}
		return nil
	})
	want := []string{"/root/site-1/.igny8-account", "/root/site-1/ok.txt"}
	if fmt.Sprint(files) != fmt.Sprint(want) {
		t.Errorf("files on disk = %q, want %q", files, want)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files written outside the root: %v", entries)
	}
}

func TestSiteIDValidated(t *testing.T) {
	st := newStorage(t, "", fsstorage.NoQuota{}, fsstorage.Options{})
	for _, id := range []string{"..", ".", "a/b", `a\b`, "-x", "_x", "site 1", "con", "COM3", "a\x00", strings.Repeat("s", fsstorage.MaxSiteIDBytes+1), "é"} {
		_, err := st.Put(context.Background(), igny8.Scope{AccountID: "a", SiteID: id}, "k", strings.NewReader("x"), "")
		wantInvalid(t, fmt.Sprintf("Put with site %q", id), err, "scope.site_id")
		_, err = st.List(context.Background(), igny8.Scope{AccountID: "a", SiteID: id}, "")
		wantInvalid(t, fmt.Sprintf("List with site %q", id), err, "scope.site_id")
	}
}

func TestSymlinksNotFollowedOut(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("TOP SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "root")
	st := newStorage(t, root, fsstorage.NoQuota{}, fsstorage.Options{})
	ctx := context.Background()
	storagetest.Put(t, st, siteA, "real.txt", []byte("real"))
	storagetest.Put(t, igny8.Storage(st), igny8.Scope{AccountID: siteA.AccountID, SiteID: "site-2"}, "other.txt", []byte("site 2 data"))
	siteDir := filepath.Join(root, siteA.SiteID)
	links := map[string]string{
		"abs-dir":       outside,                              // absolute link to a directory outside
		"rel-dir":       "../../" + filepath.Base(outside),    // relative, climbing out of the root
		"leak.txt":      filepath.Join(outside, "secret.txt"), // absolute link to a file
		"rel-leak.txt":  "../../" + filepath.Base(outside) + "/secret.txt",
		"neighbour":     "../site-2", // into another site, inside the root
		"neighbour.txt": "../site-2/other.txt",
	}
	// The temp dirs are siblings under the same parent only if TempDir
	// puts them there; make the relative links point at the real outside.
	for name, target := range links {
		if strings.HasPrefix(target, "../../") {
			rel, err := filepath.Rel(siteDir, filepath.Join(outside, strings.TrimPrefix(target, "../../"+filepath.Base(outside))))
			if err != nil {
				t.Fatal(err)
			}
			target = rel
		}
		if err := os.Symlink(target, filepath.Join(siteDir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, key := range []string{"abs-dir/secret.txt", "rel-dir/secret.txt", "leak.txt", "rel-leak.txt", "neighbour/other.txt", "neighbour.txt"} {
		rc, _, err := st.Get(ctx, siteA, key)
		if err == nil {
			data, _ := io.ReadAll(rc)
			rc.Close()
			t.Errorf("Get(%q) followed a symlink out of the site and read %q", key, data)
			continue
		}
		if c := igny8.CodeOf(err); c != igny8.CodeNotFound && c != igny8.CodePermissionDenied {
			t.Errorf("Get(%q): %v, want NotFound or PermissionDenied", key, err)
		}
	}
	for _, key := range []string{"abs-dir/planted.txt", "rel-dir/planted.txt", "neighbour/planted.txt"} {
		_, err := st.Put(ctx, siteA, key, strings.NewReader("planted"), "")
		if err == nil {
			t.Errorf("Put(%q) wrote through a symlink out of the site", key)
		}
	}
	for _, key := range []string{"leak.txt", "neighbour.txt"} {
		if err := st.Delete(ctx, siteA, key); !errors.Is(err, igny8.ErrNotFound) {
			t.Errorf("Delete(%q) of a symlink: %v, want NotFound", key, err)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("outside dir now holds %d entries, want only secret.txt", len(entries))
	}
	if _, err := os.Stat(filepath.Join(root, "site-2", "planted.txt")); err == nil {
		t.Error("a write went through a symlink into another site")
	}
	if keys, _ := st.List(ctx, siteA, ""); len(keys) != 1 || keys[0].Key != "real.txt" {
		t.Errorf("List = %+v, want only real.txt (symlinks are not objects)", keys)
	}
	if n, _ := st.Usage(ctx, siteA); n != 4 {
		t.Errorf("Usage = %d, want 4 (symlinked files not counted)", n)
	}
	// Overwriting a symlinked key replaces the link, never its target.
	storagetest.Put(t, st, siteA, "leak.txt", []byte("mine"))
	if data, _ := os.ReadFile(filepath.Join(outside, "secret.txt")); string(data) != "TOP SECRET" {
		t.Errorf("outside file changed to %q", data)
	}
}

func TestSiteDirSymlinkOutOfRoot(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, ".igny8-account"), []byte(siteA.AccountID), 0o644)
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("TOP SECRET"), 0o644)
	root := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, siteA.SiteID)); err != nil {
		t.Fatal(err)
	}
	st := newStorage(t, root, fsstorage.NoQuota{}, fsstorage.Options{})
	if _, _, err := st.Get(context.Background(), siteA, "secret.txt"); err == nil {
		t.Fatal("Get read through a site directory that links out of the root")
	}
	if _, err := st.Put(context.Background(), siteA, "x.txt", strings.NewReader("x"), ""); err == nil {
		t.Fatal("Put wrote through a site directory that links out of the root")
	}
}

// concurrentQuota runs 20 writers of size bytes each against a site with a
// quota of fit*size + size/2 bytes: exactly fit of them may succeed.
func concurrentQuota(t *testing.T, st *fsstorage.Storage, q fsstorage.Quota, scope igny8.Scope, fit int, size int64) {
	t.Helper()
	const writers = 20
	var ok, limited atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body := bytes.Repeat([]byte{byte('a' + i%26)}, int(size))
			_, err := st.Put(context.Background(), scope, fmt.Sprintf("up/%02d.bin", i), bytes.NewReader(body), "")
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, igny8.ErrLimitExceeded):
				var le *igny8.LimitError
				if !errors.As(err, &le) || le.Limit != igny8.LimitStorageBytes {
					t.Errorf("writer %d: %v is not a storage *LimitError", i, err)
				}
				limited.Add(1)
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok.Load() != int64(fit) || limited.Load() != writers-int64(fit) {
		t.Errorf("%d writes succeeded and %d hit the quota, want exactly %d and %d", ok.Load(), limited.Load(), fit, writers-fit)
	}
	_, quotaMax, _ := q.Usage(context.Background(), scope)
	onDisk, err := st.Usage(context.Background(), scope)
	if err != nil {
		t.Fatal(err)
	}
	if onDisk > quotaMax || onDisk != int64(fit)*size {
		t.Errorf("Usage = %d bytes, want %d and at most the quota %d", onDisk, int64(fit)*size, quotaMax)
	}
	if used, _, _ := q.Usage(context.Background(), scope); used != onDisk {
		t.Errorf("quota counter = %d, bytes on disk = %d", used, onDisk)
	}
	if keys, _ := st.List(context.Background(), scope, ""); len(keys) != fit {
		t.Errorf("List = %d objects, want %d", len(keys), fit)
	}
}

func TestQuotaConcurrentWriters(t *testing.T) {
	const fit, size = 7, 10_000
	t.Run("mem quota", func(t *testing.T) {
		q := newMemQuota(fit*size + size/2)
		st := newStorage(t, "", q, fsstorage.Options{NoSync: true})
		concurrentQuota(t, st, q, siteA, fit, size)
	})
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		q, scope := limitsQuota(t, store, fit*size+size/2)
		st := newStorage(t, "", q, fsstorage.Options{})
		concurrentQuota(t, st, q, scope, fit, size)
	})
}

func TestQuotaAccounting(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := context.Background()
		q, scope := limitsQuota(t, store, 1000)
		st := newStorage(t, "", q, fsstorage.Options{NoSync: true})
		counter := func() int64 {
			t.Helper()
			used, _, err := q.Usage(ctx, scope)
			if err != nil {
				t.Fatal(err)
			}
			return used
		}
		steps := []struct {
			name    string
			do      func() error
			counter int64
			code    igny8.Code
		}{
			{"put 600", func() error {
				_, err := st.Put(ctx, scope, "a.bin", bytes.NewReader(make([]byte, 600)), "")
				return err
			}, 600, ""},
			{"put 500 over quota", func() error {
				_, err := st.Put(ctx, scope, "b.bin", bytes.NewReader(make([]byte, 500)), "")
				return err
			}, 600, igny8.CodeLimitExceeded},
			{"grow a to 1000 (reserves 400)", func() error {
				_, err := st.Put(ctx, scope, "a.bin", bytes.NewReader(make([]byte, 1000)), "")
				return err
			}, 1000, ""},
			{"grow a past quota", func() error {
				_, err := st.Put(ctx, scope, "a.bin", bytes.NewReader(make([]byte, 1001)), "")
				return err
			}, 1000, igny8.CodeLimitExceeded},
			{"shrink a to 100 (releases 900)", func() error {
				_, err := st.Put(ctx, scope, "a.bin", bytes.NewReader(make([]byte, 100)), "")
				return err
			}, 100, ""},
			{"failed write reserves nothing", func() error {
				_, err := st.Put(ctx, scope, "c.bin", io.MultiReader(bytes.NewReader(make([]byte, 50)), errReader{}), "")
				return err
			}, 100, igny8.CodeInternal},
			{"put 900 fits exactly", func() error {
				_, err := st.Put(ctx, scope, "b.bin", bytes.NewReader(make([]byte, 900)), "")
				return err
			}, 1000, ""},
			{"empty object over full quota", func() error { _, err := st.Put(ctx, scope, "e.bin", bytes.NewReader(nil), ""); return err }, 1000, ""},
			{"delete b releases 900", func() error { return st.Delete(ctx, scope, "b.bin") }, 100, ""},
			{"delete a releases 100", func() error { return st.Delete(ctx, scope, "a.bin") }, 0, ""},
		}
		for _, s := range steps {
			err := s.do()
			if got := igny8.CodeOf(err); got != s.code {
				t.Fatalf("%s: err = %v (code %q), want code %q", s.name, err, got, s.code)
			}
			if c := counter(); c != s.counter {
				t.Fatalf("%s: quota counter = %d, want %d", s.name, c, s.counter)
			}
			if n, _ := st.Usage(ctx, scope); n != s.counter {
				t.Fatalf("%s: Usage on disk = %d, want %d", s.name, n, s.counter)
			}
		}
		_, err := st.Put(ctx, scope, "big.bin", bytes.NewReader(make([]byte, 5000)), "")
		var le *igny8.LimitError
		if !errors.As(err, &le) || le.Max != 1000 || le.Limit != igny8.LimitStorageBytes {
			t.Fatalf("over-quota Put: %v, want a *LimitError with Max 1000", err)
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestMaxObjectBytes(t *testing.T) {
	st := newStorage(t, "", fsstorage.NoQuota{}, fsstorage.Options{MaxObjectBytes: 100, NoSync: true})
	storagetest.Put(t, st, siteA, "fits.bin", make([]byte, 100))
	_, err := st.Put(context.Background(), siteA, "big.bin", bytes.NewReader(make([]byte, 101)), "")
	wantInvalid(t, "Put 101 bytes", err, "size")
	if _, _, err := st.Get(context.Background(), siteA, "big.bin"); !errors.Is(err, igny8.ErrNotFound) {
		t.Errorf("oversized object was stored: %v", err)
	}
}

func TestAccountOwnsSite(t *testing.T) {
	st := newStorage(t, "", fsstorage.NoQuota{}, fsstorage.Options{})
	storagetest.Put(t, st, siteA, "a.txt", []byte("a"))
	intruder := igny8.Scope{AccountID: "acct-2", SiteID: siteA.SiteID}
	_, err := st.Put(context.Background(), intruder, "b.txt", strings.NewReader("b"), "")
	if !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("Put into another account's site: %v, want NotFound", err)
	}
	if keys, _ := st.List(context.Background(), siteA, ""); len(keys) != 1 {
		t.Errorf("site now lists %d objects, want 1", len(keys))
	}
}

func TestConflicts(t *testing.T) {
	st := newStorage(t, "", fsstorage.NoQuota{}, fsstorage.Options{NoSync: true})
	ctx := context.Background()
	storagetest.Put(t, st, siteA, "file", []byte("x"))
	storagetest.Put(t, st, siteA, "dir/child", []byte("y"))
	for _, key := range []string{"file/child", "dir"} {
		_, err := st.Put(ctx, siteA, key, strings.NewReader("z"), "")
		if !errors.Is(err, igny8.ErrConflict) {
			t.Errorf("Put(%q): %v, want Conflict", key, err)
		}
	}
}

func TestStaleTempFilesIgnored(t *testing.T) {
	root := t.TempDir()
	st := newStorage(t, root, fsstorage.NoQuota{}, fsstorage.Options{})
	storagetest.Put(t, st, siteA, "img/a.png", []byte("png"))
	// A crash mid-write leaves a temporary file behind.
	os.WriteFile(filepath.Join(root, siteA.SiteID, "img", ".tmp-deadbeef"), make([]byte, 999), 0o644)
	keys, err := st.List(context.Background(), siteA, "")
	if err != nil || len(keys) != 1 || keys[0].Key != "img/a.png" {
		t.Errorf("List = %+v, %v; want only img/a.png", keys, err)
	}
	if n, _ := st.Usage(context.Background(), siteA); n != 3 {
		t.Errorf("Usage = %d, want 3", n)
	}
}

func TestRemoveStaleTemp(t *testing.T) {
	root := t.TempDir()
	clock := igny8.NewManualClock(time.Now())
	st := newStorage(t, root, fsstorage.NoQuota{}, fsstorage.Options{Clock: clock})
	storagetest.Put(t, st, siteA, "img/a.png", []byte("png"))
	stale := filepath.Join(root, siteA.SiteID, "img", ".tmp-0123456789abcdef")
	fresh := filepath.Join(root, siteA.SiteID, ".tmp-fedcba9876543210")
	os.WriteFile(stale, []byte("cut short"), 0o644)
	os.WriteFile(fresh, []byte("in progress"), 0o644)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)

	n, err := st.RemoveStaleTemp(context.Background(), siteA, time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("RemoveStaleTemp = %d, %v; want 1 file", n, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale temporary file is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh temporary file was removed")
	}
	if _, err := os.Stat(filepath.Join(root, siteA.SiteID, ".igny8-account")); err != nil {
		t.Error("the owner file was removed")
	}
	if data, _ := storagetest.Read(t, st, siteA, "img/a.png"); string(data) != "png" {
		t.Error("an object was touched")
	}
	clock.Advance(3 * time.Hour)
	if n, _ := st.RemoveStaleTemp(context.Background(), siteA, time.Hour); n != 1 {
		t.Errorf("after the clock moved, removed %d, want the other 1", n)
	}
	_, err = st.RemoveStaleTemp(context.Background(), siteA, 0)
	wantInvalid(t, "RemoveStaleTemp(0)", err, "older_than")
}

// slowReader hands out its bytes in small pieces with pauses, so that a
// write stays in progress while readers look.
type slowReader struct {
	data  []byte
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := copy(p[:min(len(p), 4096)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestAtomicWrites(t *testing.T) {
	st := newStorage(t, "", fsstorage.NoQuota{}, fsstorage.Options{})
	ctx := context.Background()
	versions := [][]byte{bytes.Repeat([]byte{'a'}, 64<<10), bytes.Repeat([]byte{'b'}, 96<<10), bytes.Repeat([]byte{'c'}, 32<<10)}
	storagetest.Put(t, st, siteA, "page.html", versions[0])

	var stop atomic.Bool
	var reads, torn atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				for _, key := range []string{"page.html", "new.html"} {
					rc, info, err := st.Get(ctx, siteA, key)
					if errors.Is(err, igny8.ErrNotFound) && key == "new.html" {
						continue
					}
					if err != nil {
						t.Errorf("Get(%q): %v", key, err)
						return
					}
					data, err := io.ReadAll(rc)
					rc.Close()
					if err != nil {
						t.Errorf("read: %v", err)
						return
					}
					reads.Add(1)
					whole := false
					for _, v := range versions {
						if bytes.Equal(data, v) {
							whole = true
						}
					}
					if !whole || int64(len(data)) != info.Size {
						torn.Add(1)
					}
				}
			}
		}()
	}
	for i := 1; i < 10; i++ {
		v := versions[i%len(versions)]
		if _, err := st.Put(ctx, siteA, "page.html", &slowReader{data: v, pause: 200 * time.Microsecond}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Put(ctx, siteA, "new.html", &slowReader{data: versions[1], pause: 200 * time.Microsecond}, ""); err != nil {
		t.Fatal(err)
	}
	stop.Store(true)
	wg.Wait()
	if reads.Load() == 0 {
		t.Fatal("readers read nothing")
	}
	if torn.Load() != 0 {
		t.Errorf("%d of %d reads saw a partial object", torn.Load(), reads.Load())
	}
}

func TestNewValidates(t *testing.T) {
	if _, err := fsstorage.New("", fsstorage.NoQuota{}, fsstorage.Options{}); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Errorf("New(\"\"): %v", err)
	}
	if _, err := fsstorage.New(t.TempDir(), nil, fsstorage.Options{}); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Errorf("New with nil quota: %v", err)
	}
	if _, err := fsstorage.New(t.TempDir(), fsstorage.NoQuota{}, fsstorage.Options{MaxObjectBytes: -1}); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Errorf("New with negative MaxObjectBytes: %v", err)
	}
}

func TestContentTypeOf(t *testing.T) {
	for key, want := range map[string]string{
		"a/b.PNG":    "image/png",
		"x.jpeg":     "image/jpeg",
		"index.html": "text/html; charset=utf-8",
		"data.json":  "application/json",
		"noext":      "application/octet-stream",
	} {
		if got := fsstorage.ContentTypeOf(key); got != want {
			t.Errorf("ContentTypeOf(%q) = %q, want %q", key, got, want)
		}
	}
}
