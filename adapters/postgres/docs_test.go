package postgres

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// keys returns the dotted paths of every object key in the JSON of v (array elements as "[]"), sorted.
func keys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(prefix string, x any)
	walk = func(prefix string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				out = append(out, prefix+k)
				walk(prefix+k+".", e)
			}
		case []any:
			for _, e := range x {
				walk(strings.TrimSuffix(prefix, ".")+"[].", e)
			}
		}
	}
	walk("", raw)
	slices.Sort(out)
	return slices.Compact(out)
}

// roundTrip writes doc through jsonb and reads it back into a fresh value of the same type.
func roundTrip[D any](t *testing.T, doc D) D {
	t.Helper()
	v, err := jsonb{doc}.Value()
	if err != nil {
		t.Fatal(err)
	}
	var back D
	if err := (jsonb{&back}).Scan([]byte(v.(string))); err != nil {
		t.Fatal(err)
	}
	return back
}

var (
	docAt   = time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
	docID   = uuid.MustParse("11111111-2222-3333-4444-555555555555")
	docAddr = crm.Address{Country: "RU", Region: "Москва", City: "Москва", Street: "Тверская, 1", PostalCode: "125009"}
)

// TestDocumentsKeepStoredKeys checks each jsonb document against the keys stored in existing rows (a golden
// list per document: a change here is a data migration), and that domain → document → JSON → domain loses nothing.
func TestDocumentsKeepStoredKeys(t *testing.T) {
	t.Run("dealer", func(t *testing.T) {
		d := crm.Dealer{Meta: crm.Meta{ID: docID, DealerID: docID, Version: 3, CreatedAt: docAt, UpdatedAt: docAt},
			Name: "Север", LegalName: "ООО «Север-Авто»", TaxID: "7700000000", TaxRegCode: "770001001",
			RegNumber: "1027700000000", Address: docAddr, Bank: crm.BankAccount{BankName: "Банк", BIC: "044525225",
				Account: "40702810000000000001", CorrespondentAcct: "30101810400000000225"},
			Phone: "+74950000000", Email: "info@sever.example", Currency: "RUB", StrictVIN: true}
		doc := dealerDocOf(d)
		wantKeys(t, doc, "address", "address.city", "address.country", "address.postal_code", "address.region",
			"address.street", "bank", "bank.account", "bank.bank_name", "bank.bic", "bank.correspondent_account",
			"created_at", "currency", "dealer_id", "email", "id", "legal_name", "name", "phone", "reg_number",
			"strict_vin", "tax_id", "tax_reg_code", "updated_at", "version")
		got := roundTrip(t, doc).value()
		want := d
		want.Meta = crm.Meta{}
		equal(t, got, want)
	})
	t.Run("vehicle insurance", func(t *testing.T) {
		i := catalog.VehicleInsurance{Insurer: "Ингосстрах", PolicyNumber: "XXX 0123456789", ValidFrom: docAt,
			ValidTo: docAt.AddDate(1, 0, 0)}
		wantKeys(t, insuranceDocOf(i), "insurer", "policy_number", "valid_from", "valid_to")
		equal(t, roundTrip(t, insuranceDocOf(i)).value(), i)
	})
	t.Run("vehicle specs", func(t *testing.T) {
		s := catalog.VehicleSpecs{EngineType: "petrol I4", DisplacementCC: 1598, PowerKW: decimal.RequireFromString("90"),
			PowerHP: decimal.RequireFromString("122.4"), Fuel: "petrol", Transmission: "automatic", Drive: "fwd",
			Seats: 5, Doors: 4, EmissionClass: "Euro 5"}
		wantKeys(t, specsDocOf(s), "displacement_cc", "doors", "drive", "emission_class", "engine_type", "fuel",
			"power_hp", "power_kw", "seats", "transmission")
		equal(t, roundTrip(t, specsDocOf(s)).value(), s)
	})
	t.Run("vehicle reservations", func(t *testing.T) {
		rs := []catalog.Reservation{{Purpose: catalog.Purpose("test_drive"), RefID: docID,
			Holder: catalog.Holder{LeadID: docID, SaleID: docID, CustomerID: docID}, From: docAt, Until: docAt, CreatedAt: docAt}}
		wantKeys(t, reservationDocsOf(rs), "[].created_at", "[].from", "[].holder", "[].holder.customer_id", "[].holder.lead_id",
			"[].holder.sale_id", "[].purpose", "[].ref_id", "[].until")
		equal(t, reservationsOf(roundTrip(t, reservationDocsOf(rs))), rs)
		if v, _ := (jsonb{reservationDocsOf(nil)}).Value(); v != "[]" {
			t.Errorf("no reservations stored as %v, want []", v)
		}
	})
	t.Run("test drive license", func(t *testing.T) {
		l := leads.DriverLicense{Number: "77 00 123456", Categories: "B", ValidUntil: "2030-01-01"}
		wantKeys(t, licenseDocOf(l), "categories", "number", "valid_until")
		equal(t, roundTrip(t, licenseDocOf(l)).value(), l)
	})
	t.Run("sale history", func(t *testing.T) {
		h := []sales.StageChange{{At: docAt, By: docID, FromStageID: docID, FromCode: "new", ToStageID: docID,
			ToCode: "offer", Probability: 40, Reason: "priced", Skipped: true}}
		wantKeys(t, saleHistoryDocsOf(h), "[].at", "[].by", "[].from_code", "[].from_stage_id", "[].probability",
			"[].reason", "[].skipped", "[].to_code", "[].to_stage_id")
		equal(t, saleHistoryOf(roundTrip(t, saleHistoryDocsOf(h))), h)
		if v, _ := (jsonb{saleHistoryDocsOf(nil)}).Value(); v != "[]" {
			t.Errorf("no history stored as %v, want []", v)
		}
	})
	t.Run("credit application history", func(t *testing.T) {
		h := []credit.Transition{{To: credit.Draft, At: docAt, By: docID, Comment: "создана"},
			{From: credit.Draft, To: credit.Submitted, At: docAt, By: docID}}
		wantKeys(t, creditHistoryDocsOf(h), "[].at", "[].by", "[].comment", "[].from", "[].to")
		equal(t, creditHistoryOf(roundTrip(t, creditHistoryDocsOf(h))), h)
	})
	t.Run("lead", func(t *testing.T) {
		price := crm.NewMoney(decimal.RequireFromString("1500000"), "RUB")
		voi := leads.VehicleOfInterest{Interest: "buy", Status: "used", Year: 2020, Make: "Kia", Model: "Rio",
			VIN: "XWEFF41BAL0000001", Stock: "S1", Trim: "Prestige", BodyStyle: "sedan", Transmission: "automatic",
			Color: "white", Odometer: 42000, OdometerUnits: "km", Price: &price, PriceType: "asking", PriceRaw: "1.5m",
			Comments: "one owner"}
		l := leads.Lead{
			Contact: crm.Contact{Kind: crm.PartyKind("person"), FirstName: "Иван", MiddleName: "Сергеевич",
				LastName: "Петров", CompanyName: "ООО", Phones: []string{"+79000000000"}, Emails: []string{"i@p.example"}},
			Interest: leads.Interest{Make: "Kia", Model: "Rio", Trim: "Prestige", Year: 2020, Condition: "used",
				VehicleID: docID},
			Vehicles: []leads.VehicleOfInterest{voi}, TradeIn: &voi, TestDriveRequested: true, Comments: "call me",
			StageReason: "no answer", History: []leads.StageChange{{From: "new", To: "contacted", Reason: "called",
				By: docID, At: docAt}},
			DuplicateLeadIDs: []crm.ID{docID}, DuplicateCustomerIDs: []crm.ID{docID},
			External: &leads.ExternalRef{Format: "adf", ID: "p1", Source: "site", Sequence: "1", Key: "k",
				Provider: "Авито", Vendor: "Север", RequestDate: docAt, RequestDateRaw: "2026-03-04T10:30:00Z",
				EarliestDate: "2026-03-05", LatestDate: "2026-03-10"},
		}
		voiKeys := []string{"body_style", "color", "comments", "interest", "make", "model", "odometer",
			"odometer_units", "price", "price.amount", "price.currency", "price_raw", "price_type", "status", "stock",
			"transmission", "trim", "vin", "year"}
		want := []string{"comments", "contact", "contact.company_name", "contact.emails", "contact.first_name",
			"contact.kind", "contact.last_name", "contact.middle_name", "contact.phones", "duplicate_customer_ids",
			"duplicate_lead_ids", "external", "external.earliest_date", "external.format", "external.id",
			"external.key", "external.latest_date", "external.provider", "external.request_date",
			"external.request_date_raw", "external.sequence", "external.source", "external.vendor", "history",
			"history[].at", "history[].by", "history[].from", "history[].reason", "history[].to", "interest",
			"interest.condition", "interest.make", "interest.model", "interest.trim", "interest.vehicle_id",
			"interest.year", "stage_reason", "test_drive_requested", "trade_in", "vehicles"}
		for _, k := range voiKeys {
			want = append(want, "trade_in."+k, "vehicles[]."+k)
		}
		wantKeys(t, leadDocOf(&l), want...)
		var got leads.Lead
		if err := roundTrip(t, leadDocOf(&l)).fill(&got); err != nil {
			t.Fatal(err)
		}
		equal(t, got, l)
	})
}

