package fsstorage

import (
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateKeyAccepts(t *testing.T) {
	for _, key := range []string{
		"a", "a.txt", "images/2026/featured-1.webp", "exports/my export.csv", "café/ü.png",
		"a.b.c", "comx/lpt", "con-tent.txt", "com10.txt", "lpt/com", "x~y(1)",
		strings.Repeat("s", MaxSegmentBytes), strings.Repeat("d/", MaxKeySegments-1) + "x",
	} {
		if err := ValidateKey(key); err != nil {
			t.Errorf("ValidateKey(%q) = %v, want nil", key, err)
		}
	}
}

func TestValidatePrefix(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{
		{"", true}, {"img/", true}, {"img", true}, {"img/fe", true}, {"report v1.", true},
		{"a/b/", true}, {"../", false}, {"..", false}, {"/", false}, {"/x", false},
		{"a//", false}, {"a\\", false}, {"a/./", false}, {"con/", false}, {".x", false},
	} {
		err := validatePath("test", "prefix", tc.prefix, true)
		if (err == nil) != tc.ok {
			t.Errorf("prefix %q: err = %v, want ok=%t", tc.prefix, err, tc.ok)
		}
	}
}

// FuzzValidateKey checks that every key ValidateKey accepts is a clean,
// relative, in-site path on every OS this code may run on.
func FuzzValidateKey(f *testing.F) {
	for _, s := range []string{"a", "a/b.png", "../x", "a/../b", "/etc/passwd", `a\b`, "a\x00b", "CON", "con.txt",
		"a//b", ".", "..", " a", "a.", "c:x", "com1", "LPT¹", "café/ü", "a/./b", "…/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if ValidateKey(key) != nil {
			return
		}
		if !utf8.ValidString(key) || key == "" || len(key) > MaxKeyBytes {
			t.Fatalf("accepted %q: empty, too long or invalid UTF-8", key)
		}
		if path.Clean(key) != key || path.IsAbs(key) || strings.HasPrefix(key, "../") || key == ".." {
			t.Fatalf("accepted %q, which is not a clean relative path", key)
		}
		if strings.ContainsAny(key, "\\:\x00") {
			t.Fatalf("accepted %q with a backslash, colon or NUL", key)
		}
		for _, seg := range strings.Split(key, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") || isDeviceName(seg) {
				t.Fatalf("accepted %q with segment %q", key, seg)
			}
		}
		root := filepath.FromSlash("/srv/root/site")
		joined := filepath.Join(root, filepath.FromSlash(key))
		if !strings.HasPrefix(joined, root+string(filepath.Separator)) {
			t.Fatalf("accepted %q, which joins to %q outside %q", key, joined, root)
		}
		// A key accepted is also accepted as a List prefix.
		if err := validatePath("fuzz", "prefix", key, true); err != nil {
			t.Fatalf("key %q accepted but refused as a prefix: %v", key, err)
		}
	})
}
