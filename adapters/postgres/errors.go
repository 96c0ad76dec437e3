package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"

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

// retryable reports whether a whole transaction should run again: serialization failure, deadlock, or a
// prepared statement whose plan a change of the schema invalidated (run again, it is prepared afresh).
func retryable(err error) bool {
	switch SQLState(err) {
	case "40001", "40P01":
		return true
	}
	return planInvalidated(err)
}

// canceledBy returns err with ctx's error in its chain when the server canceled a statement because ctx ended
// (SQLSTATE 57014: lib/pq asks the server to cancel the running statement when its context is done, and reports
// the server's error, not the context's), so that callers see a timeout or a cancellation as such. Any other err
// is returned as it is.
func canceledBy(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || SQLState(err) != "57014" || errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w: %w", ctx.Err(), err)
}

// planInvalidated reports whether err is the server refusing a prepared statement because the schema changed
// since it was prepared: SQLSTATE 0A000 (feature_not_supported) with "cached plan must not change result type".
// Other errors of that class are not transient and are not retried.
func planInvalidated(err error) bool {
	return SQLState(err) == "0A000" && strings.Contains(err.Error(), "cached plan must not change result type")
}

// connectionLost reports whether err says the connection to the database is gone or cannot be made: the
// driver's bad connection, a connection exception (SQLSTATE class 08), the server shutting down or refusing
// connections (57P01–57P03, 53300), or a network error (reset, refused, EOF, timeout).
func connectionLost(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	switch state := SQLState(err); {
	case strings.HasPrefix(state, "08"), state == "57P01", state == "57P02", state == "57P03", state == "53300":
		return true
	case state != "":
		return false
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// dialFailed reports whether err is a failure to open a new connection (refused, unreachable, timed out): the
// database is down or cut off, and another attempt now would fail alike.
func dialFailed(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" || SQLState(err) == "57P03" || SQLState(err) == "53300"
}

// ErrorFields reads a field of a driver's error report by its protocol code ('n' constraint, 't' table, 'c'
// column): ok is false when err is not that driver's error. lib/pq's errors are read without one (they have
// Get); a driver whose errors keep the fields elsewhere registers one (RegisterErrorFields), as pgxdb does for
// pgx's *pgconn.PgError.
type ErrorFields func(err error, code byte) (value string, ok bool)

var (
	errorFieldsMu sync.RWMutex
	errorFields   []ErrorFields
)

// RegisterErrorFields adds a reader of a driver's error fields, consulted by the error mapping (SQLSTATE class
// 23 errors name the violated constraint's field). Call it from the driver glue package's init.
func RegisterErrorFields(f ErrorFields) {
	errorFieldsMu.Lock()
	defer errorFieldsMu.Unlock()
	errorFields = append(errorFields, f)
}

// constraintOf returns the violated constraint's name where the driver tells it.
func constraintOf(err error) string {
	var c constrainer
	if errors.As(err, &c) {
		return c.Constraint()
	}
	return driverField(err, 'n')
}

// mapErr classifies a driver error as a kernel error kind. Serialization failures keep their driver error
// (wrapped) so that the unit of work can retry them. A violated constraint becomes a kind, a code and the field
// it guards (see constraintFields); its name, which is the schema's and not the API's, stays in the wrapped
// driver error for the logs and is never in the message a caller sees.
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
	if connectionLost(err) {
		return &crm.Error{Kind: crm.KindUnavailable, Op: op, Message: "the database cannot be reached", Err: err}
	}
	state := SQLState(err)
	switch {
	case state == "40001" || state == "40P01":
		return crm.E(crm.KindInternal, op, err)
	case state == "23505", state == "23P01", state == "23514", state == "23502", state == "23503":
		return constraintErr(op, state, err)
	case len(state) == 5 && state[:2] == "22":
		return &crm.Error{Kind: crm.KindInvalid, Op: op, Message: "bad data", Err: err}
	case state == "25006":
		return &crm.Error{Kind: crm.KindForbidden, Op: op, Message: "write in a read-only unit of work", Err: err}
	}
	return crm.E(crm.KindInternal, op, err)
}

// guard is what a constraint protects, as a caller may see it: the field, the code and the message.
type guard struct {
	field   string
	code    crm.Code
	message string
}

// constraintFields names the field (and, where one says more than the kind's, the code) of every named
// constraint of the migrations. PostgreSQL's own names (<table>_<column>_check, _key, _fkey, _pkey, _excl)
// need no entry: the column is the field. A constraint found in neither way is reported without a field.
var constraintFields = map[string]guard{
	"orders_number":                  {field: "number"},
	"orders_one_per_sale":            {field: "sale_id", code: crm.CodeOrderExists, message: "the sale already has an order"},
	"orders_totals":                  {field: "lines", message: "net plus VAT must equal gross"},
	"order_lines_id":                 {field: "lines", message: "a line with this id already exists"},
	"order_lines_totals":             {field: "lines", message: "net plus VAT must equal gross"},
	"order_lines_vehicle":            {field: "lines", message: "a vehicle line is one catalog vehicle"},
	"order_lines_one_vehicle":        {field: "lines", code: crm.CodeVehicleLineExists, message: "the order already has a vehicle line"},
	"vehicles_external_id":           {field: "external_id"},
	"customers_external_id":          {field: "external_id"},
	"leads_external_id":              {field: "external_id"},
	"sales_external_id":              {field: "external_id"},
	"vehicles_dealer_vin":            {field: "vin"},
	"parts_number_unique":            {field: "number"},
	"services_dealer_code":           {field: "code"},
	"need_types_code":                {field: "code"},
	"lead_stages_code":               {field: "code"},
	"sales_stages_code":              {field: "code"},
	"sales_stages_order":             {field: "sort_order"},
	"sales_stages_one_closed":        {field: "kind", code: crm.CodeStageClash, message: "the dealer already has a stage of this kind"},
	"sales_stages_won_is_certain":    {field: "max_probability", message: "must be 100 for a won stage"},
	"sales_stages_lost_is_zero":      {field: "max_probability", message: "must be 0 for a lost stage"},
	"sales_won_at":                   {field: "status"},
	"sales_won_has_vehicle":          {field: "vehicle_id", message: "is required for a won sale"},
	"sales_won_is_certain":           {field: "probability", message: "must be 100 for a won sale"},
	"sales_lost_has_reason":          {field: "reason", message: "is required for a lost sale"},
	"sales_one_won_per_vehicle":      {field: "vehicle_id", code: crm.CodeVehicleSold, message: "the vehicle is already sold in another sale"},
	"leads_need_type":                {field: "need_type", message: "is not one of the dealer's need types"},
	"leads_converted_has_sale":       {field: "sale_id", message: "is required for a converted lead"},
	"test_drives_slot":               {field: "end", message: "must be after start"},
	"test_drives_driver":             {field: "lead_id", message: "a lead or a customer is required"},
	"test_drives_cancel_reason":      {field: "reason", message: "is required to cancel"},
	"test_drives_no_overlap":         {field: "start", code: crm.CodeTestDriveOverlap, message: "the vehicle has an overlapping test drive"},
	"customer_vehicles_sold_in_sale": {field: "sale_id", message: "is required for a sold vehicle"},
	"customer_vehicles_period":       {field: "insurance.valid_to", message: "must be after the insurance's start"},
	"customer_vehicles_one_per_sale": {field: "vehicle_id", message: "the sale already recorded this vehicle"},
	"customer_vehicles_vin":          {field: "vin"},
	"appraisals_one_trade_in":        {field: "trade_in_appraisal_id", message: "the sale already has a trade-in"},
	"appraisals_trade_in_approved":   {field: "trade_in_appraisal_id", message: "only an approved appraisal is a trade-in"},
	"appraisal_templates_one":        {field: "elements", message: "the dealer already has a checklist template"},
}

// defaultConstraintSuffixes are the endings of the names PostgreSQL gives constraints it names itself.
var defaultConstraintSuffixes = []string{"_check", "_key", "_fkey", "_pkey", "_excl"}

// guardOf returns what the constraint violated by err protects: from constraintFields, else from a default name
// (<table>_<column>_<suffix>; a primary key guards id), else from the column the driver names (NOT NULL).
func guardOf(err error) guard {
	name := constraintOf(err)
	if g, ok := constraintFields[name]; ok {
		return g
	}
	table := driverField(err, 't')
	if name != "" && table != "" && strings.HasPrefix(name, table+"_") {
		if strings.HasSuffix(name, "_pkey") {
			return guard{field: "id"}
		}
		for _, suffix := range defaultConstraintSuffixes {
			if col, ok := strings.CutSuffix(strings.TrimPrefix(name, table+"_"), suffix); ok && col != "" {
				return guard{field: col}
			}
		}
	}
	if col := driverField(err, 'c'); col != "" {
		return guard{field: col}
	}
	return guard{}
}

// constraintErr maps an integrity violation (SQLSTATE class 23) to a kernel error naming the guarded field.
func constraintErr(op, state string, err error) error {
	g := guardOf(err)
	e := &crm.Error{Op: op, Code: g.code, Err: err}
	switch state {
	case "23505":
		e.Kind, e.Message = crm.KindConflict, crm.DuplicateMessage
		if e.Code == "" {
			e.Code = crm.CodeDuplicate
		}
	case "23P01":
		e.Kind, e.Message = crm.KindConflict, "overlaps an existing record"
	case "23503":
		e.Kind, e.Message = crm.KindInvalid, "refers to a record that does not exist"
	case "23502":
		e.Kind, e.Message = crm.KindInvalid, "is required"
	default:
		e.Kind, e.Message = crm.KindInvalid, "is out of the allowed range"
	}
	if g.message != "" {
		e.Message = g.message
	}
	if e.Kind == crm.KindInvalid && e.Code != "" {
		e.Code = ""
	}
	if g.field != "" {
		e.Fields = []crm.FieldError{{Field: g.field, Message: e.Message}}
		switch {
		case e.Kind == crm.KindInvalid:
			e.Message = "invalid input"
		case e.Code == crm.CodeDuplicate:
			e.Message = crm.DuplicateSummary // as crm.DuplicateField: the field detail follows
		default:
			e.Message = "conflicting value"
		}
	}
	return e
}

// driverField returns a field of the driver's error report by its protocol code ('n' constraint, 't' table, 'c'
// column), where the driver tells it (lib/pq's Get, or a registered ErrorFields); "" otherwise.
func driverField(err error, code byte) string {
	// lib/pq exposes the fields through Get, not as methods of their own.
	type pqLike interface{ Get(byte) string }
	var p pqLike
	if errors.As(err, &p) {
		return p.Get(code)
	}
	errorFieldsMu.RLock()
	defer errorFieldsMu.RUnlock()
	for _, f := range errorFields {
		if v, ok := f(err, code); ok {
			return v
		}
	}
	return ""
}
