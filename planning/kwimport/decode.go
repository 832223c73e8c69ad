package kwimport

import (
	"unicode/utf16"
	"unicode/utf8"
)

// decode returns data as UTF-8 bytes and the name of the encoding found.
// UTF-16 is recognised by its byte order mark, or without one by the NUL
// bytes every ASCII character leaves in it (Ahrefs and Keyword Planner
// export UTF-16). An unpaired surrogate becomes the byte 0xFF, which is
// never valid UTF-8, so the row holding it is rejected as bad encoding with
// its line number like any other malformed row.
func decode(data []byte) ([]byte, string, error) {
	switch {
	case len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF:
		return data[3:], "utf-8", nil
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		out, err := decodeUTF16(data[2:], false)
		return out, "utf-16le", err
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		out, err := decodeUTF16(data[2:], true)
		return out, "utf-16be", err
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		out, err := decodeUTF16(data, false)
		return out, "utf-16le", err
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		out, err := decodeUTF16(data, true)
		return out, "utf-16be", err
	}
	return data, "utf-8", nil
}

type oddLengthError int

func (e oddLengthError) Error() string { return "UTF-16 input has an odd number of bytes" }

func decodeUTF16(data []byte, bigEndian bool) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, oddLengthError(len(data))
	}
	out := make([]byte, 0, len(data)/2+16)
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(data[i])<<8 | uint16(data[i+1])
		}
		return uint16(data[i+1])<<8 | uint16(data[i])
	}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(data); i += 2 {
		u := unit(i)
		switch {
		case u < 0xD800 || u > 0xDFFF:
			n := utf8.EncodeRune(buf[:], rune(u))
			out = append(out, buf[:n]...)
		case u <= 0xDBFF && i+3 < len(data):
			u2 := unit(i + 2)
			if u2 >= 0xDC00 && u2 <= 0xDFFF {
				n := utf8.EncodeRune(buf[:], utf16.DecodeRune(rune(u), rune(u2)))
				out = append(out, buf[:n]...)
				i += 2
				continue
			}
			out = append(out, 0xFF)
		default:
			out = append(out, 0xFF)
		}
	}
	return out, nil
}