// TestAppraisalDocumentKeepsStoredKeys pins the keys of an appraisal sheet's document and its round trip.
func TestAppraisalDocumentKeepsStoredKeys(t *testing.T) {
	rub := func(s string) crm.Money { return crm.MustMoney(s, "RUB") }
	a := appraisal.Appraisal{ReferencePrice: rub("900000"), Justification: "по рынку", Deductions: rub("12000.50"),
		Elements: []appraisal.Element{{ID: docID, Area: appraisal.AreaBody, Name: "Капот", Grade: appraisal.GradeFair,
			Note: "скол", Deduction: rub("12000.50")}},
		Adjustments:  []appraisal.Adjustment{{Amount: rub("-5000"), Reason: "один ключ"}},
		PriceHistory: []appraisal.PriceChange{{At: docAt, By: docID, What: "created", Reference: rub("900000"), Deductions: rub("0"), Adjustment: rub("0"), Proposed: rub("900000")}},
		History:      []appraisal.Transition{{At: docAt, By: docID, To: appraisal.StateDraft}, {At: docAt, By: docID, From: appraisal.StateDraft, To: appraisal.StateSubmitted, Comment: "готово"}},
	}
	doc := appraisalDocOf(a)
	wantKeys(t, doc, "adjustments", "adjustments[].amount", "adjustments[].reason", "deductions", "elements",
		"elements[].area", "elements[].deduction", "elements[].grade", "elements[].id", "elements[].name", "elements[].note",
		"history", "history[].at", "history[].by", "history[].comment", "history[].from", "history[].to", "justification",
		"price_history", "price_history[].adjustment", "price_history[].at", "price_history[].by", "price_history[].deductions",
		"price_history[].proposed", "price_history[].reference", "price_history[].what")
	var got appraisal.Appraisal
	got.ReferencePrice = a.ReferencePrice
	roundTrip(t, doc).into(&got, "RUB")
	for _, m := range [][2]crm.Money{{got.Deductions, a.Deductions}, {got.Elements[0].Deduction, a.Elements[0].Deduction},
		{got.Adjustments[0].Amount, a.Adjustments[0].Amount}, {got.PriceHistory[0].Proposed, a.PriceHistory[0].Proposed}} {
		if !m[0].Equal(m[1]) {
			t.Errorf("%s != %s", m[0], m[1])
		}
	}
	got.Deductions, a.Deductions = crm.Money{}, crm.Money{}
	got.Elements[0].Deduction, a.Elements[0].Deduction = crm.Money{}, crm.Money{}
	got.Adjustments[0].Amount, a.Adjustments[0].Amount = crm.Money{}, crm.Money{}
	got.PriceHistory, a.PriceHistory = nil, nil
	equal(t, got, a)
}

