package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/igny8/sdk/igny8"
)

// InvalidKeys returns keys every igny8.Storage must refuse with
// InvalidArgument (naming the field "key"), one per rule of the contract:
// traversal, absolute paths, NUL and control characters, backslashes,
// Windows device names, empty segments, leading or trailing dots and
// spaces, and keys that are too long.
func InvalidKeys() []string {
	return []string{
		"",
		"..",
		".",
		"../x",
		"a/../../x",
		"a/..",
		"./a",
		"/etc/passwd",
		"/",
		"a\\b",
		"..\\..\\x",
		"a\x00b",
		"a\nb",
		"a\x7fb",
		"CON",
		"con.txt",
		"img/Aux.png",
		"nul",
		"COM1",
		"lpt9.log",
		"a//b",
		"a/",
		"a/b/",
		" a",
		"a ",
		"a./b",
		".hidden",
		"a/.b",
		"c:/x",
		"x:y",
		"a*b",
		"a?b",
		`a"b`,
		"a<b>",
		"a|b",
		"\xff\xfe",
		strings.Repeat("a", 256),
		strings.Repeat("a/", 600) + "a",
		strings.Repeat("abcdefgh/", 113) + "abcdefgh",
	}
}

// ValidKeys returns keys every igny8.Storage must accept and keep apart.
func ValidKeys() []string {
	return []string{
		"a",
		"featured.png",
		"images/2026/11/featured-1.webp",
		"exports/keywords export.csv",
		"café/ünïcödé.txt",
		"a.b.c",
		"x-y_z~(1)[2]{3}+=,;@!$'&.txt",
		"deep/" + strings.Repeat("d/", 20) + "leaf",
		strings.Repeat("n", 255),
	}
}

// Run runs the conformance suite against the Storage that newStorage
// returns, together with the site scope to use. newStorage is called once
// per subtest and must return an empty storage (a fresh directory, bucket
// or database). Cleanup is newStorage's job, through t.Cleanup.
//
// Beside the scope it is given, the suite uses two more tenants made from
// it: the same account with the site id suffixed "-b", and an account id
// suffixed "-b" with the same site id. The storage must accept them and keep
// their objects apart from the first scope's.
func Run(t *testing.T, newStorage func(t *testing.T) (igny8.Storage, igny8.Scope)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, st igny8.Storage, scope igny8.Scope)
	}{
		{"PutGet", testPutGet},
		{"EmptyObject", testEmptyObject},
		{"LargeObject", testLargeObject},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"GetMissing", testGetMissing},
		{"List", testList},
		{"Usage", testUsage},
		{"InvalidKeys", testInvalidKeys},
		{"InvalidPrefix", testInvalidPrefix},
		{"ValidKeys", testValidKeys},
		{"ScopeRequired", testScopeRequired},
		{"Isolation", testIsolation},
		{"ConcurrentDistinctKeys", testConcurrentDistinctKeys},
		{"ConcurrentSameKey", testConcurrentSameKey},
		{"ReaderFailure", testReaderFailure},
		{"CancelledContext", testCancelledContext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, scope := newStorage(t)
			if st == nil {
				t.Fatal("storagetest: newStorage returned a nil Storage")
			}
			tc.fn(t, st, scope)
		})
	}
}

// Put stores data under key and fails t on error.
func Put(t testing.TB, st igny8.Storage, scope igny8.Scope, key string, data []byte) igny8.ObjectInfo {
	t.Helper()
	info, err := st.Put(context.Background(), scope, key, bytes.NewReader(data), "")
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	if info.Key != key || info.Size != int64(len(data)) {
		t.Fatalf("Put(%q) = key %q size %d, want key %q size %d", key, info.Key, info.Size, key, len(data))
	}
	return info
}

