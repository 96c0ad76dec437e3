package demo_test

import (
	"context"
	"github.com/dealercrm/dealercrm/analytics"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/adapters/memory"
	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/examples/internal/demo"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var epoch = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC) // 09:00 in Moscow

func seed(t *testing.T, seed uint64) (*stack.Stack, *demo.Data) {
	t.Helper()
	st := stack.New(memory.New(), crm.NewManualClock(epoch))
	data, err := demo.Seed(context.Background(), st, seed)
	require.NoError(t, err)
	return st, data
}

func TestSeedCreatesTheDemoDealers(t *testing.T) {
	st, data := seed(t, 1)
	require.Len(t, data.Dealers, 2)
	assert.Equal(t, demo.DealerNames(), []string{data.Dealers[0].Name, data.Dealers[1].Name})
	for _, d := range data.Dealers {
		t.Run(d.Name, func(t *testing.T) {
			ctx := crm.WithDealer(context.Background(), d.ID)
			assert.NotEmpty(t, d.TaxID)
			assert.NotEmpty(t, d.Bank.BIC)
			assert.Equal(t, crm.Currency("RUB"), d.Currency)
			var roles []crm.Role
			for _, u := range d.Users {
				roles = append(roles, u.Role)
			}
			assert.Equal(t, demo.Roles, roles)

			count := map[catalog.Status]int{}
			for _, v := range d.Vehicles {
				count[v.Status]++
				_, err := catalog.ParseVIN(string(v.VIN), false)
				assert.NoError(t, err, v.VIN)
			}
			assert.Len(t, d.Vehicles, 28, "25 in stock and 3 built from the model directory")
			assert.Len(t, d.Configurations, 7)
			built := d.Vehicles[25:]
			assert.Equal(t, "1614890.01 RUB", built[0].Finance.ListPrice.String(), "Vesta Comfort, winter pack, media, navigation, blue")
			assert.Equal(t, "Lada", built[0].Make)
			assert.Equal(t, "2156345.67 RUB", built[1].Finance.ListPrice.String(), "Jolion Comfort, tow bar, leather, the dealer's Haval discount")
			plan, err := st.Catalog.FindMaintenancePlan(ctx, "Lada", "Vesta", built[0].Year)
			require.NoError(t, err)
			assert.Equal(t, 10000, plan.IntervalKm, "the NG generation's plan")
			assert.Equal(t, 3, count[catalog.StatusInTransit], count)
			assert.Equal(t, 2, count[catalog.StatusSold], count)
			assert.Equal(t, 5, count[catalog.StatusReserved], "3 open sales and 2 drives of leads not converted: %v", count)

			assert.Len(t, d.Leads, 11, "ten leads and one imported")
			stages := map[string]int{}
			for _, l := range d.Leads {
				stages[l.Stage]++
				assert.NotEmpty(t, l.Contact.FullName())
			}
			assert.Equal(t, map[string]int{"new": 2, "in_work": 2, "qualified": 1, "converted": 6}, stages)

			status := map[sales.Status]int{}
			for _, s := range d.Sales {
				status[s.Status]++
			}
			assert.Equal(t, map[sales.Status]int{sales.StatusOpen: 3, sales.StatusWon: 2, sales.StatusLost: 1}, status)
			assert.Len(t, d.CustomerVehicles, 6, "two won here, four bought elsewhere")
			for _, cv := range d.CustomerVehicles {
				got, err := st.Aftersales.ListCustomerVehiclesByCustomer(ctx, cv.CustomerID)
				require.NoError(t, err)
				assert.Len(t, got, 1)
			}

			assert.Len(t, d.TestDrives, 3, "drives of the proposal sale and the two leads in work")
			for _, td := range d.TestDrives {
				assert.True(t, td.Start.After(epoch), "booked in the future")
				v, err := st.Catalog.GetVehicle(ctx, td.VehicleID)
				require.NoError(t, err)
				assert.Equal(t, catalog.StatusReserved, v.Status)
			}
			drives, err := st.Leads.ListVehicleTestDrives(ctx, d.TestDrives[0].VehicleID)
			require.NoError(t, err)
			assert.Len(t, drives, 1)

			// The leads converted after a drive took it the day before: the analysis has a test-drive → sale figure.
			require.Len(t, d.DrivesTaken, 2, "the proposal's and the won sale's")
			for _, td := range d.DrivesTaken {
				assert.Equal(t, leads.TestDriveCompleted, td.Status)
				assert.True(t, td.End.Before(epoch), "taken before seeding")
			}
			sum, err := st.Analytics.GetSummary(ctx, analytics.Query{From: epoch.AddDate(0, 0, -7), To: epoch})
			require.NoError(t, err)
			assert.Equal(t, []int{2, 2, 1}, []int{sum.TestDriveLeads, sum.TestDriveSales, sum.TestDriveWon})
		})
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	_, a := seed(t, 7)
	_, b := seed(t, 7)
	_, c := seed(t, 8)
	vins := func(d *demo.Data) []catalog.VIN {
		var out []catalog.VIN
		for _, dl := range d.Dealers {
			for _, v := range dl.Vehicles {
				out = append(out, v.VIN)
			}
		}
		return out
	}
	assert.Equal(t, vins(a), vins(b))
	assert.NotEqual(t, vins(a), vins(c))
	for i := range a.Dealers {
		for j := range a.Dealers[i].Sales {
			assert.Equal(t, a.Dealers[i].Sales[j].Amount, b.Dealers[i].Sales[j].Amount)
			assert.Equal(t, a.Dealers[i].Sales[j].StageCode, b.Dealers[i].Sales[j].StageCode)
		}
	}
}

func TestMembersFindsTheSeededUsers(t *testing.T) {
	st, data := seed(t, 1)
	got, err := demo.Members(context.Background(), st)
	require.NoError(t, err)
	want := data.Members()
	require.Len(t, got, 8)
	for i := range want {
		assert.Equal(t, want[i].Dealer.ID, got[i].Dealer.ID)
		assert.Equal(t, want[i].User.ID, got[i].User.ID)
	}
	empty := stack.New(memory.New(), crm.SystemClock{})
	none, err := demo.Members(context.Background(), empty)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestSeedImportsOneADFLead(t *testing.T) {
	st, data := seed(t, 1)
	d := data.Dealers[0]
	ctx := crm.WithDealer(context.Background(), d.ID)
	page, err := st.Leads.ListLeads(ctx, leads.LeadQuery{Source: leads.SourceImport})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.NotNil(t, page.Items[0].External)
}

// TestSeedPaysWonSalesWithTradeInsAndCredits: every dealer offers programs of two banks, and its won sales are
// paid with an approved trade-in and an issued credit together, and by one of them alone; their contracts state
// the bank, the credit, the car taken in and its price, and the remainder the buyer pays.
func TestSeedPaysWonSalesWithTradeInsAndCredits(t *testing.T) {
	st, data := seed(t, 1)
	methods := map[sales.PaymentMethod]int{}
	for _, d := range data.Dealers {
		ctx := crm.WithDealer(context.Background(), d.ID)
		require.Len(t, d.CreditPrograms, 2)
		assert.NotEqual(t, d.CreditPrograms[0].Bank, d.CreditPrograms[1].Bank, "two banks")
		for _, a := range d.CreditApplications {
			assert.Equal(t, credit.Issued, a.State)
		}
		for _, a := range d.Appraisals {
			assert.Equal(t, appraisal.StateApproved, a.State)
			assert.NotZero(t, a.TradeInSaleID)
			assert.True(t, a.ProposedPrice.IsPositive())
		}
		for _, s := range d.Sales {
			if s.Status != sales.StatusWon {
				continue
			}
			methods[s.PaymentMethod]++
			c, _, err := st.Sales.BuildSaleContract(ctx, s.ID, sales.ContractTerms{})
			require.NoError(t, err)
			p := c.Payment
			own, err := c.Totals.Total.Sub(p.CreditAmount)
			require.NoError(t, err)
			own, err = own.Sub(p.TradeInAmount)
			require.NoError(t, err)
			assert.True(t, own.Equal(p.OwnFunds), "own funds are the remainder")
			switch s.PaymentMethod {
			case sales.PayMixed:
				assert.True(t, p.CreditAmount.IsPositive() && p.TradeInAmount.IsPositive(), "%+v", p)
				assert.NotEmpty(t, p.CreditBank)
				assert.NotEmpty(t, p.TradeInVehicle)
			case sales.PayCredit:
				assert.True(t, p.CreditAmount.IsPositive() && p.TradeInAmount.IsZero(), "%+v", p)
			case sales.PayTradeIn:
				assert.True(t, p.TradeInAmount.IsPositive() && p.CreditAmount.IsZero(), "%+v", p)
			}
		}
	}
	assert.Equal(t, map[sales.PaymentMethod]int{sales.PayMixed: 2, sales.PayCredit: 1, sales.PayTradeIn: 1}, methods)
}

// TestSeedServiceSide: every demo dealer's customer vehicles have mileage readings, a maintenance plan (the model's)
// and a manufacturer warranty; the coming week is booked in bays 1, 2 and 3 with the service advisor, never two
// visits in one bay at once; and the service views agree with the data: the overview of each car, the due list.
func TestSeedServiceSide(t *testing.T) {
	st, data := seed(t, 1)
	for _, d := range data.Dealers {
		t.Run(d.Name, func(t *testing.T) {
			ctx := crm.WithDealer(context.Background(), d.ID)
			won := 0
			for _, cv := range d.CustomerVehicles {
				if cv.SaleID != (crm.ID{}) {
					won++
				}
				_, err := catalog.ParseVIN(string(cv.VIN), false)
				assert.NoError(t, err, cv.VIN)
				o, err := st.Aftersales.GetCarOverview(ctx, cv.ID)
				require.NoError(t, err)
				assert.NotEmpty(t, o.Readings, "%s %s has readings", cv.Make, cv.Model)
				assert.Equal(t, o.Readings[len(o.Readings)-1].KM, o.Car.Odometer, "the odometer is the last reading")
				assert.False(t, o.Maintenance.Plan.Interval.IsZero(), "%s %s has a maintenance plan", cv.Make, cv.Model)
				require.Len(t, o.Warranties, 1, "%s %s", cv.Make, cv.Model)
				assert.Equal(t, aftersales.WarrantyManufacturer, o.Warranties[0].Warranty.Kind)
				if cv.SaleID != (crm.ID{}) {
					require.Len(t, o.Sales, 1, "the sale that sold it")
					assert.Equal(t, cv.SaleID, o.Sales[0].SaleID)
					assert.Equal(t, aftersales.WarrantyActive, o.Warranties[0].Status)
				}
				if cv.Make == "Kia" {
					assert.Equal(t, aftersales.WarrantyExpired, o.Warranties[0].Status, "40 months after the purchase")
				}
			}
			assert.Equal(t, 2, won)
			require.Len(t, d.Appointments, 7*3*2, "a week, three bays, two visits a day")
			perBay := map[string]int{}
			advisor := d.Users[2]
			require.Equal(t, crm.RoleServiceAdvisor, advisor.Role)
			for _, a := range d.Appointments {
				perBay[a.Bay]++
				assert.Equal(t, aftersales.AppointmentBooked, a.Status)
				assert.Equal(t, advisor.ID, a.AdvisorID)
				assert.True(t, a.Start.After(epoch) && a.Start.Before(epoch.AddDate(0, 0, 8)), "%v in the coming week", a.Start)
				assert.Len(t, a.Works, 1)
			}
			assert.Equal(t, map[string]int{"1": 14, "2": 14, "3": 14}, perBay)
			listed, err := st.Aftersales.ListAppointments(ctx, aftersales.AppointmentFilter{From: epoch, To: epoch.AddDate(0, 0, 9)}, crm.PageRequest{Limit: crm.MaxPageLimit})
			require.NoError(t, err)
			assert.Len(t, listed.Items, len(d.Appointments))
			free, err := st.Aftersales.ListFreeSlots(ctx, d.Appointments[0].Start, d.Appointments[0].End, "")
			require.NoError(t, err)
			for _, s := range free {
				assert.NotEqual(t, d.Appointments[0].Bay, s.Bay, "the booked bay is not free then")
			}
			due, err := st.Aftersales.ListMaintenanceDue(ctx, 3660)
			require.NoError(t, err)
			assert.Len(t, due, len(d.CustomerVehicles), "every car follows a plan")
			overdue := 0
			for _, m := range due {
				if m.Due.Overdue {
					overdue++
				}
			}
			assert.Positive(t, overdue, "a car bought elsewhere long ago is overdue")
		})
	}
}

// TestSeedSetsSalesPlans: each dealer has the month's plan with a forecast above its won revenue (open sales
// expected this month) and its manager's quarter plan, so the dashboard has figures.
func TestSeedSetsSalesPlans(t *testing.T) {
	st, data := seed(t, 1)
	for _, d := range data.Dealers {
		require.Len(t, d.Plans, 2, d.Name)
		ctx := crm.WithDealer(context.Background(), d.ID)
		p, err := st.Plans.GetPlanProgress(ctx, d.Plans[0].ID)
		require.NoError(t, err)
		assert.Positive(t, p.WonUnits, d.Name)
		assert.True(t, p.ForecastRevenue.Amount.GreaterThan(p.WonRevenue.Amount), "%s: %s", d.Name, p.ForecastRevenue)
		assert.True(t, p.CompletionPercent.IsPositive())
	}
}

// TestSeedGivesConsentsACampaignRespects: the demo's leads and owners carry the consents of the showroom's form,
// so a campaign in the demo queues mail and SMS to those who agreed to marketing and skips the others with the
// reason, instead of skipping everyone.
func TestSeedGivesConsentsACampaignRespects(t *testing.T) {
	st, data := seed(t, 1)
	for _, d := range data.Dealers {
		t.Run(d.Name, func(t *testing.T) {
			ctx := crm.WithActor(crm.WithDealer(context.Background(), d.ID), d.Users[0].ID)
			var none []string
			for _, l := range d.Leads {
				if len(l.Contact.Consents) == 0 {
					none = append(none, l.Contact.LastName)
				}
				for _, c := range l.Contact.Consents {
					assert.Equal(t, crm.ConsentFromForm, c.Source)
					assert.True(t, c.At.Before(epoch), "given before the seed ran")
				}
			}
			assert.Len(t, none, 1, "only the lead imported from the portal's ADF, which carries no consent")
			got := map[string][]string{}
			for _, a := range []notify.Audience{{Kind: notify.AudienceTestDriveSoon, Days: 3},
				{Kind: notify.AudienceMaintenanceDue, Days: 365}} {
				c, err := st.Notify.CreateCampaign(ctx, notify.Campaign{Name: string(a.Kind), Audience: a})
				require.NoError(t, err)
				_, err = st.Notify.RunCampaign(ctx, c.ID)
				require.NoError(t, err)
				rs, err := st.Notify.ListRecipients(ctx, c.ID)
				require.NoError(t, err)
				for _, r := range rs {
					k := string(r.Status) + " " + string(r.Channel) + " " + r.Reason
					got[k] = append(got[k], r.Name)
				}
			}
			t.Log(got)
			assert.NotEmpty(t, got["queued email "], "marketing by e-mail")
			assert.NotEmpty(t, got["queued sms "], "marketing by SMS only")
			assert.NotEmpty(t, got["skipped  no consent on email, sms"], "no word on marketing")
		})
	}
}
