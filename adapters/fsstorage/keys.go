package fsstorage

import (
	"strings"
	"unicode/utf8"

	"github.com/igny8/sdk/igny8"
)

// Key limits.
const (
	// MaxKeyBytes bounds a whole key.
	MaxKeyBytes = 1024
	// MaxSegmentBytes bounds one slash-separated segment (a file or
	// directory name; most file systems allow 255 bytes).
	MaxSegmentBytes = 255
	// MaxKeySegments bounds the depth of a key.
	MaxKeySegments = 32
	// MaxSiteIDBytes bounds a site id.
	MaxSiteIDBytes = 128
)

// ValidateKey reports whether key is a storage key this adapter (and, by
// the igny8.Storage contract, any adapter) accepts: a relative,
// slash-separated path of 1 to MaxKeySegments segments and at most
// MaxKeyBytes bytes of valid UTF-8, with
//
//   - no empty segment (no leading, trailing or doubled slash) and no "."
//     or ".." segment;
//   - no segment that starts or ends with a space or a dot (a leading dot
//     also keeps keys apart from the adapter's own hidden files);
//   - no segment longer than MaxSegmentBytes;
//   - no control character, backslash, or any of : * ? " < > |;
//   - no Windows device name as a segment, with or without an extension
//     (CON, PRN, AUX, NUL, COM0–9, LPT0–9, CONIN$, CONOUT$, in any case).
//
// It returns an InvalidArgument error naming the field "key" and saying
// what is wrong.
func ValidateKey(key string) error {
	return validatePath("fsstorage.ValidateKey", "key", key, false)
}

// validatePath checks a key, or a List prefix when prefix is true: a prefix
// may be empty, may end with "/", and its last (partial) segment may end
// with a dot or a space.
func validatePath(op, field, s string, prefix bool) error {
	if s == "" {
		if prefix {
			return nil
		}
		return igny8.InvalidArgument(op, field, "is required")
	}
	if len(s) > MaxKeyBytes {
		return igny8.InvalidArgument(op, field, "must be at most %d bytes, got %d", MaxKeyBytes, len(s))
	}
	if !utf8.ValidString(s) {
		return igny8.InvalidArgument(op, field, "must be valid UTF-8: %q", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return igny8.InvalidArgument(op, field, "must not contain control character %U: %q", r, s)
		}
		if strings.ContainsRune(`\:*?"<>|`, r) {
			return igny8.InvalidArgument(op, field, "must not contain %q: %q", r, s)
		}
	}
	if s[0] == '/' {
		return igny8.InvalidArgument(op, field, "must be a relative path, got %q", s)
	}
	body := s
	if prefix {
		body = strings.TrimSuffix(s, "/")
		if body == "" {
			return igny8.InvalidArgument(op, field, "must not be only a slash")
		}
	}
	segs := strings.Split(body, "/")
	if len(segs) > MaxKeySegments {
		return igny8.InvalidArgument(op, field, "must have at most %d segments, got %d", MaxKeySegments, len(segs))
	}
	for i, seg := range segs {
		partial := prefix && i == len(segs)-1 && !strings.HasSuffix(s, "/")
		if err := validateSegment(op, field, s, seg, partial); err != nil {
			return err
		}
	}
	return nil
}

func validateSegment(op, field, whole, seg string, partial bool) error {
	switch {
	case seg == "":
		return igny8.InvalidArgument(op, field, "must not have an empty segment: %q", whole)
	case seg == "." || seg == "..":
		return igny8.InvalidArgument(op, field, "must not have a %q segment: %q", seg, whole)
	case len(seg) > MaxSegmentBytes:
		return igny8.InvalidArgument(op, field, "segment must be at most %d bytes, got %d", MaxSegmentBytes, len(seg))
	case seg[0] == ' ' || seg[0] == '.':
		return igny8.InvalidArgument(op, field, "segment %q must not start with a space or a dot", seg)
	case !partial && (seg[len(seg)-1] == ' ' || seg[len(seg)-1] == '.'):
		return igny8.InvalidArgument(op, field, "segment %q must not end with a space or a dot", seg)
	case !partial && isDeviceName(seg):
		return igny8.InvalidArgument(op, field, "segment %q is a reserved device name", seg)
	}
	return nil
}

// isDeviceName reports whether seg names a Windows device, which opens the
// device instead of a file on Windows whatever the extension ("con.txt").
func isDeviceName(seg string) bool {
	base := seg
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) >= 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// validateSiteID checks that id can be one directory name: 1 to
// MaxSiteIDBytes of letters, digits, '-' and '_', starting with a letter or
// digit, and no device name.
func validateSiteID(op, id string) error {
	if id == "" {
		return igny8.InvalidArgument(op, "scope.site_id", "is required")
	}
	if len(id) > MaxSiteIDBytes {
		return igny8.InvalidArgument(op, "scope.site_id", "must be at most %d bytes, got %d", MaxSiteIDBytes, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '-' && c != '_') {
			return igny8.InvalidArgument(op, "scope.site_id", "must be letters, digits, '-' and '_', starting with a letter or digit, got %q", id)
		}
	}
	if isDeviceName(id) {
		return igny8.InvalidArgument(op, "scope.site_id", "%q is a reserved device name", id)
	}
	return nil
}
