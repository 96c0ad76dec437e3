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
