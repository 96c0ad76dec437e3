package crm_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
)

func TestErrorKindsWorkWithErrorsIsAndAs(t *testing.T) {
	base := crm.NotFound("leads.Get", "lead %s not found", "x")
	wrapped := fmt.Errorf("loading: %w", base)
	assert.True(t, errors.Is(wrapped, crm.ErrNotFound))
	assert.False(t, errors.Is(wrapped, crm.ErrConflict))
	var e *crm.Error
	assert.True(t, errors.As(wrapped, &e))
	assert.Equal(t, "leads.Get", e.Op)
	assert.Equal(t, crm.KindNotFound, crm.KindOf(wrapped))
	assert.Equal(t, crm.KindInternal, crm.KindOf(errors.New("plain")))

	domain := &crm.Error{Kind: crm.KindConflict, Op: "catalog", Message: "vehicle is reserved"}
	err := fmt.Errorf("vehicle 1: %w", domain)
	assert.True(t, errors.Is(err, domain))
	assert.True(t, errors.Is(err, crm.ErrConflict))
	//lint:ignore SA1032 the reversed order is the point: a kind sentinel is not every error of its kind
	assert.False(t, errors.Is(crm.ErrConflict, domain), "a kind sentinel is not every conflict")
}

func TestProblemsCollectFields(t *testing.T) {
	var p crm.Problems
	assert.NoError(t, p.Err("op"))
	p.Require("name", "  ")
	p.Add("vin", "must be 17 characters, not %d", 5)
	p.Merge("customer.", crm.Invalid("x", crm.FieldError{Field: "email", Message: "is not an e-mail address"}))
	err := p.Err("op")
	assert.True(t, errors.Is(err, crm.ErrInvalid))
	assert.Equal(t, []crm.FieldError{
		{Field: "name", Message: "is required"},
		{Field: "vin", Message: "must be 17 characters, not 5"},
		{Field: "customer.email", Message: "is not an e-mail address"},
	}, crm.FieldsOf(err))
	assert.Contains(t, err.Error(), "vin must be 17 characters")
}

func TestCodeOf(t *testing.T) {
	reserved := &crm.Error{Kind: crm.KindConflict, Code: crm.CodeVehicleReserved, Message: "vehicle is reserved"}
	err := crm.Wrap("leads.Service.BookTestDrive", fmt.Errorf("vehicle 1 held for test drive 2: %w", reserved))
	assert.Equal(t, crm.CodeVehicleReserved, crm.CodeOf(err), "the code is found below wrappers")
	assert.Equal(t, crm.KindConflict, crm.KindOf(err))
	assert.True(t, errors.Is(err, reserved))
	assert.Equal(t, crm.CodeNotFound, crm.CodeOf(crm.NotFound("op", "x")), "a kind-level default")
	assert.Equal(t, crm.CodeInvalidInput, crm.CodeOf(crm.Invalid("op", crm.FieldError{Field: "a", Message: "b"})))
	assert.Equal(t, crm.CodeInternal, crm.CodeOf(errors.New("plain")))
	assert.Equal(t, crm.CodeInternal, crm.CodeOf(crm.E(crm.KindInternal, "op", reserved)),
		"a code of another kind below does not leak out")
	assert.Equal(t, crm.CodeStaleVersion, crm.CodeOf(crm.Stale("op", "x")))
	for _, c := range crm.Codes() {
		assert.True(t, c.Valid())
	}
	assert.False(t, crm.Code("nope").Valid())
	for k := crm.KindInternal; k <= crm.KindUnauthenticated; k++ {
		assert.True(t, k.Code().Valid(), "kind %s has a listed code", k)
	}
}

func TestWrapNamesOneOperation(t *testing.T) {
	const op = "leads.Service.BookTestDrive"
	inner := crm.Errorf(crm.KindConflict, crm.CodeTestDriveOverlap, op, "vehicle 1 already has test drive 2")
	err := crm.Wrap(op, crm.Wrap(op, inner))
	assert.Equal(t, op+": vehicle 1 already has test drive 2", err.Error())
	err = crm.Wrap(op, crm.NotFound("memory.leads.Get", "lead 9 not found"))
	assert.Equal(t, op+": lead 9 not found", err.Error(), "the store's op is left out")
	assert.Equal(t, crm.KindNotFound, crm.KindOf(err))
	assert.Nil(t, crm.Wrap(op, nil))

	foreign := crm.E(crm.KindInternal, "postgres.Begin", errors.New("pq: connection refused"))
	assert.Equal(t, "postgres.Begin: pq: connection refused", foreign.Error(), "logs keep the cause")
	assert.Equal(t, "", crm.MessageOf(foreign), "callers never see it")
	assert.Equal(t, "lead 9 not found", crm.MessageOf(err))
}

func TestCheckVersion(t *testing.T) {
	for _, tc := range []struct {
		stored, expected int64
		stale            bool
	}{{3, 0, false}, {3, 3, false}, {3, 2, true}, {3, 4, true}} {
		err := crm.CheckVersion("test.Op", tc.stored, tc.expected)
		if got := errors.Is(err, crm.ErrStaleVersion); got != tc.stale {
			t.Errorf("CheckVersion(%d, %d) = %v, want stale %v", tc.stored, tc.expected, err, tc.stale)
		}
	}
}
