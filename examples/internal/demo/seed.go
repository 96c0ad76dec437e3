package demo

import (
	"context"
	"fmt"
	"github.com/dealercrm/dealercrm/activities"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/adapters/stack"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/plans"
	"github.com/dealercrm/dealercrm/sales"
)

// Data is what Seed created, dealer by dealer.
type Data struct {
	Dealers []Dealer
}

// Dealer is one seeded dealer and its records as they stood when seeding ended.
type Dealer struct {
	crm.Dealer
	Users          []crm.User        // admin, sales manager, service advisor, read-only
	Vehicles       []catalog.Vehicle // the stock, then the cards built from the model directory
	Configurations []catalog.Configuration
	Leads          []leads.Lead
	TestDrives     []leads.TestDrive // booked and not cancelled by a sale
	// DrivesTaken are the completed drives of the leads converted after a test drive (the proposal's and the won
	// sale's), recorded the working day before seeding: the sales analysis shows their test-drive → sale conversion.
	DrivesTaken []leads.TestDrive
	Sales       []sales.Sale
	// CustomerVehicles are the cars won here, then the cars bought elsewhere the workshop services (seedService).
	CustomerVehicles []aftersales.CustomerVehicle
	// Appointments are the week of service appointments from the day after seeding, bays 1, 2 and 3.
	Appointments []aftersales.Appointment
	// CreditPrograms are the two banks' programs; CreditApplications the issued credits of won sales.
	CreditPrograms     []credit.Program
	CreditApplications []credit.Application
	// Appraisals are the approved appraisal sheets of the cars won sales took as trade-ins.
	Appraisals []appraisal.Appraisal
	// Plans are the month's plan of the dealer and the quarter's plan of its sales manager.
	Plans []plans.Plan
}

// Members returns every seeded user with their dealer, dealer by dealer, users in role order.
func (d *Data) Members() []Member {
	var out []Member
	for _, dl := range d.Dealers {
		for _, u := range dl.Users {
			out = append(out, Member{Dealer: dl.Dealer, User: u})
		}
	}
	return out
}

// Seed creates the demo data through the real services of st: two dealers with their staff, directories, stock,
// credit programs of two banks, leads (one batch imported as ADF), test drives, and sales in every state; the won
// sales are paid with an approved trade-in and an issued credit together, by credit alone or by trade-in alone
// (see wonPayPlans). The content (names, VINs, prices,
// which car goes to whom, times relative to the clock) is a function of seed and of st.Clock; record IDs are
// random. Test drives are booked on the days after the clock's date, within working hours, so they are never in
// the past; the leads converted after a drive took it the day before (recorded, completed).
func Seed(ctx context.Context, st *stack.Stack, seed uint64) (*Data, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	data := &Data{}
	for i, spec := range dealerSpecs {
		d, err := seedDealer(ctx, st, rng, i, spec)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", spec.dealer.Name, err)
		}
		data.Dealers = append(data.Dealers, d)
	}
	return data, nil
}

// seeder seeds one dealer.
type seeder struct {
	st      *stack.Stack
	rng     *rand.Rand
	ctx     context.Context // scoped to the dealer, acting as its sales manager
	out     *Dealer
	stages  map[string]sales.Stage
	loc     *time.Location
	dealerN int
	won     int // won sales so far (wonPayPlans)
}

