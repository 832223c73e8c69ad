package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/igny8/sdk/igny8"
)

// SQLite result codes (extended) the store maps.
const (
	sqliteBusy             = 5
	sqliteLocked           = 6
	sqliteConstraintFK     = 787
	sqliteConstraintPK     = 1555
	sqliteConstraintUnique = 2067
	sqliteConstraintCheck  = 275
)

// Postgres SQLSTATE codes the store maps.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgCheckViolation       = "23514"
	pgInvalidText          = "22P02"
	pgUntranslatable       = "22P05"
	pgCharNotValid         = "22021"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgAdminShutdown        = "57P01"
	pgCannotConnectNow     = "57P03"
)

// sqliteCoder is what modernc.org/sqlite's *Error implements; matching the
// method keeps the store free of a direct driver import (sqliteshim picks
// the driver per platform).
type sqliteCoder interface{ Code() int }

type errClass int

const (
	classOther errClass = iota
	classUnique
	classForeignKey
	classCheck
	classInvalid
	classBusy
	classConn
)

func classify(err error) errClass {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			return classUnique
		case pgForeignKeyViolation:
			return classForeignKey
		case pgCheckViolation:
			return classCheck
		case pgInvalidText, pgUntranslatable, pgCharNotValid:
			return classInvalid
		case pgSerializationFailure, pgDeadlockDetected:
			return classBusy
		case pgAdminShutdown, pgCannotConnectNow:
			return classConn
		}
		return classOther
	}
	var sc sqliteCoder
	if errors.As(err, &sc) {
		code := sc.Code()
		switch {
		case code == sqliteConstraintUnique || code == sqliteConstraintPK:
			return classUnique
		case code == sqliteConstraintFK:
			return classForeignKey
		case code == sqliteConstraintCheck:
			return classCheck
		case code&0xff == sqliteBusy || code&0xff == sqliteLocked:
			return classBusy
		}
		return classOther
	}
	// The cgo driver (mattn) on other platforms: match its messages.
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return classUnique
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return classForeignKey
	case strings.Contains(msg, "CHECK constraint failed"):
		return classCheck
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "database table is locked"):
		return classBusy
	}
	return classOther
}

func isBusy(err error) bool { return err != nil && classify(err) == classBusy }

// mapErr gives a driver error the kernel's code, keeping it reachable with
// errors.As. sql.ErrNoRows is mapped by the callers, which know what was
// looked for.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var ke interface{ ErrorCode() igny8.Code }
	if errors.As(err, &ke) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &igny8.Error{Code: igny8.CodeUnavailable, Op: op, Err: err}
	}
	switch classify(err) {
	case classUnique:
		return &igny8.Error{Code: igny8.CodeConflict, Op: op, Message: "already exists", Err: err}
	case classForeignKey:
		return &igny8.Error{Code: igny8.CodeNotFound, Op: op, Message: "refers to a missing row", Err: err}
	case classCheck, classInvalid:
		return &igny8.Error{Code: igny8.CodeInvalidArgument, Op: op, Message: "value refused by the database", Err: err}
	case classBusy, classConn:
		return &igny8.Error{Code: igny8.CodeUnavailable, Op: op, Err: err}
	}
	return &igny8.Error{Code: igny8.CodeInternal, Op: op, Err: err}
}

// notFound builds a NotFound error for kind/id, keeping cause (if any).
func notFound(op, kind, id string, cause error) error {
	e := igny8.NotFound(op, kind, id).(*igny8.Error)
	if cause != nil && !errors.Is(cause, sql.ErrNoRows) {
		e.Err = cause
	}
	return e
}

// conflict builds a Conflict error for kind/id.
func conflict(op, kind, id string, cause error) error {
	return igny8.Errorf(igny8.CodeConflict, op, "%s %q already exists: %w", kind, id, cause)
}

// rowErr maps a single-row read's error: no rows is NotFound of kind/id.
func rowErr(op, kind, id string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(op, kind, id, nil)
	}
	return mapErr(op, err)
}

// writeErr maps a create's error: a duplicate is Conflict of kind/id.
func writeErr(op, kind, id string, err error) error {
	if err != nil && classify(err) == classUnique {
		return conflict(op, kind, id, err)
	}
	return mapErr(op, err)
}
