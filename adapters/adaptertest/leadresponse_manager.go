package adaptertest

import (
	"context"
	"errors"
	"testing"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testResponseTellsTheManager: a user's manager (crm.User.ManagerID, set with Team.SetManager: another user of the
// dealer, not the user itself, with the version) is told of the owner's breaching lead instead of the dealer's
// admins; an owner without a manager still has the admins told; once per lead.
func testResponseTellsTheManager(t *testing.T, open Open) {
	e, _ := newResponseEnv(t, open, "Начальник")
	team := crm.NewTeam(crm.NewUnit[crm.Stores](e.b, e.clock), e.clock)
	add := func(name, email string, role crm.Role) crm.User {
		u, err := team.AddUser(e.ctx, crm.User{Name: name, Email: email, Role: role})
		require.NoError(t, err)
		return u
	}
	head := add("Начальник отдела", "head@example.org", crm.RoleSalesManager)
	add("Директор", "director@example.org", crm.RoleAdmin)
	owner := add("Продавец", "seller@example.org", crm.RoleSalesManager)
	alone := add("Без начальника", "alone@example.org", crm.RoleSalesManager)

	// The manager is another user of this dealer, set with the version read.
	_, err := team.SetManager(e.ctx, owner.ID, 0, owner.ID)
	assert.Equal(t, []crm.FieldError{{Field: "manager_id", Message: "a user cannot be their own manager"}}, crm.FieldsOf(err))
	_, err = team.SetManager(e.ctx, owner.ID, 0, crm.NewID())
	assert.Equal(t, []crm.FieldError{{Field: "manager_id", Message: "is not a user of this dealer"}}, crm.FieldsOf(err))
	_, err = team.SetManager(e.ctx, owner.ID, 7, head.ID)
	assert.True(t, errors.Is(err, crm.ErrStaleVersion), "%v", err)
	set, err := team.SetManager(e.ctx, owner.ID, owner.Version, head.ID)
	require.NoError(t, err)
	assert.Equal(t, head.ID, set.ManagerID)
	assert.Equal(t, owner.Version+1, set.Version)
	got, err := team.GetUser(e.ctx, owner.ID)
	require.NoError(t, err)
	assert.Equal(t, head.ID, got.ManagerID, "stored")
	other, _ := NewDealer(t, e.b, "Чужой дилер")
	_, err = team.SetManager(other, owner.ID, 0, crm.ID{})
	assert.True(t, errors.Is(err, crm.ErrNotFound), "%v", err)
	_, err = team.AddUser(e.ctx, crm.User{Name: "Новичок", Role: crm.RoleSalesManager, ManagerID: crm.NewID()})
	assert.Equal(t, []string{"manager_id"}, fieldNames(err))

	e.clock.Set(mskAt(30, 10, 0))
	lead := func(name, phone string, ownerID crm.ID) crm.ID {
		l, err := e.leads.CreateLead(e.ctx, leads.LeadInput{Contact: crm.Contact{FirstName: name, Phones: []string{phone}},
			Source: leads.SourceWebsite, NeedType: "car_purchase", OwnerID: ownerID})
		require.NoError(t, err)
		return l.ID
	}
	managed, unmanaged := lead("Первый", "+7 903 222-01-01", owner.ID), lead("Второй", "+7 903 222-02-02", alone.ID)
	e.clock.Set(mskAt(30, 10, 16))
	n, err := e.leads.SweepOverdueResponses(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = e.leads.SweepOverdueResponses(e.ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "once")

	var msgs []crm.Message
	require.NoError(t, crm.NewUnit[crm.Stores](e.b, nil).View(e.ctx, func(ctx context.Context, s crm.Stores) (err error) {
		msgs, err = s.Outbox().List(ctx, 100)
		return err
	}))
	told := map[string]string{}
	for _, m := range msgs {
		if m.Topic == leads.TopicResponseOverdue {
			told[m.Data["lead_id"]+" "+m.Recipient] = m.Data["role"]
		}
	}
	assert.Equal(t, map[string]string{
		managed.String() + " seller@example.org":     "owner",
		managed.String() + " head@example.org":       "manager",
		unmanaged.String() + " alone@example.org":    "owner",
		unmanaged.String() + " director@example.org": "manager",
	}, told, "the owner's manager instead of the admins; the admins for an owner without one")
}