func seedDealer(ctx context.Context, st *stack.Stack, rng *rand.Rand, i int, spec dealerSpec) (Dealer, error) {
	d, err := st.AddDealer(ctx, spec.dealer)
	if err != nil {
		return Dealer{}, err
	}
	out := Dealer{Dealer: d}
	dctx := crm.WithDealer(ctx, d.ID)
	for _, u := range spec.users {
		nu, err := st.AddUser(dctx, u)
		if err != nil {
			return Dealer{}, err
		}
		out.Users = append(out.Users, nu)
	}
	admin, manager := out.Users[0], out.Users[1]
	actx := crm.WithActor(dctx, admin.ID)
	for _, v := range stock(rng, i, spec.city, st.Clock.Now()) {
		nv, err := st.Catalog.CreateVehicle(actx, v)
		if err != nil {
			return Dealer{}, fmt.Errorf("vehicle %s %s %s: %w", v.Make, v.Model, v.VIN, err)
		}
		out.Vehicles = append(out.Vehicles, nv)
	}
	stages, err := st.Sales.ListStages(dctx)
	if err != nil {
		return Dealer{}, err
	}
	s := &seeder{st: st, rng: rng, ctx: crm.WithActor(dctx, manager.ID), out: &out, stages: map[string]sales.Stage{},
		loc: st.Leads.Config().Location, dealerN: i}
	for _, stg := range stages {
		s.stages[stg.Code] = stg
	}
	if err := s.programs(); err != nil {
		return Dealer{}, err
	}
	for k, ls := range leadSpecs[i%len(leadSpecs)] {
		if err := s.lead(k, ls, manager.ID); err != nil {
			return Dealer{}, fmt.Errorf("lead %s %s: %w", ls.first, ls.last, err)
		}
	}
	if err := s.importADF(spec.dealer.Name); err != nil {
		return Dealer{}, fmt.Errorf("ADF import: %w", err)
	}
	if err := s.salesPlans(admin.ID, manager.ID); err != nil {
		return Dealer{}, fmt.Errorf("sales plans: %w", err)
	}
	if err := s.seedDirectory(); err != nil {
		return Dealer{}, fmt.Errorf("model directory: %w", err)
	}
	if err := s.seedService(); err != nil {
		return Dealer{}, fmt.Errorf("service: %w", err)
	}
	for k, v := range out.Vehicles { // as they stand now: reserved, sold or in stock
		if out.Vehicles[k], err = st.Catalog.GetVehicle(dctx, v.ID); err != nil {
			return Dealer{}, err
		}
	}
	return out, nil
}

// lead creates lead number k and carries out its plan.
func (s *seeder) lead(k int, ls leadSpec, owner crm.ID) error {
	in := leads.LeadInput{Contact: ls.contact(k, s.st.Clock.Now()), Source: ls.source, NeedType: ls.need, OwnerID: owner, Comments: ls.comments}
	var v catalog.Vehicle
	if ls.vehicle >= 0 {
		v = s.out.Vehicles[ls.vehicle]
		in.Interest = leads.Interest{Make: v.Make, Model: v.Model, Trim: v.Trim, Year: v.Year, VehicleID: v.ID}
	}
	l, err := s.st.Leads.CreateLead(s.ctx, in)
	if err != nil {
		return err
	}
	switch ls.plan {
	case planInWork:
		l, err = s.st.Leads.MoveLeadStage(s.ctx, l.ID, l.Version, leads.StageInWork, "")
	case planTestDrive, planQualified, planProposal, planWon:
		if ls.plan == planProposal || ls.plan == planWon {
			if err := s.driveTaken(k, l, v); err != nil {
				return err
			}
		}
		if err := s.testDrive(k, l, v); err != nil {
			return err
		}
		if l, err = s.st.Leads.GetLead(s.ctx, l.ID); err != nil {
			return err
		}
		l, err = s.st.Leads.MoveLeadStage(s.ctx, l.ID, l.Version, leads.StageInWork, "")
		if err == nil && ls.plan == planQualified {
			l, err = s.st.Leads.MoveLeadStage(s.ctx, l.ID, l.Version, leads.StageQualified, "")
		}
	}
	if err != nil {
		return err
	}
	if ls.plan >= planNegotiation {
		if l, err = s.sale(l, ls, v); err != nil {
			return err
		}
	}
	s.out.Leads = append(s.out.Leads, l)
	return nil
}

// testDrive books lead l's drive of v on the day after the clock's date: lead k at 10:00 + k hours, one hour.
func (s *seeder) testDrive(k int, l leads.Lead, v catalog.Vehicle) error {
	day := s.st.Clock.Now().In(s.loc).AddDate(0, 0, 1+k%3)
	start := time.Date(day.Year(), day.Month(), day.Day(), 10+k, 0, 0, 0, s.loc)
	td, err := s.st.Leads.BookTestDrive(s.ctx, leads.TestDriveBooking{LeadID: l.ID, VehicleID: v.ID, Start: start,
		Duration: time.Hour, Notes: "Права категории B, стаж от 3 лет"})
	if err != nil {
		return err
	}
	s.out.TestDrives = append(s.out.TestDrives, td)
	return nil
}

