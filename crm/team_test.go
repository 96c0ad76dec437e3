package crm_test

import (
	"context"
	"testing"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/require"
)

// TestTeamNotesRevocationsInItsRecord: a Team given a record (crm.WithRevocations) notes the hash of every key it
// revokes there, and only there; a Team without one notes nothing (there is no record of the process).
func TestTeamNotesRevocationsInItsRecord(t *testing.T) {
	b := memory.New()
	ctx := crm.WithDealer(context.Background(), crm.NewID())
	var mine, other crm.Revocations
	team := crm.NewTeam(crm.NewUnit[crm.Stores](b, nil), nil, crm.WithRevocations(&mine))
	bare := crm.NewTeam(crm.NewUnit[crm.Stores](b, nil), nil)
	u, err := team.AddUser(ctx, crm.User{Name: "Мария", Role: crm.RoleAdmin})
	require.NoError(t, err)

	key, _, err := team.IssueAPIKey(ctx, u.ID, crm.KeyRequest{Name: "сайт"})
	require.NoError(t, err)
	_, err = team.RevokeAPIKey(ctx, key.ID, 0)
	require.NoError(t, err)
	var got []string
	_, all := mine.Since(0, func(h string) { got = append(got, h) })
	require.False(t, all)
	require.Equal(t, []string{key.Hash}, got)
	require.Zero(t, other.Count(), "another record is another deployment's")

	key, _, err = bare.IssueAPIKey(ctx, u.ID, crm.KeyRequest{Name: "касса"})
	require.NoError(t, err)
	_, err = bare.RevokeAPIKey(ctx, key.ID, 0)
	require.NoError(t, err)
	require.Equal(t, uint64(1), mine.Count(), "a Team without a record notes nowhere")
}
