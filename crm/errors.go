package crm

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error so that callers (and the HTTP layer) can react without knowing its origin.
type Kind uint8

// The error kinds. The zero Kind is KindInternal: anything not classified is a fault of ours.
const (
	KindInternal        Kind = iota // unexpected failure
	KindNotFound                    // the record does not exist (or belongs to another dealer)
	KindConflict                    // the request clashes with the current state (double booking, duplicate VIN)
	KindInvalid                     // the input breaks a rule; Fields says which
	KindForbidden                   // the caller may not do this
	KindStaleVersion                // the record changed since the caller read it
	KindUnauthenticated             // the caller did not say who it is
	KindUnavailable                 // a dependency (the database) cannot be reached now; retrying later may succeed
)

var kindNames = [...]string{"internal", "not found", "conflict", "invalid", "forbidden", "stale version", "unauthenticated", "unavailable"}

// String names the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Sentinels for errors.Is: errors.Is(err, crm.ErrNotFound) holds for every error of that kind.
var (
	ErrNotFound        = &Error{Kind: KindNotFound}
	ErrConflict        = &Error{Kind: KindConflict}
	ErrInvalid         = &Error{Kind: KindInvalid}
	ErrForbidden       = &Error{Kind: KindForbidden}
	ErrStaleVersion    = &Error{Kind: KindStaleVersion}
	ErrUnauthenticated = &Error{Kind: KindUnauthenticated}
	ErrUnavailable     = &Error{Kind: KindUnavailable}
)

// FieldError names one field of the input and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the kernel's error: a kind, a stable code, the operation that failed, a message, field details for
// invalid input, and an optional cause.
type Error struct {
	Kind    Kind
	Code    Code         // what went wrong, for programs; "" means the code of the kind, or of a kernel error below
	Op      string       // the operation, e.g. "catalog.Service.CreateVehicle"
	Message string       // human-readable, safe to show to the caller
	Fields  []FieldError // for KindInvalid: which fields and why
	Err     error        // the cause, if any
}

// Error formats the error as "op: message: cause". Only the outermost operation is named: the op of a kernel
// error directly below is left out, so a message names one operation however often it was wrapped.
func (e *Error) Error() string {
	if e.Op == "" {
		return e.text(true)
	}
	return e.Op + ": " + e.text(true)
}

// text is the error without its operation: the message (or the kind's name when there is neither a message
// nor a cause), the field details, and the cause (without the operations of kernel errors below; a foreign
// cause only when foreign is true).
func (e *Error) text(foreign bool) string {
	var b strings.Builder
	if e.Message != "" {
		b.WriteString(e.Message)
	} else if e.Err == nil {
		b.WriteString(e.Kind.String())
	}
	for i, f := range e.Fields {
		if i == 0 && b.Len() > 0 {
			b.WriteString(": ")
		} else if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + " " + f.Message)
	}
	if e.Err != nil {
		var cause string
		if inner, ok := e.Err.(*Error); ok {
			cause = inner.text(foreign)
		} else if foreign || hasKernelError(e.Err) {
			cause = e.Err.Error()
		}
		if cause != "" && b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(cause)
	}
	return b.String()
}

// hasKernelError reports whether err's chain holds a *Error.
func hasKernelError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's kind (ErrNotFound, ErrConflict, ...).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Op == "" && t.Message == "" && t.Err == nil && t.Fields == nil && t.Code == "" && t.Kind == e.Kind
}

// KindOf returns the kind of the outermost *Error in err's chain, or KindInternal when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// CodeOf returns err's code: the first code set on a *Error of err's kind along its chain, else the kind's own
// code (CodeInternal for an error with no *Error at all).
func CodeOf(err error) Code {
	kind := KindOf(err)
	for ; err != nil; err = errors.Unwrap(err) {
		if e, ok := err.(*Error); ok && e.Kind == kind && e.Code != "" {
			return e.Code
		}
	}
	return kind.Code()
}

// MessageOf returns err's text as a caller may see it: without operation names and without a foreign cause
// (a driver's error, say) below the last kernel error. It reads the values, never Error() text of kernel errors.
func MessageOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.text(false)
	}
	if err == nil || !hasKernelError(err) {
		return ""
	}
	return err.Error()
}