// driveTaken records the drive lead k took in v before converting: one hour from 10:00 + k hours on the day
// before the clock's date (the showroom's time), completed.
func (s *seeder) driveTaken(k int, l leads.Lead, v catalog.Vehicle) error {
	day := s.st.Clock.Now().In(s.loc).AddDate(0, 0, -1)
	start := time.Date(day.Year(), day.Month(), day.Day(), 10+k%8, 0, 0, 0, s.loc)
	td, err := s.st.Leads.RecordTestDrive(s.ctx, leads.TestDriveRecord{LeadID: l.ID, VehicleID: v.ID, Start: start,
		End: start.Add(time.Hour), Outcome: leads.TestDriveOutcome{MileageOut: 100 + 10*k, MileageIn: 118 + 10*k, Rating: 5,
			Feedback: "Понравилась управляемость"}})
	if err != nil {
		return fmt.Errorf("drive taken: %w", err)
	}
	s.out.DrivesTaken = append(s.out.DrivesTaken, td)
	return nil
}

// sale converts lead l into a sale of v and walks it to where its plan says.
func (s *seeder) sale(l leads.Lead, ls leadSpec, v catalog.Vehicle) (leads.Lead, error) {
	pick := s.rng.IntN(3)
	pay := []sales.PaymentMethod{sales.PayCash, sales.PayCredit, sales.PayTradeIn}[pick]
	if ls.need == leads.NeedTradeIn {
		pay = sales.PayTradeIn
	}
	if ls.plan == planWon || ls.plan == planWonDirect {
		// A won sale's contract is formed at the win and states how it is paid: the own funds in cash or by
		// transfer, until pay (below) adds the trade-in and the credit of wonPayPlans.
		pay = []sales.PaymentMethod{sales.PayCash, sales.PayTransfer}[pick%2]
	}
	sl, err := s.st.Sales.ConvertLead(s.ctx, l.ID, 0, sales.ConvertInput{VehicleID: v.ID, PaymentMethod: pay})
	if err != nil {
		return l, err
	}
	if err := s.identify(sl.CustomerID, ls); err != nil {
		return l, err
	}
	move := func(code string) {
		if err == nil {
			sl, err = s.st.Sales.EditSale(s.ctx, sl.ID, sl.Version, sales.Edit{StageID: s.stages[code].ID})
		}
	}
	// pastProposal moves a sale paid by credit through the proposal, whose required credit step (no application
	// in the demo) the manager cancels, as a sale cannot pass it otherwise; others go straight on.
	pastProposal := func(code string) {
		if pay == sales.PayCredit {
			move("proposal")
			if err == nil {
				err = s.cancelStep(sl.ID, "credit_application")
			}
		}
		move(code)
	}
	switch ls.plan {
	case planProposal:
		move("proposal")
	case planNegotiation:
		pastProposal("negotiation")
	case planContract:
		pastProposal("contract")
	case planWon, planWonDirect:
		if ls.plan == planWon {
			move("contract")
		} else {
			move("negotiation")
		}
		if err == nil {
			plan := wonPayPlans[s.dealerN%len(wonPayPlans)][s.won%2]
			s.won++
			if plan != payOwn {
				sl, err = s.pay(sl, plan, strings.Join([]string{ls.last, ls.first, ls.middle}, " "))
			}
		}
		if err == nil {
			// The contract stage's playbook waits for the purchase contract before the win, and a win from
			// negotiation passes that stage: it waits too.
			_, _, err = s.st.Sales.GenerateContract(s.ctx, sl.ID, sales.ContractTerms{}, s.st.ContractHTML, s.st.Files)
		}
		if err == nil {
			now := s.st.Clock.Now()
			var cv aftersales.CustomerVehicle
			sl, cv, err = s.st.Sales.WinSale(s.ctx, sl.ID, sl.Version, sales.WinInput{
				Insurer:      []string{"СПАО «Ингосстрах»", "САО «РЕСО-Гарантия»", "АО «АльфаСтрахование»"}[s.rng.IntN(3)],
				PolicyNumber: fmt.Sprintf("ХХХ %010d", s.rng.IntN(1_000_000_000)), InsuranceFrom: now,
				InsuranceTo: now.AddDate(1, 0, 0), ServiceContract: true})
			if err == nil {
				s.out.CustomerVehicles = append(s.out.CustomerVehicles, cv)
				s.dropDrivesOf(v.ID)
			}
		}
	case planLost:
		sl, err = s.st.Sales.LoseSale(s.ctx, sl.ID, sl.Version, "Выбрал автомобиль у другого дилера")
	}
	if err != nil {
		return l, err
	}
	s.out.Sales = append(s.out.Sales, sl)
	return s.st.Leads.GetLead(s.ctx, l.ID)
}

