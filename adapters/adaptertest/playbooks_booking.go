package adaptertest

import (
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPlaybookBookingCompletesSteps: booking a test drive from a lead completes, by itself and naming the event,
// the open steps waiting for a test drive of the lead and of its customer (here a sale's step at the test-drive
// stage), and nothing else: the lead's step waiting for nothing stays open, and so do the same steps of another
// lead and of another customer's sale. A second booking finds nothing more to complete; a booking for a customer
// without a lead completes that customer's steps (outside review D3). (The PostgreSQL adapter
// reads these steps in the booking's joined read, playbooks.StepsReadAhead; the memory adapter lists them.)
func testPlaybookBookingCompletesSteps(t *testing.T, open Open) {
	e := newPlaybookEnv(t, open(t), "Поездка")
	buyer := e.customer("Покупатель с лидом")
	l, err := e.leads.CreateLead(e.ctx, leads.LeadInput{CustomerID: buyer.ID,
		Contact: crm.Contact{FirstName: "Олег", Phones: []string{"+7 901 7654321"}}, Source: leads.SourceWebsite, NeedType: "car_purchase"})
	require.NoError(t, err)
	other := e.lead("Другой", "Vesta", crm.ID{})
	for _, id := range []crm.ID{l.ID, other.ID} {
		_, err = e.leads.MoveLeadStage(e.ctx, id, 0, leads.StageInWork, "")
		require.NoError(t, err)
	}
	sale := e.open(buyer.ID, crm.ID{})
	stranger := e.open(e.customer("Чужой клиент").ID, crm.ID{})
	for _, s := range []crm.ID{sale.ID, stranger.ID} {
		_, err = e.svc.EditSale(e.ctx, s, 0, sales.Edit{StageID: e.stage("test_drive").ID})
		require.NoError(t, err)
	}
	require.Equal(t, activities.Open, e.steps(activities.Query{LeadID: l.ID})["book_test_drive"].Status)
	require.Equal(t, activities.Open, e.steps(activities.Query{SaleID: sale.ID})["book_test_drive"].Status)
	require.Equal(t, buyer.ID, e.steps(activities.Query{SaleID: sale.ID})["book_test_drive"].CustomerID,
		"the sale's step is the customer's too")

	d, err := e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle("Vesta", "1500000").ID,
		Start: Epoch.Add(50 * time.Hour)})
	require.NoError(t, err)
	require.Equal(t, buyer.ID, d.CustomerID)
	for name, step := range map[string]activities.Activity{
		"the lead's":     e.steps(activities.Query{LeadID: l.ID})["book_test_drive"],
		"the customer's": e.steps(activities.Query{SaleID: sale.ID})["book_test_drive"],
	} {
		assert.Equal(t, activities.Done, step.Status, name)
		assert.Contains(t, step.Result, string(crm.EventTestDriveBooked), name)
		assert.Equal(t, e.user, step.CompletedBy, name)
	}
	assert.Equal(t, activities.Open, e.steps(activities.Query{LeadID: l.ID})["needs"].Status, "a step waiting for no event")
	assert.Equal(t, activities.Open, e.steps(activities.Query{LeadID: other.ID})["book_test_drive"].Status, "another lead's")
	assert.Equal(t, activities.Open, e.steps(activities.Query{SaleID: stranger.ID})["book_test_drive"].Status, "another customer's")

	done := e.steps(activities.Query{LeadID: l.ID})["book_test_drive"]
	_, err = e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: e.vehicle("Granta", "900000").ID,
		Start: Epoch.Add(52 * time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, done.Version, e.steps(activities.Query{LeadID: l.ID})["book_test_drive"].Version, "a done step is left alone")

	// A booking for a customer without a lead completes the customer's own steps (a sale's has no lead).
	_, err = e.leads.BookTestDrive(e.ctx, leads.TestDriveBooking{CustomerID: stranger.CustomerID,
		VehicleID: e.vehicle("Niva", "1100000").ID, Start: Epoch.Add(54 * time.Hour)})
	require.NoError(t, err)
	step := e.steps(activities.Query{SaleID: stranger.ID})["book_test_drive"]
	assert.Equal(t, activities.Done, step.Status, "a customer's step, booked without a lead")
	assert.Contains(t, step.Result, string(crm.EventTestDriveBooked))
	assert.Equal(t, activities.Open, e.steps(activities.Query{LeadID: other.ID})["book_test_drive"].Status, "another lead's")
}