// FieldsOf returns the field details of every *Error in err's chain.
func FieldsOf(err error) []FieldError {
	var out []FieldError
	for err != nil {
		if e, ok := err.(*Error); ok {
			out = append(out, e.Fields...)
		}
		err = errors.Unwrap(err)
	}
	return out
}

// Wrap names op as the operation that failed with err, keeping err's kind and code; nil stays nil. It is the one
// way a service adds its name: the message then names op alone (see Error.Error).
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok && e.Op == op {
		return err
	}
	return &Error{Kind: KindOf(err), Op: op, Err: err}
}

// NotFound returns a KindNotFound error.
func NotFound(op, format string, args ...any) error {
	return &Error{Kind: KindNotFound, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Conflict returns a KindConflict error.
func Conflict(op, format string, args ...any) error {
	return &Error{Kind: KindConflict, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Duplicate returns a KindConflict error with CodeDuplicate: a record with the same key already exists. Stores
// of every adapter answer a broken uniqueness rule with it.
func Duplicate(op, format string, args ...any) error {
	return &Error{Kind: KindConflict, Code: CodeDuplicate, Op: op, Message: fmt.Sprintf(format, args...)}
}

// DuplicateMessage is the message of a value another record of the dealer already has (DuplicateField).
const DuplicateMessage = "is already taken by another record of the dealer"

// DuplicateField returns the error every adapter returns for a value of field that must be unique per dealer and
// that another record of the dealer already has (an external ID, say): KindConflict, CodeDuplicate, and field
// named in Fields with DuplicateMessage, so that the HTTP API's 409 lists it in errors[] whatever the adapter.
// Its text is "duplicate value: <field> is already taken by another record of the dealer".
func DuplicateField(op, field string) error {
	return &Error{Kind: KindConflict, Code: CodeDuplicate, Op: op, Message: DuplicateSummary,
		Fields: []FieldError{{Field: field, Message: DuplicateMessage}}}
}

// DuplicateSummary is the message of a DuplicateField error, which its field detail follows.
const DuplicateSummary = "duplicate value"

// Forbidden returns a KindForbidden error.
func Forbidden(op, format string, args ...any) error {
	return &Error{Kind: KindForbidden, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Stale returns a KindStaleVersion error.
func Stale(op, format string, args ...any) error {
	return &Error{Kind: KindStaleVersion, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a KindInvalid error carrying the given field details.
func Invalid(op string, fields ...FieldError) error {
	return &Error{Kind: KindInvalid, Op: op, Message: "invalid input", Fields: fields}
}

// Errorf returns an error of kind with a code, for the failures a program should tell apart from others of
// the same kind.
func Errorf(kind Kind, code Code, op, format string, args ...any) error {
	return &Error{Kind: kind, Code: code, Op: op, Message: fmt.Sprintf(format, args...)}
}

// E wraps err with a kind and operation; use it to classify an error from below.
func E(kind Kind, op string, err error) error {
	return &Error{Kind: kind, Op: op, Err: err}
}

// Problems collects field errors while a constructor validates its input.
// The zero value is ready to use.
type Problems struct {
	fields []FieldError
}

// Add records that field is wrong, with a message.
func (p *Problems) Add(field, format string, args ...any) {
	p.fields = append(p.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Require records field as required when value is blank.
func (p *Problems) Require(field, value string) {
	if strings.TrimSpace(value) == "" {
		p.Add(field, "is required")
	}
}

// Merge adds the field details of err (if it is invalid input) under prefix ("customer." say); any other
// error is recorded against prefix itself.
func (p *Problems) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	fs := FieldsOf(err)
	if len(fs) == 0 {
		p.Add(strings.TrimSuffix(prefix, "."), "%v", err)
		return
	}
	for _, f := range fs {
		p.fields = append(p.fields, FieldError{Field: prefix + f.Field, Message: f.Message})
	}
}

// Err returns nil when nothing was recorded, else an Invalid error for op with every field recorded.
func (p *Problems) Err(op string) error {
	if len(p.fields) == 0 {
		return nil
	}
	return Invalid(op, p.fields...)
}
