package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/dealercrm/dealercrm/crm"
)

// sqlStater is what lib/pq's *pq.Error and pgx's *pgconn.PgError both have.
type sqlStater interface{ SQLState() string }

type constrainer interface{ Constraint() string }

// SQLState returns the SQLSTATE of a driver error in err's chain, or "".
func SQLState(err error) string {
	var s sqlStater
	if errors.As(err, &s) {
		return s.SQLState()
	}
	return ""
}

// retryable reports whether a whole transaction should run again: serialization failure or deadlock.
func retryable(err error) bool {
	switch SQLState(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// constraintOf returns the violated constraint's name where the driver tells it.
func constraintOf(err error) string {
	var c constrainer
	if errors.As(err, &c) {
		return c.Constraint()
	}
	// lib/pq exposes it as a field, not a method.
	type pqLike interface{ Get(byte) string }
	var p pqLike
	if errors.As(err, &p) {
		return p.Get('n')
	}
	return ""
}

// mapErr classifies a driver error as a kernel error kind. Serialization failures keep their driver error
// (wrapped) so that the unit of work can retry them.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var ke *crm.Error
	if errors.As(err, &ke) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return crm.E(crm.KindNotFound, op, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return crm.E(crm.KindInternal, op, err)
	}
	state := SQLState(err)
	switch {
	case state == "40001" || state == "40P01":
		return crm.E(crm.KindInternal, op, err)
	case state == "23505":
		return &crm.Error{Kind: crm.KindConflict, Code: crm.CodeDuplicate, Op: op, Message: "already exists (" + constraintOf(err) + ")", Err: err}
	case state == "23P01":
		return &crm.Error{Kind: crm.KindConflict, Op: op, Message: "overlaps an existing record (" + constraintOf(err) + ")", Err: err}
	case state == "23514" || state == "23502" || state == "23503":
		return &crm.Error{Kind: crm.KindInvalid, Op: op, Message: "violates " + constraintOf(err), Err: err}
	case len(state) == 5 && state[:2] == "22":
		return &crm.Error{Kind: crm.KindInvalid, Op: op, Message: "bad data", Err: err}
	case state == "25006":
		return &crm.Error{Kind: crm.KindForbidden, Op: op, Message: "write in a read-only unit of work", Err: err}
	}
	return crm.E(crm.KindInternal, op, err)
}
