package igny8

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error so that callers (and the reference server) can
// react to it without parsing messages. Codes are stable strings.
type Code string

// The error codes every package and adapter maps its failures to.
const (
	CodeNotFound            Code = "not_found"
	CodeInvalidArgument     Code = "invalid_argument"
	CodePermissionDenied    Code = "permission_denied"
	CodeLimitExceeded       Code = "limit_exceeded"
	CodeInsufficientCredits Code = "insufficient_credits"
	CodeConflict            Code = "conflict"
	CodeUnavailable         Code = "unavailable"
	CodeInternal            Code = "internal"
)

// Sentinel errors, one per code, for errors.Is. They match any error that
// carries the same code, whatever its operation or message:
//
//	if errors.Is(err, igny8.ErrNotFound) { ... }
var (
	ErrNotFound            error = codeSentinel(CodeNotFound)
	ErrInvalidArgument     error = codeSentinel(CodeInvalidArgument)
	ErrPermissionDenied    error = codeSentinel(CodePermissionDenied)
	ErrLimitExceeded       error = codeSentinel(CodeLimitExceeded)
	ErrInsufficientCredits error = codeSentinel(CodeInsufficientCredits)
	ErrConflict            error = codeSentinel(CodeConflict)
	ErrUnavailable         error = codeSentinel(CodeUnavailable)
	ErrInternal            error = codeSentinel(CodeInternal)
)

type codeSentinel Code

func (c codeSentinel) Error() string    { return string(c) }
func (c codeSentinel) ErrorCode() Code  { return Code(c) }
func (c codeSentinel) Is(t error) bool  { return sameCode(c, t) }
func (c codeSentinel) String() string   { return string(c) }
func (c codeSentinel) GoString() string { return "igny8.Err(" + string(c) + ")" }

// coder is implemented by every error of this package.
type coder interface{ ErrorCode() Code }

func sameCode(e coder, target error) bool {
	t, ok := target.(codeSentinel)
	return ok && Code(t) == e.ErrorCode()
}

// Error is the error type of the SDK. Op names the operation that failed
// ("sqlstore.GetSite"), Field the input field that was wrong (for
// InvalidArgument), and Err the underlying cause, reachable with errors.As.
type Error struct {
	Code    Code
	Op      string
	Field   string
	Message string
	Err     error
}

// Error formats as "op: field: message: cause", leaving out empty parts.
func (e *Error) Error() string {
	parts := make([]string, 0, 4)
	if e.Op != "" {
		parts = append(parts, e.Op)
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	if e.Message != "" {
		parts = append(parts, e.Message)
	} else if e.Err == nil {
		parts = append(parts, string(e.Code))
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	return strings.Join(parts, ": ")
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the error's code.
func (e *Error) ErrorCode() Code { return e.Code }

// Is reports whether target is the sentinel of e's code.
func (e *Error) Is(target error) bool { return sameCode(e, target) }

// Errorf returns an *Error with the given code and operation and a formatted
// message. A %w verb in format keeps the wrapped error reachable.
func Errorf(code Code, op, format string, args ...any) error {
	wrapped := fmt.Errorf(format, args...)
	e := &Error{Code: code, Op: op, Message: wrapped.Error()}
	if u := errors.Unwrap(wrapped); u != nil {
		e.Message = strings.TrimSuffix(strings.TrimSuffix(e.Message, u.Error()), ": ")
		e.Err = u
	}
	return e
}

// Wrap returns err with a code and operation attached. It returns nil for a
// nil err, and err itself when it already carries a code: the innermost
// operation names the failure, and errors.As finds its field.
func Wrap(code Code, op string, err error) error {
	if err == nil {
		return nil
	}
	if codeOf(err) != "" {
		return err
	}
	return &Error{Code: code, Op: op, Err: err}
}

// InvalidArgument returns an InvalidArgument error naming the field that was
// wrong and why.
func InvalidArgument(op, field, format string, args ...any) error {
	return &Error{Code: CodeInvalidArgument, Op: op, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns a NotFound error for the kind of thing and id that were
// looked for.
func NotFound(op, kind, id string) error {
	return &Error{Code: CodeNotFound, Op: op, Message: fmt.Sprintf("%s %q not found", kind, id)}
}

// CodeOf returns the code of err: the code of the first error in its chain
// that has one, CodeUnavailable for context cancellation and deadlines, ""
// for nil, and CodeInternal for anything else.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if c := codeOf(err); c != "" {
		return c
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return CodeUnavailable
	}
	return CodeInternal
}

func codeOf(err error) Code {
	var c coder
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return ""
}

// LimitError is returned when a plan limit would be passed. It matches
// ErrLimitExceeded and says which limit, its value, what is used and what was
// asked for.
type LimitError struct {
	Op        string
	Limit     Limit
	Max       int64
	Used      int64
	Requested int64
	// Period is the day ("2006-01-02") or month ("2006-01") of a periodic
	// limit, in the account's time zone; empty for count and gauge limits.
	Period string
}

func (e *LimitError) Error() string {
	period := ""
	if e.Period != "" {
		period = " in " + e.Period
	}
	msg := fmt.Sprintf("limit %s exceeded: limit %d, used %d%s, requested %d", e.Limit, e.Max, e.Used, period, e.Requested)
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	return msg
}

// ErrorCode returns CodeLimitExceeded.
func (e *LimitError) ErrorCode() Code { return CodeLimitExceeded }

// Is reports whether target is ErrLimitExceeded.
func (e *LimitError) Is(target error) bool { return sameCode(e, target) }

// Remaining reports how many more units would have fitted.
func (e *LimitError) Remaining() int64 {
	if r := e.Max - e.Used; r > 0 {
		return r
	}
	return 0
}

// CreditError is returned when a debit would drive an account's balance
// below zero. It matches ErrInsufficientCredits.
type CreditError struct {
	Op        string
	AccountID string
	Balance   int64
	Requested int64
}

func (e *CreditError) Error() string {
	msg := fmt.Sprintf("insufficient credits: account %s has %d, requested %d", e.AccountID, e.Balance, e.Requested)
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	return msg
}

// ErrorCode returns CodeInsufficientCredits.
func (e *CreditError) ErrorCode() Code { return CodeInsufficientCredits }

// Is reports whether target is ErrInsufficientCredits.
func (e *CreditError) Is(target error) bool { return sameCode(e, target) }
