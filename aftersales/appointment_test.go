package aftersales_test

import (
	"errors"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A booked appointment is a no-show only once its start has come: a minute before it is refused (nothing
// changes), at the start it is allowed.
func TestNoShowOnlyFromTheStart(t *testing.T) {
	start := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	a := aftersales.Appointment{Status: aftersales.AppointmentBooked, Start: start, End: start.Add(time.Hour)}
	err := a.Step("no-show", start.Add(-time.Minute))
	assert.True(t, errors.Is(err, aftersales.ErrAppointmentStatus), "%v", err)
	assert.Equal(t, aftersales.AppointmentBooked, a.Status)
	require.NoError(t, a.Step("no-show", start))
	assert.Equal(t, aftersales.AppointmentNoShow, a.Status)
	assert.Equal(t, start, a.ClosedAt)
}