// cancelStep cancels the open playbook task of step key of sale saleID.
func (s *seeder) cancelStep(saleID crm.ID, key string) error {
	page, err := s.st.Activities.List(s.ctx, activities.Query{SaleID: saleID, Status: activities.Open, Limit: crm.MaxPageLimit})
	if err != nil {
		return err
	}
	for _, a := range page.Items {
		if a.Step.Key == key {
			in := activities.InputOf(a)
			in.Status = activities.Cancelled
			_, err := s.st.Activities.Update(s.ctx, a.ID, a.Version, in)
			return err
		}
	}
	return nil
}

// dropDrivesOf forgets the booked drives of a vehicle just sold (the sale cancelled them).
func (s *seeder) dropDrivesOf(vehicle crm.ID) {
	kept := s.out.TestDrives[:0]
	for _, td := range s.out.TestDrives {
		if td.VehicleID != vehicle {
			kept = append(kept, td)
		}
	}
	s.out.TestDrives = kept
}

// identify gives a customer converted from a demo lead the passport, birth date and address a purchase contract
// needs (leads carry only a name and contacts).
func (s *seeder) identify(customer crm.ID, ls leadSpec) error {
	series := fmt.Sprintf("%02d %02d", 45+s.dealerN*5, 10+s.rng.IntN(15))
	return s.st.Kernel.Update(s.ctx, func(ctx context.Context, st crm.Stores) error {
		c, err := st.Customers().Get(ctx, customer)
		if err != nil {
			return err
		}
		city := dealerSpecs[s.dealerN].dealer.Address
		c.BirthDate = fmt.Sprintf("%d-%02d-%02d", 1965+s.rng.IntN(35), 1+s.rng.IntN(12), 1+s.rng.IntN(28))
		c.Document = crm.IdentityDocument{Type: "passport_ru", Series: series, Number: fmt.Sprintf("%06d", s.rng.IntN(1_000_000)),
			IssuedBy: "ГУ МВД России по г. " + city.City, IssuedOn: fmt.Sprintf("%d-%02d-%02d", 2012+s.rng.IntN(12), 1+s.rng.IntN(12), 1+s.rng.IntN(28))}
		c.Address = crm.Address{Country: "Россия", Region: city.Region, City: city.City, PostalCode: city.PostalCode,
			Street: fmt.Sprintf("ул. %s, д. %d, кв. %d", []string{"Ленина", "Гагарина", "Садовая", "Мира"}[s.rng.IntN(4)], 1+s.rng.IntN(120), 1+s.rng.IntN(200))}
		return st.Customers().Update(ctx, &c)
	})
}

// importADF imports one ADF document with one prospect, as a car portal would send it.
func (s *seeder) importADF(dealerName string) error {
	p := adfProspects[s.dealerN%len(adfProspects)]
	doc := fmt.Sprintf(adfDocument, fmt.Sprintf("D%d", s.dealerN+1), p[0], p[1], p[2], p[3], dealerName)
	res, err := s.st.Leads.ImportADF(s.ctx, strings.NewReader(doc))
	if err != nil {
		return err
	}
	for _, it := range res.Items {
		l, err := s.st.Leads.GetLead(s.ctx, it.LeadID)
		if err != nil {
			return err
		}
		s.out.Leads = append(s.out.Leads, l)
	}
	return nil
}