// Read returns the bytes and info of key and fails t on error.
func Read(t testing.TB, st igny8.Storage, scope igny8.Scope, key string) ([]byte, igny8.ObjectInfo) {
	t.Helper()
	rc, info, err := st.Get(context.Background(), scope, key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return data, info
}

func wantCode(t *testing.T, what string, err error, code igny8.Code) {
	t.Helper()
	if got := igny8.CodeOf(err); got != code {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

func wantMissing(t *testing.T, st igny8.Storage, scope igny8.Scope, key string) {
	t.Helper()
	rc, _, err := st.Get(context.Background(), scope, key)
	if err == nil {
		rc.Close()
		t.Fatalf("Get(%q) in %s succeeded, want NotFound", key, scope)
	}
	if !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("Get(%q) in %s: %v, want NotFound", key, scope, err)
	}
}

func listKeys(t *testing.T, st igny8.Storage, scope igny8.Scope, prefix string) []string {
	t.Helper()
	infos, err := st.List(context.Background(), scope, prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	keys := make([]string, len(infos))
	for i, in := range infos {
		keys[i] = in.Key
	}
	return keys
}

func usage(t *testing.T, st igny8.Storage, scope igny8.Scope) int64 {
	t.Helper()
	n, err := st.Usage(context.Background(), scope)
	if err != nil {
		t.Fatalf("Usage: %v", err)
	}
	return n
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func testPutGet(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	put := Put(t, st, scope, "docs/hello.txt", []byte("hello, world"))
	if put.ModTime.IsZero() {
		t.Error("Put: ModTime is zero")
	}
	data, info := Read(t, st, scope, "docs/hello.txt")
	if string(data) != "hello, world" {
		t.Errorf("Get = %q, want %q", data, "hello, world")
	}
	if info.Key != put.Key || info.Size != put.Size || info.ContentType != put.ContentType {
		t.Errorf("Get info = %+v, want key, size and content type of Put's %+v", info, put)
	}
	infos, err := st.List(context.Background(), scope, "docs/")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(infos) != 1 || infos[0].Key != put.Key || infos[0].Size != put.Size || infos[0].ContentType != put.ContentType {
		t.Errorf("List = %+v, want one entry with the key, size and content type of Put's %+v", infos, put)
	}
}

func testEmptyObject(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	Put(t, st, scope, "empty.bin", nil)
	data, info := Read(t, st, scope, "empty.bin")
	if len(data) != 0 || info.Size != 0 {
		t.Errorf("Get empty object = %d bytes, size %d", len(data), info.Size)
	}
	if keys := listKeys(t, st, scope, ""); len(keys) != 1 || keys[0] != "empty.bin" {
		t.Errorf("List = %q, want [empty.bin]", keys)
	}
}

func testLargeObject(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	want := randomBytes(t, 1<<20+7)
	Put(t, st, scope, "big/blob.bin", want)
	got, info := Read(t, st, scope, "big/blob.bin")
	if !bytes.Equal(got, want) || info.Size != int64(len(want)) {
		t.Errorf("Get large object: %d bytes (size %d), equal %t; want %d", len(got), info.Size, bytes.Equal(got, want), len(want))
	}
}

func testOverwrite(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	Put(t, st, scope, "a.txt", []byte("the first, longer version"))
	Put(t, st, scope, "a.txt", []byte("v2"))
	if got, _ := Read(t, st, scope, "a.txt"); string(got) != "v2" {
		t.Errorf("after overwrite Get = %q, want %q", got, "v2")
	}
	infos, err := st.List(context.Background(), scope, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || infos[0].Size != 2 {
		t.Errorf("after overwrite List = %+v, want one object of 2 bytes", infos)
	}
	if n := usage(t, st, scope); n != 2 {
		t.Errorf("after overwrite Usage = %d, want 2", n)
	}
	Put(t, st, scope, "a.txt", []byte("grown again to a longer text"))
	if n := usage(t, st, scope); n != 28 {
		t.Errorf("after growing overwrite Usage = %d, want 28", n)
	}
}

func testDelete(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	ctx := context.Background()
	Put(t, st, scope, "img/x.png", []byte("png bytes"))
	Put(t, st, scope, "img/y.png", []byte("other"))
	if err := st.Delete(ctx, scope, "img/x.png"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantMissing(t, st, scope, "img/x.png")
	wantCode(t, "second Delete", st.Delete(ctx, scope, "img/x.png"), igny8.CodeNotFound)
	wantCode(t, "Delete of a never-written key", st.Delete(ctx, scope, "never.txt"), igny8.CodeNotFound)
	if keys := listKeys(t, st, scope, ""); len(keys) != 1 || keys[0] != "img/y.png" {
		t.Errorf("after Delete List = %q, want [img/y.png]", keys)
	}
	if n := usage(t, st, scope); n != 5 {
		t.Errorf("after Delete Usage = %d, want 5", n)
	}
}

func testGetMissing(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	wantMissing(t, st, scope, "nothing/here.txt")
	Put(t, st, scope, "dir/file.txt", []byte("x"))
	// A "directory" made by a longer key is not an object.
	wantMissing(t, st, scope, "dir")
	wantMissing(t, st, scope, "dir/file.txt/more")
}

func testList(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	objects := map[string]string{
		"img/b.png":     "bb",
		"img/a.png":     "a",
		"img/sub/c.png": "ccc",
		"imgx.txt":      "dddd",
		"doc.txt":       "eeeee",
	}
	for k, v := range objects {
		Put(t, st, scope, k, []byte(v))
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"doc.txt", "img/a.png", "img/b.png", "img/sub/c.png", "imgx.txt"}},
		{"img/", []string{"img/a.png", "img/b.png", "img/sub/c.png"}},
		{"img", []string{"img/a.png", "img/b.png", "img/sub/c.png", "imgx.txt"}},
		{"img/a", []string{"img/a.png"}},
		{"img/sub/", []string{"img/sub/c.png"}},
		{"nope/", nil},
		{"doc.txt", []string{"doc.txt"}},
	} {
		infos, err := st.List(context.Background(), scope, tc.prefix)
		if err != nil {
			t.Fatalf("List(%q): %v", tc.prefix, err)
		}
		var got []string
		for _, in := range infos {
			got = append(got, in.Key)
			if want := int64(len(objects[in.Key])); in.Size != want {
				t.Errorf("List(%q): %s size %d, want %d", tc.prefix, in.Key, in.Size, want)
			}
			if in.ModTime.IsZero() {
				t.Errorf("List(%q): %s has a zero ModTime", tc.prefix, in.Key)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("List(%q) = %q, want %q (sorted by key)", tc.prefix, got, tc.want)
		}
	}
}

func testUsage(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	if n := usage(t, st, scope); n != 0 {
		t.Fatalf("Usage of an empty site = %d, want 0", n)
	}
	Put(t, st, scope, "one", make([]byte, 100))
	Put(t, st, scope, "two/three", make([]byte, 23))
	if n := usage(t, st, scope); n != 123 {
		t.Errorf("Usage = %d, want 123", n)
	}
}

func testInvalidKeys(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	ctx := context.Background()
	Put(t, st, scope, "ok.txt", []byte("ok"))
	for _, key := range InvalidKeys() {
		check := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, igny8.ErrInvalidArgument) {
				t.Errorf("%s(%q): %v, want InvalidArgument", what, key, err)
				return
			}
			var e *igny8.Error
			if errors.As(err, &e) && e.Field != "key" {
				t.Errorf("%s(%q): error names field %q, want \"key\"", what, key, e.Field)
			}
		}
		_, err := st.Put(ctx, scope, key, strings.NewReader("evil"), "")
		check("Put", err)
		rc, _, err := st.Get(ctx, scope, key)
		if err == nil {
			rc.Close()
		}
		check("Get", err)
		check("Delete", st.Delete(ctx, scope, key))
	}
	if keys := listKeys(t, st, scope, ""); len(keys) != 1 || keys[0] != "ok.txt" {
		t.Errorf("after refused keys List = %q, want only [ok.txt]", keys)
	}
	if n := usage(t, st, scope); n != 2 {
		t.Errorf("after refused keys Usage = %d, want 2", n)
	}
}

func testInvalidPrefix(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	for _, prefix := range []string{"../", "..", "/", "/etc", "a\\b", "a\x00", "a//", "../../x"} {
		_, err := st.List(context.Background(), scope, prefix)
		if !errors.Is(err, igny8.ErrInvalidArgument) {
			t.Errorf("List(%q): %v, want InvalidArgument", prefix, err)
		}
	}
}

func testValidKeys(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	for i, key := range ValidKeys() {
		Put(t, st, scope, key, []byte(fmt.Sprintf("object %d", i)))
	}
	for i, key := range ValidKeys() {
		if got, _ := Read(t, st, scope, key); string(got) != fmt.Sprintf("object %d", i) {
			t.Errorf("Get(%q) = %q, want %q", key, got, fmt.Sprintf("object %d", i))
		}
	}
	if keys := listKeys(t, st, scope, ""); len(keys) != len(ValidKeys()) {
		t.Errorf("List = %d keys, want %d", len(keys), len(ValidKeys()))
	}
}

func testScopeRequired(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		scope igny8.Scope
	}{
		{"no site", igny8.Scope{AccountID: scope.AccountID}},
		{"no account", igny8.Scope{SiteID: scope.SiteID}},
	} {
		_, err := st.Put(ctx, tc.scope, "k.txt", strings.NewReader("x"), "")
		wantCode(t, tc.name+": Put", err, igny8.CodeInvalidArgument)
		rc, _, err := st.Get(ctx, tc.scope, "k.txt")
		if err == nil {
			rc.Close()
		}
		wantCode(t, tc.name+": Get", err, igny8.CodeInvalidArgument)
		wantCode(t, tc.name+": Delete", st.Delete(ctx, tc.scope, "k.txt"), igny8.CodeInvalidArgument)
		_, err = st.List(ctx, tc.scope, "")
		wantCode(t, tc.name+": List", err, igny8.CodeInvalidArgument)
		_, err = st.Usage(ctx, tc.scope)
		wantCode(t, tc.name+": Usage", err, igny8.CodeInvalidArgument)
	}
}

func testIsolation(t *testing.T, st igny8.Storage, a igny8.Scope) {
	ctx := context.Background()
	otherSite := igny8.Scope{AccountID: a.AccountID, SiteID: a.SiteID + "-b"}
	otherAccount := igny8.Scope{AccountID: a.AccountID + "-b", SiteID: a.SiteID}
	Put(t, st, a, "secret/plan.txt", []byte("site A's plan"))

	for _, other := range []igny8.Scope{otherSite, otherAccount} {
		wantMissing(t, st, other, "secret/plan.txt")
		if err := st.Delete(ctx, other, "secret/plan.txt"); !errors.Is(err, igny8.ErrNotFound) {
			t.Errorf("Delete from %s: %v, want NotFound", other, err)
		}
		infos, err := st.List(ctx, other, "")
		if err != nil {
			t.Fatalf("List in %s: %v", other, err)
		}
		if len(infos) != 0 {
			t.Errorf("List in %s = %+v, want nothing", other, infos)
		}
		if n, err := st.Usage(ctx, other); err != nil || n != 0 {
			t.Errorf("Usage in %s = %d, %v; want 0", other, n, err)
		}
	}

	Put(t, st, otherSite, "secret/plan.txt", []byte("site B"))
	if got, _ := Read(t, st, a, "secret/plan.txt"); string(got) != "site A's plan" {
		t.Errorf("site A reads %q after site B wrote the same key, want its own", got)
	}
	if got, _ := Read(t, st, otherSite, "secret/plan.txt"); string(got) != "site B" {
		t.Errorf("site B reads %q, want its own", got)
	}
	if err := st.Delete(ctx, otherSite, "secret/plan.txt"); err != nil {
		t.Fatalf("Delete in site B: %v", err)
	}
	if got, _ := Read(t, st, a, "secret/plan.txt"); string(got) != "site A's plan" {
		t.Errorf("site A reads %q after site B deleted its copy", got)
	}
}

func testConcurrentDistinctKeys(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	const writers, perWriter = 16, 4
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				key := fmt.Sprintf("w%02d/obj-%d.txt", w, i)
				body := strings.Repeat(fmt.Sprintf("%d-%d;", w, i), w+1)
				if _, err := st.Put(context.Background(), scope, key, strings.NewReader(body), "text/plain"); err != nil {
					errs <- fmt.Errorf("Put(%q): %w", key, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var total int64
	for w := range writers {
		for i := range perWriter {
			key := fmt.Sprintf("w%02d/obj-%d.txt", w, i)
			want := strings.Repeat(fmt.Sprintf("%d-%d;", w, i), w+1)
			total += int64(len(want))
			if got, _ := Read(t, st, scope, key); string(got) != want {
				t.Errorf("Get(%q) = %q, want %q", key, got, want)
			}
		}
	}
	if keys := listKeys(t, st, scope, ""); len(keys) != writers*perWriter {
		t.Errorf("List = %d keys, want %d", len(keys), writers*perWriter)
	}
	if n := usage(t, st, scope); n != total {
		t.Errorf("Usage = %d, want %d", n, total)
	}
}

func testConcurrentSameKey(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	const writers = 8
	bodies := make([][]byte, writers)
	for i := range bodies {
		bodies[i] = bytes.Repeat([]byte{byte('a' + i)}, 1000*(i+1))
	}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.Put(context.Background(), scope, "same.bin", bytes.NewReader(bodies[i]), ""); err != nil {
				t.Errorf("Put #%d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got, info := Read(t, st, scope, "same.bin")
	found := false
	for _, b := range bodies {
		if bytes.Equal(got, b) {
			found = true
		}
	}
	if !found {
		t.Fatalf("after concurrent writes the object (%d bytes) is none of the writes: a torn write", len(got))
	}
	if info.Size != int64(len(got)) {
		t.Errorf("Get size %d, read %d bytes", info.Size, len(got))
	}
	if n := usage(t, st, scope); n != int64(len(got)) {
		t.Errorf("Usage = %d, want %d (the one object)", n, len(got))
	}
}

// failingReader yields some bytes, then an error.
type failingReader struct{ n int }

var errReader = errors.New("storagetest: reader failed")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errReader
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = 'x'
	}
	r.n -= k
	return k, nil
}

func testReaderFailure(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	ctx := context.Background()
	Put(t, st, scope, "keep.txt", []byte("original"))
	if _, err := st.Put(ctx, scope, "keep.txt", &failingReader{n: 10000}, ""); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	if got, _ := Read(t, st, scope, "keep.txt"); string(got) != "original" {
		t.Errorf("after a failed overwrite Get = %q, want the original", got)
	}
	if _, err := st.Put(ctx, scope, "new.txt", &failingReader{n: 10}, ""); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	wantMissing(t, st, scope, "new.txt")
	if keys := listKeys(t, st, scope, ""); len(keys) != 1 {
		t.Errorf("after failed writes List = %q, want only keep.txt", keys)
	}
	if n := usage(t, st, scope); n != int64(len("original")) {
		t.Errorf("after failed writes Usage = %d, want %d", n, len("original"))
	}
}

func testCancelledContext(t *testing.T, st igny8.Storage, scope igny8.Scope) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.Put(ctx, scope, "late.txt", strings.NewReader("x"), ""); err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	wantMissing(t, st, scope, "late.txt")
}
