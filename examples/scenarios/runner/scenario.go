package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"time"

	"github.com/dealercrm/dealercrm/crm"
)

// Scenario is one scenario file: who takes part (dealers and users), when it starts (the clock) and the steps.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Clock is the scenario's start time (RFC 3339); default DefaultClock.
	Clock string `json:"clock,omitempty"`
	// Dealers maps dealer aliases to the dealers to create; default: one dealer "main".
	Dealers map[string]DealerSpec `json:"dealers,omitempty"`
	// Users maps user aliases (used in a step's "as") to the users to create, each with an API key; default:
	// admin, manager, advisor and reader of the first dealer (see DefaultUsers).
	Users map[string]UserSpec `json:"users,omitempty"`
	// As is the user of every step that names none; without it (or with Anonymous) no Authorization header is
	// sent.
	As    string `json:"as,omitempty"`
	Steps []Step `json:"steps"`

	file string                            // where it was read from, for messages
	read func(name string) ([]byte, error) // reads a file named relative to the scenario file
}

// DealerSpec describes a dealer a scenario starts with. Requisites left blank get sample values (valid in form),
// so that purchase contracts can be printed without further ado.
type DealerSpec struct {
	Name       string          `json:"name,omitempty"`         // default: the alias
	LegalName  string          `json:"legal_name,omitempty"`   // default: ООО «<name>»
	Currency   string          `json:"currency,omitempty"`     // default RUB
	StrictVIN  bool            `json:"strict_vin,omitempty"`   // the North-American check digit is required
	TaxID      string          `json:"tax_id,omitempty"`       // INN
	TaxRegCode string          `json:"tax_reg_code,omitempty"` // KPP
	RegNumber  string          `json:"reg_number,omitempty"`   // OGRN
	Address    crm.Address     `json:"address"`
	Bank       crm.BankAccount `json:"bank"`
	Phone      string          `json:"phone,omitempty"`
	Email      string          `json:"email,omitempty"`
}

// dealer returns the dealer to create, with sample requisites where the spec leaves them blank.
func (d DealerSpec) dealer() crm.Dealer {
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	out := crm.Dealer{Name: d.Name, LegalName: or(d.LegalName, "ООО «"+d.Name+"»"), Currency: crm.Currency(d.Currency),
		StrictVIN: d.StrictVIN, TaxID: or(d.TaxID, "7715234560"), TaxRegCode: or(d.TaxRegCode, "771501001"),
		RegNumber: or(d.RegNumber, "1127746123450"), Address: d.Address, Bank: d.Bank,
		Phone: or(d.Phone, "+7 495 000-00-00"), Email: d.Email}
	if out.Address == (crm.Address{}) {
		out.Address = crm.Address{Country: "Россия", Region: "Москва", City: "Москва", Street: "ул. Тверская, д. 1",
			PostalCode: "125009"}
	}
	if out.Bank == (crm.BankAccount{}) {
		out.Bank = crm.BankAccount{BankName: "ПАО Сбербанк", BIC: "044525225", Account: "40702810938000000001",
			CorrespondentAcct: "30101810400000000225"}
	}
	return out
}

// UserSpec describes a user a scenario starts with.
type UserSpec struct {
	Dealer string   `json:"dealer,omitempty"` // a dealer alias; default: the first dealer (by alias)
	Role   crm.Role `json:"role"`             // admin, sales_manager, service_advisor or read_only
	Name   string   `json:"name,omitempty"`   // default: the alias
}

// Step is one thing a scenario does: send a request and check the response, or move the clock.
type Step struct {
	Name string `json:"name,omitempty"`
	As   string `json:"as,omitempty"` // the user alias whose API key authenticates the request; Anonymous: none
	// Request is the HTTP request to send.
	Request *Request `json:"request,omitempty"`
	// Expect is what the response must be.
	Expect Expect `json:"expect"`
	// Save maps variable names to where their values come from in the response: a dotted JSON path
	// ("id", "items.0.id", "customer_vehicle.id") or "header:<Name>".
	Save map[string]string `json:"save,omitempty"`
	// Advance moves the clock forward by a Go duration ("48h", "30m").
	Advance string `json:"advance,omitempty"`
	// SetClock sets the clock to an RFC 3339 time.
	SetClock string `json:"set_clock,omitempty"`
}

// Request is the HTTP request of a step. Path, header values and string values in Body may use ${var}.
type Request struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	// Body is sent as JSON (Content-Type application/json unless Headers say otherwise); a JSON string is sent
	// as it is, without quotes (for XML, say).
	Body json.RawMessage `json:"body,omitempty"`
	// BodyFile names a file (relative to the scenario file) whose bytes are the body.
	BodyFile string `json:"body_file,omitempty"`
}

