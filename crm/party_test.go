package crm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+7 900 000-00-00":  "+79000000000",
		"8 (900) 000-00-00": "+79000000000",
		"+1 (555) 010-9999": "+15550109999",
		"12":                "",
		"нет":               "",
	} {
		assert.Equal(t, want, crm.NormalizePhone(in), in)
	}
}

func TestNewCustomerValidatesAndNormalises(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	dealer := crm.NewID()
	c, err := crm.NewCustomer(dealer, crm.Customer{Contact: crm.Contact{FirstName: "Иван", LastName: "Петров",
		Phones: []string{"8 900 000 00 00", "+7 900 000-00-00"}, Emails: []string{" Ivan@Example.ORG "}}}, now)
	require.NoError(t, err)
	assert.Equal(t, []string{"+79000000000"}, c.Phones)
	assert.Equal(t, []string{"ivan@example.org"}, c.Emails)
	assert.Equal(t, "Иван Петров", c.FullName())
	assert.Equal(t, dealer, c.DealerID)

	_, err = crm.NewCustomer(dealer, crm.Customer{Contact: crm.Contact{Emails: []string{"not-an-address"}}}, now)
	require.Error(t, err)
	fields := map[string]bool{}
	for _, f := range crm.FieldsOf(err) {
		fields[f.Field] = true
	}
	assert.True(t, fields["name"] && fields["email"] && fields["phone"], "%v", crm.FieldsOf(err))
}

func TestSplitFullName(t *testing.T) {
	f, m, l := crm.SplitFullName("Иван Сергеевич Петров")
	assert.Equal(t, []string{"Иван", "Сергеевич", "Петров"}, []string{f, m, l})
	f, m, l = crm.SplitFullName("Anna Schmidt")
	assert.Equal(t, []string{"Anna", "", "Schmidt"}, []string{f, m, l})
}

func TestDealerScope(t *testing.T) {
	_, err := crm.DealerFrom(context.Background())
	assert.True(t, errors.Is(err, crm.ErrForbidden))
	id := crm.NewID()
	got, err := crm.DealerFrom(crm.WithDealer(context.Background(), id))
	require.NoError(t, err)
	assert.Equal(t, id, got)
}

func TestManualClock(t *testing.T) {
	c := crm.NewManualClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600)))
	assert.Equal(t, time.UTC, c.Now().Location())
	c.Advance(time.Hour)
	assert.Equal(t, 10, c.Now().Hour())
}

func TestAPIKeyToken(t *testing.T) {
	u, err := crm.NewUser(crm.NewID(), crm.User{Name: "Admin", Role: crm.RoleAdmin}, time.Now())
	require.NoError(t, err)
	k, token, err := crm.NewAPIKey(u, "ci", time.Now())
	require.NoError(t, err)
	assert.Equal(t, crm.HashToken(token), k.Hash)
	assert.NotContains(t, k.Hash, token)
	_, err = crm.NewUser(crm.NewID(), crm.User{Name: "X", Role: "boss"}, time.Now())
	assert.True(t, errors.Is(err, crm.ErrInvalid))
}

func TestScopeKeepsTheInnermostDealerAndActor(t *testing.T) {
	d1, d2, u1, u2 := crm.NewID(), crm.NewID(), crm.NewID(), crm.NewID()
	bg := context.Background()
	assert.Equal(t, crm.ID{}, crm.ActorFrom(bg))
	ctx := crm.WithActor(crm.WithDealer(bg, d1), u1)
	got, err := crm.DealerFrom(ctx)
	require.NoError(t, err)
	assert.Equal(t, d1, got)
	assert.Equal(t, u1, crm.ActorFrom(ctx))

	inner := crm.WithDealer(ctx, d2) // keeps the actor
	got, _ = crm.DealerFrom(inner)
	assert.Equal(t, d2, got)
	assert.Equal(t, u1, crm.ActorFrom(inner))
	inner = crm.WithActor(inner, u2) // keeps the dealer
	got, _ = crm.DealerFrom(inner)
	assert.Equal(t, d2, got)
	assert.Equal(t, u2, crm.ActorFrom(inner))
	got, _ = crm.DealerFrom(ctx) // the outer context is unchanged
	assert.Equal(t, d1, got)

	both := crm.WithScope(context.WithValue(bg, otherKey{}, 1), d2, u2)
	got, _ = crm.DealerFrom(both)
	assert.Equal(t, d2, got)
	assert.Equal(t, u2, crm.ActorFrom(both))
	assert.Equal(t, 1, both.Value(otherKey{}), "other keys are asked of the parent")
	_, err = crm.DealerFrom(crm.WithActor(bg, u1))
	assert.Error(t, err, "an actor without a dealer is no scope")
	_, err = crm.DealerFrom(crm.WithScope(bg, crm.ID{}, u1))
	assert.Error(t, err)

	cctx, cancel := context.WithCancel(bg)
	scoped := crm.WithScope(cctx, d1, u1)
	cancel()
	assert.ErrorIs(t, scoped.Err(), context.Canceled, "cancellation passes through")
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _, _ = crm.DealerFrom(scoped); _ = crm.ActorFrom(scoped) }))
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { scopeSink = crm.WithScope(bg, d1, u1) }))
}

var scopeSink context.Context

type otherKey struct{}

// scopeCarrier is a context type of its own carrying a scope, as the HTTP layer's per-request context does.
type scopeCarrier struct {
	context.Context
	s crm.Scope
}

func (c *scopeCarrier) Value(key any) any {
	if _, ok := key.(crm.ScopeKey); ok {
		return &c.s
	}
	return c.Context.Value(key)
}

// TestAContextOfItsOwnCarriesAScope: a context answering crm.ScopeKey with a *crm.Scope scopes work as WithScope
// does, and WithDealer and WithActor under it keep what it does not replace.
func TestAContextOfItsOwnCarriesAScope(t *testing.T) {
	d1, d2, u1 := crm.NewID(), crm.NewID(), crm.NewID()
	ctx := &scopeCarrier{Context: context.Background(), s: crm.Scope{Dealer: d1, Actor: u1}}
	got, err := crm.DealerFrom(ctx)
	require.NoError(t, err)
	assert.Equal(t, d1, got)
	assert.Equal(t, u1, crm.ActorFrom(ctx))
	inner := crm.WithDealer(ctx, d2)
	got, _ = crm.DealerFrom(inner)
	assert.Equal(t, d2, got)
	assert.Equal(t, u1, crm.ActorFrom(inner))
	_, err = crm.DealerFrom(&scopeCarrier{Context: context.Background()})
	assert.Error(t, err, "a zero scope is no dealer")
}
