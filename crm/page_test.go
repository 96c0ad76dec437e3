package crm_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeCursorRoundTrip(t *testing.T) {
	at, id := time.Date(2026, 11, 27, 9, 30, 0, 123456000, time.UTC), crm.NewID()
	gotAt, gotID, err := crm.DecodeTimeCursor("op", crm.EncodeTimeCursor(at, id))
	require.NoError(t, err)
	assert.True(t, gotAt.Equal(at))
	assert.Equal(t, id, gotID)
	zeroAt, zeroID, err := crm.DecodeTimeCursor("op", "")
	require.NoError(t, err)
	assert.True(t, zeroAt.IsZero())
	assert.Equal(t, crm.ID{}, zeroID)
	for _, bad := range []string{"%%%", "bm9wZQ", crm.EncodeTimeCursor(at, id)[:10]} {
		_, _, err := crm.DecodeTimeCursor("op", bad)
		assert.True(t, errors.Is(err, crm.ErrInvalid), bad)
		assert.Equal(t, "cursor", crm.FieldsOf(err)[0].Field)
	}
}

func TestPageLimit(t *testing.T) {
	assert.Equal(t, 50, crm.PageLimit(0))
	assert.Equal(t, 7, crm.PageLimit(7))
	assert.Equal(t, 500, crm.PageLimit(10_000))
}