func wantKeys(t *testing.T, doc any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keys(t, doc); !slices.Equal(got, want) {
		t.Errorf("stored keys changed (existing rows would no longer read):\n got %q\nwant %q", got, want)
	}
}

func equal(t *testing.T, got, want any) {
	t.Helper()
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if !reflect.DeepEqual(got, want) && string(gb) != string(wb) {
		t.Errorf("round trip lost data:\n got %s\nwant %s", gb, wb)
	}
}

// TestJSONBRefusesDomainTypes proves that no domain type can be a storage format: writing or reading a jsonb
// column with one fails, while every adapter document passes.
func TestJSONBRefusesDomainTypes(t *testing.T) {
	for _, v := range []any{crm.Dealer{}, catalog.VehicleInsurance{}, []catalog.Reservation{}, catalog.VehicleSpecs{},
		leads.DriverLicense{}, []sales.StageChange{}, sales.Contract{}, crm.Address{}, crm.Money{},
		struct{ X crm.Contact }{}, map[string]crm.IdentityDocument{}, []any{}} {
		if _, err := (jsonb{v}).Value(); err == nil {
			t.Errorf("jsonb wrote %T", v)
		}
		p := reflect.New(reflect.TypeOf(v)).Interface()
		if err := (jsonb{p}).Scan([]byte("{}")); err == nil {
			t.Errorf("jsonb read into %T", v)
		}
	}
	for _, v := range []any{dealerDoc{}, insuranceDoc{}, specsDoc{}, []reservationDoc{}, licenseDoc{},
		[]saleStageChangeDoc{}, leadDoc{}, identityDocumentDoc{}, addressDoc{}, vehicleCard{}, []crm.ID{},
		map[string]string{}} {
		if _, err := (jsonb{v}).Value(); err != nil {
			t.Errorf("jsonb refused %T: %v", v, err)
		}
	}
}
