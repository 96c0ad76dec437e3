package httpapi

import (
	"strings"
	"time"

	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// creditCalcIn is the body of POST /api/v1/credit/calculate.
type creditCalcIn struct {
	Method     string      `json:"method,omitempty" enum:"CreditMethod" doc:"default: annuity"`
	Amount     *moneyIn    `json:"amount" oa:"required" doc:"the loan"`
	AnnualRate decimalText `json:"annual_rate" oa:"required" doc:"percent a year, e.g. \"6.9\""`
	TermMonths int         `json:"term_months" oa:"required"`
	FirstDue   string      `json:"first_due,omitempty" format:"date" doc:"YYYY-MM-DD; default: a month from today"`
}

// scheduleOut is a payment schedule.
type scheduleOut struct {
	Payments      []installmentOut `json:"payments"`
	TotalPaid     crm.Money        `json:"total_paid"`
	TotalInterest crm.Money        `json:"total_interest"`
}

type installmentOut struct {
	Number    int       `json:"number"`
	Due       string    `json:"due" format:"date" doc:"YYYY-MM-DD"`
	Payment   crm.Money `json:"payment"`
	Interest  crm.Money `json:"interest"`
	Principal crm.Money `json:"principal"`
	Balance   crm.Money `json:"balance" doc:"still owed after the payment"`
}

func scheduleView(s credit.Schedule) scheduleOut {
	return scheduleOut{TotalPaid: s.TotalPaid, TotalInterest: s.TotalInterest,
		Payments: mapList(s.Payments, func(i credit.Installment) installmentOut {
			return installmentOut{Number: i.Number, Due: dateOut(i.Due), Payment: i.Payment, Interest: i.Interest,
				Principal: i.Principal, Balance: i.Balance}
		})}
}

// dateOut writes a calendar date as YYYY-MM-DD ("" for the zero time).
func dateOut(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// parseDate parses an optional YYYY-MM-DD date as midnight UTC; an error is recorded under field.
func parseDate(p *crm.Problems, field, s string) time.Time {
	if strings.TrimSpace(s) == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		p.Add(field, "%q is not a date (YYYY-MM-DD)", s)
		return time.Time{}
	}
	return t
}

// creditProgramOut is a credit program as responses show it.
type creditProgramOut struct {
	ID                    crm.ID    `json:"id"`
	Version               int64     `json:"version"`
	Bank                  string    `json:"bank"`
	Name                  string    `json:"name"`
	AnnualRate            string    `json:"annual_rate" doc:"percent a year"`
	MinTermMonths         int       `json:"min_term_months"`
	MaxTermMonths         int       `json:"max_term_months"`
	MinDownPaymentPercent string    `json:"min_down_payment_percent" doc:"of the vehicle price"`
	MinAmount             crm.Money `json:"min_amount"`
	MaxAmount             crm.Money `json:"max_amount"`
	Currency              string    `json:"currency"`
	ValidFrom             string    `json:"valid_from" format:"date"`
	ValidTo               string    `json:"valid_to,omitempty" format:"date" doc:"absent: open-ended"`
	Active                bool      `json:"active"`
	CreatedAt             stamp     `json:"created_at"`
	UpdatedAt             stamp     `json:"updated_at"`
}

func creditProgramView(p credit.Program) creditProgramOut {
	return creditProgramOut{ID: p.ID, Version: p.Version, Bank: p.Bank, Name: p.Name, AnnualRate: p.AnnualRate.String(),
		MinTermMonths: p.MinTermMonths, MaxTermMonths: p.MaxTermMonths, MinDownPaymentPercent: p.MinDownPaymentPercent.String(),
		MinAmount: p.MinAmount, MaxAmount: p.MaxAmount, Currency: string(p.Currency), ValidFrom: dateOut(p.ValidFrom),
		ValidTo: dateOut(p.ValidTo), Active: p.Active, CreatedAt: stampOf(p.CreatedAt), UpdatedAt: stampOf(p.UpdatedAt)}
}

// creditProgramIn is the body of POST /api/v1/credit-programs (and, merged with a patch, of PATCH).
type creditProgramIn struct {
	Bank                  string      `json:"bank" oa:"required" doc:"as printed on the contract"`
	Name                  string      `json:"name" oa:"required"`
	AnnualRate            decimalText `json:"annual_rate" oa:"required" doc:"percent a year, e.g. \"6.9\""`
	MinTermMonths         int         `json:"min_term_months" oa:"required"`
	MaxTermMonths         int         `json:"max_term_months" oa:"required"`
	MinDownPaymentPercent decimalText `json:"min_down_payment_percent,omitempty" doc:"of the vehicle price; default 0"`
	MinAmount             *moneyIn    `json:"min_amount" oa:"required"`
	MaxAmount             *moneyIn    `json:"max_amount" oa:"required"`
	Currency              string      `json:"currency,omitempty" doc:"default: the amounts'"`
	ValidFrom             string      `json:"valid_from" oa:"required" format:"date"`
	ValidTo               string      `json:"valid_to,omitempty" format:"date" doc:"absent: open-ended"`
	Active                *bool       `json:"active,omitempty" doc:"default true"`
}

func (in creditProgramIn) input(p *crm.Problems) credit.ProgramInput {
	out := credit.ProgramInput{Bank: in.Bank, Name: in.Name, MinTermMonths: in.MinTermMonths, MaxTermMonths: in.MaxTermMonths,
		AnnualRate: requireDecimal(p, "annual_rate", in.AnnualRate), MinDownPaymentPercent: parseDecimal(p, "min_down_payment_percent", in.MinDownPaymentPercent),
		MinAmount: in.MinAmount.money(p, "min_amount"), MaxAmount: in.MaxAmount.money(p, "max_amount"),
		Currency: crm.Currency(strings.ToUpper(strings.TrimSpace(in.Currency))), ValidFrom: parseDate(p, "valid_from", in.ValidFrom),
		ValidTo: parseDate(p, "valid_to", in.ValidTo), Active: in.Active == nil || *in.Active}
	if in.MinAmount == nil {
		p.Add("min_amount", "is required")
	}
	if in.MaxAmount == nil {
		p.Add("max_amount", "is required")
	}
	return out
}

// creditProgramInOf is the create body of a stored program, the base a merge patch applies to.
func creditProgramInOf(p credit.Program) creditProgramIn {
	active := p.Active
	return creditProgramIn{Bank: p.Bank, Name: p.Name, AnnualRate: decimalText(p.AnnualRate.String()),
		MinTermMonths: p.MinTermMonths, MaxTermMonths: p.MaxTermMonths,
		MinDownPaymentPercent: decimalText(p.MinDownPaymentPercent.String()), MinAmount: moneyInOf(p.MinAmount),
		MaxAmount: moneyInOf(p.MaxAmount), Currency: string(p.Currency), ValidFrom: dateOut(p.ValidFrom),
		ValidTo: dateOut(p.ValidTo), Active: &active}
}

// requireDecimal is parseDecimal for a required field.
func requireDecimal(p *crm.Problems, field string, s decimalText) (d decimal.Decimal) {
	if strings.TrimSpace(string(s)) == "" {
		p.Add(field, "is required")
		return d
	}
	return parseDecimal(p, field, s)
}

// creditApplicationIn is the body of POST /api/v1/credit-applications.
type creditApplicationIn struct {
	SaleID       string   `json:"sale_id" oa:"required" format:"uuid"`
	ProgramID    string   `json:"program_id" oa:"required" format:"uuid"`
	VehiclePrice *moneyIn `json:"vehicle_price,omitempty" doc:"default: the sale's price (its order's total when the order sells the car, else its amount)"`
	DownPayment  *moneyIn `json:"down_payment,omitempty" doc:"paid by the buyer; default 0"`
	Amount       *moneyIn `json:"amount" oa:"required" doc:"the loan"`
	TermMonths   int      `json:"term_months" oa:"required"`
	Method       string   `json:"method,omitempty" enum:"CreditMethod" doc:"default: annuity"`
	Comment      string   `json:"comment,omitempty"`
}

// creditApplicationOut is a credit application as responses show it.
type creditApplicationOut struct {
	ID             crm.ID          `json:"id"`
	Version        int64           `json:"version"`
	SaleID         crm.ID          `json:"sale_id"`
	CustomerID     crm.ID          `json:"customer_id"`
	ProgramID      crm.ID          `json:"program_id"`
	Bank           string          `json:"bank"`
	ProgramName    string          `json:"program_name"`
	VehiclePrice   crm.Money       `json:"vehicle_price"`
	DownPayment    crm.Money       `json:"down_payment"`
	Amount         crm.Money       `json:"amount"`
	TermMonths     int             `json:"term_months"`
	AnnualRate     string          `json:"annual_rate" doc:"percent a year, the program's when applied"`
	Method         string          `json:"method" enum:"CreditMethod"`
	MonthlyPayment crm.Money       `json:"monthly_payment" doc:"the schedule's first payment"`
	State          string          `json:"state" enum:"CreditApplicationState"`
	IssuedAt       *stamp          `json:"issued_at"`
	History        []creditMoveOut `json:"history"`
	CreatedAt      stamp           `json:"created_at"`
	UpdatedAt      stamp           `json:"updated_at"`
}

type creditMoveOut struct {
	From    string  `json:"from,omitempty" enum:"CreditApplicationState" doc:"absent for the creation"`
	To      string  `json:"to" enum:"CreditApplicationState"`
	At      stamp   `json:"at"`
	By      *crm.ID `json:"by"`
	Comment string  `json:"comment,omitempty"`
}

func creditApplicationView(a credit.Application) creditApplicationOut {
	return creditApplicationOut{ID: a.ID, Version: a.Version, SaleID: a.SaleID, CustomerID: a.CustomerID, ProgramID: a.ProgramID,
		Bank: a.Bank, ProgramName: a.ProgramName, VehiclePrice: a.VehiclePrice, DownPayment: a.DownPayment, Amount: a.Amount,
		TermMonths: a.TermMonths, AnnualRate: a.AnnualRate.String(), Method: string(a.Method), MonthlyPayment: a.MonthlyPayment,
		State: string(a.State), IssuedAt: timeOut(a.IssuedAt), CreatedAt: stampOf(a.CreatedAt), UpdatedAt: stampOf(a.UpdatedAt),
		History: mapList(a.History, func(t credit.Transition) creditMoveOut {
			return creditMoveOut{From: string(t.From), To: string(t.To), At: stampOf(t.At), By: idOut(t.By), Comment: t.Comment}
		})}
}

// creditMoveIn is the (optional) body of a credit application's move.
type creditMoveIn struct {
	Comment string `json:"comment,omitempty"`
}