// Expect is what a step's response must be. Zero fields are not checked.
type Expect struct {
	Status int `json:"status,omitempty"`
	// JSON maps dotted paths of the JSON response to expected values or matchers (see Match).
	JSON map[string]json.RawMessage `json:"json,omitempty"`
	// Headers maps header names to expected values or string matchers.
	Headers map[string]string `json:"headers,omitempty"`
	// ContentType must prefix the response's Content-Type ("application/pdf").
	ContentType string `json:"content_type,omitempty"`
	// BodyContains lists texts the raw response body must contain (a string or a list of strings).
	BodyContains stringList `json:"body_contains,omitempty"`
	// BodyPrefix is what the raw response body must start with ("%PDF-" for a PDF).
	BodyPrefix string `json:"body_prefix,omitempty"`
	// PDFContains lists texts the PDF's text must contain, as poppler's pdftotext extracts it with runs of white
	// space (no-break spaces included) collapsed to one space: what a reader of the printed document sees.
	PDFContains stringList `json:"pdf_contains,omitempty"`
}

// stringList reads a JSON string or a list of strings.
type stringList []string

// UnmarshalJSON accepts "text" as well as ["a", "b"].
func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("must be a string or a list of strings")
	}
	*l = many
	return nil
}

// Anonymous is the user alias of a step that sends no Authorization header even when the scenario names a
// default user.
const Anonymous = "anonymous"

// DefaultClock is the start time of a scenario that gives none: a Friday morning in Moscow.
const DefaultClock = "2026-11-27T09:00:00+03:00"

// DefaultUsers are the users of a scenario that names none, all of the first dealer.
var DefaultUsers = map[string]UserSpec{
	"admin":   {Role: crm.RoleAdmin, Name: "Администратор"},
	"manager": {Role: crm.RoleSalesManager, Name: "Менеджер по продажам"},
	"advisor": {Role: crm.RoleServiceAdvisor, Name: "Мастер-консультант"},
	"reader":  {Role: crm.RoleReadOnly, Name: "Наблюдатель"},
}

// Load reads and checks the scenario file name of fsys.
func Load(fsys fs.FS, name string) (*Scenario, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var sc Scenario
	if err := dec.Decode(&sc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	sc.file = name
	sc.read = func(rel string) ([]byte, error) { return fs.ReadFile(fsys, path.Join(path.Dir(name), rel)) }
	if sc.Name == "" {
		sc.Name = path.Base(name)
	}
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &sc, nil
}

// File returns the name the scenario was read from.
func (sc *Scenario) File() string { return sc.file }

// start returns the scenario's start time.
func (sc *Scenario) start() (time.Time, error) {
	c := sc.Clock
	if c == "" {
		c = DefaultClock
	}
	t, err := time.Parse(time.RFC3339, c)
	if err != nil {
		return time.Time{}, fmt.Errorf("clock %q is not an RFC 3339 time", c)
	}
	return t, nil
}

// check validates the scenario as written, so that a mistake in a file is reported before anything runs.
func (sc *Scenario) check() error {
	if _, err := sc.start(); err != nil {
		return err
	}
	if len(sc.Steps) == 0 {
		return fmt.Errorf("no steps")
	}
	if len(sc.Dealers) == 0 {
		sc.Dealers = map[string]DealerSpec{"main": {}}
	}
	if len(sc.Users) == 0 {
		sc.Users = maps.Clone(DefaultUsers)
	}
	for alias, u := range sc.Users {
		if alias == Anonymous {
			return fmt.Errorf("user alias %q is reserved for requests without a token", Anonymous)
		}
		if u.Dealer == "" {
			u.Dealer = firstKey(sc.Dealers)
			sc.Users[alias] = u
		}
		if _, ok := sc.Dealers[u.Dealer]; !ok {
			return fmt.Errorf("user %q: no dealer %q", alias, u.Dealer)
		}
		if !u.Role.Valid() {
			return fmt.Errorf("user %q: role %q is not admin, sales_manager, service_advisor or read_only", alias, u.Role)
		}
	}
	for i, st := range sc.Steps {
		n := 0
		if st.Request != nil {
			n++
		}
		if st.Advance != "" {
			n++
			if _, err := time.ParseDuration(st.Advance); err != nil {
				return fmt.Errorf("step %d: advance %q is not a duration like 48h or 30m", i+1, st.Advance)
			}
		}
		if st.SetClock != "" {
			n++
			if _, err := time.Parse(time.RFC3339, st.SetClock); err != nil {
				return fmt.Errorf("step %d: set_clock %q is not an RFC 3339 time", i+1, st.SetClock)
			}
		}
		if n != 1 {
			return fmt.Errorf("step %d (%s): give exactly one of request, advance, set_clock", i+1, st.Name)
		}
		if st.Request == nil {
			continue
		}
		if st.Request.Method == "" || st.Request.Path == "" {
			return fmt.Errorf("step %d (%s): request needs method and path", i+1, st.Name)
		}
		if len(st.Request.Body) > 0 && st.Request.BodyFile != "" {
			return fmt.Errorf("step %d (%s): give body or body_file, not both", i+1, st.Name)
		}
		as := st.As
		if as == "" {
			as = sc.As
		}
		if _, ok := sc.Users[as]; as != "" && as != Anonymous && !ok {
			return fmt.Errorf("step %d (%s): no user %q", i+1, st.Name, as)
		}
		for p, raw := range st.Expect.JSON {
			if _, err := parseMatcher(raw); err != nil {
				return fmt.Errorf("step %d (%s): json %q: %w", i+1, st.Name, p, err)
			}
		}
	}
	return nil
}
