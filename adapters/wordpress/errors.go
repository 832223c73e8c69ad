package wordpress

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// wpError is WordPress's error body: {"code","message","data":{"status",...}}.
type wpError struct {
	Code    string
	Message string
	Data    wpErrorData
}

type wpErrorData struct {
	Status int `json:"status"`
	// Params is an object of param → reason for rest_invalid_param, a
	// list of names for rest_missing_callback_param.
	Params json.RawMessage `json:"params"`
	TermID json.Number     `json:"term_id"`
}

// parseError decodes a WordPress error body; a body that is not one (an
// HTML error page of a proxy) gives its first line as the message.
func parseError(body []byte) wpError {
	var raw struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err == nil && (raw.Code != "" || raw.Message != "") {
		e := wpError{Code: raw.Code, Message: raw.Message}
		// data is an object, but a PHP quirk may send [] or omit it.
		_ = json.Unmarshal(raw.Data, &e.Data)
		return e
	}
	msg := strings.TrimSpace(string(body))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 200 {
		msg = msg[:200]
		for !utf8.ValidString(msg) {
			msg = msg[:len(msg)-1]
		}
	}
	return wpError{Message: msg}
}

// invalidParams returns the params WordPress refused, sorted, with their
// reasons.
func (e wpError) invalidParams() (names []string, reasons map[string]string) {
	reasons = map[string]string{}
	if len(e.Data.Params) == 0 {
		return nil, reasons
	}
	if err := json.Unmarshal(e.Data.Params, &reasons); err != nil {
		var list []string
		if json.Unmarshal(e.Data.Params, &list) == nil {
			names = slices.Clone(list)
		}
		reasons = map[string]string{}
	}
	for k := range reasons {
		names = append(names, k)
	}
	slices.Sort(names)
	return names, reasons
}

// mapError maps a WordPress answer that is not a success to a
// *publishing.RemoteError with the kernel's code: 401/403 PermissionDenied,
// 400 InvalidArgument naming the refused param, 404/410 NotFound, 429 and
// 5xx Unavailable, an upload refused with 500 InvalidArgument.
func mapError(op string, status int, header http.Header, body []byte) *publishing.RemoteError {
	e := parseError(body)
	re := &publishing.RemoteError{Op: op, Status: status, RemoteCode: e.Code, Message: e.Message}
	if e.Code == "term_exists" {
		id, _ := e.Data.TermID.Int64()
		re.Err = &termExistsError{id: id}
	}
	if re.Message == "" {
		re.Message = http.StatusText(status)
	}
	if re.Message == "" {
		re.Message = "unexpected answer from WordPress"
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		re.Code = igny8.CodePermissionDenied
	case status == http.StatusNotFound || status == http.StatusGone:
		re.Code = igny8.CodeNotFound
	case status == http.StatusConflict:
		re.Code = igny8.CodeConflict
	case status == http.StatusTooManyRequests:
		re.Code = igny8.CodeUnavailable
		re.RetryAfter = parseRetryAfter(header.Get("Retry-After"))
	case status >= 500 && strings.HasPrefix(e.Code, "rest_upload_"):
		// WordPress answers a refused file type (or size) with 500.
		re.Code = igny8.CodeInvalidArgument
	case status >= 500:
		re.Code = igny8.CodeUnavailable
		re.Uncertain = true
		re.RetryAfter = parseRetryAfter(header.Get("Retry-After"))
	case status >= 400:
		re.Code = igny8.CodeInvalidArgument
		re.Field = codeField(e.Code)
		names, reasons := e.invalidParams()
		if len(names) > 0 {
			re.Field = names[0]
			var why []string
			for _, n := range names {
				if r := reasons[n]; r != "" {
					why = append(why, r)
				}
			}
			if len(why) > 0 {
				re.Message += " (" + strings.Join(why, "; ") + ")"
			}
		}
	default:
		re.Code = igny8.CodeInternal
	}
	return re
}

// codeFields names the field of WordPress errors that say which one in
// their code rather than in data.params.
func codeField(code string) string {
	switch code {
	case "rest_invalid_author":
		return "author"
	case "rest_invalid_featured_media":
		return "featured_media"
	case "rest_upload_no_content_disposition", "rest_upload_no_data":
		return "file"
	}
	return ""
}

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// transportError maps a failed round trip: no answer, so the request may
// or may not have been acted on.
func transportError(op string, err error) *publishing.RemoteError {
	return &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Message: "no answer from WordPress", Err: err}
}

func isRemoteCode(err error, code string) bool {
	var re *publishing.RemoteError
	return errors.As(err, &re) && re.RemoteCode == code
}

// termExistsError carries data.term_id of a term_exists answer.
type termExistsError struct{ id int64 }

func (e *termExistsError) Error() string { return "existing term " + strconv.FormatInt(e.id, 10) }
