// Package credit is the dealer's credit desk (Кредитование): the loan programs of partner banks, the credit
// applications of a sale's customer with their states and history, and payment schedules.
//
// A Program is a bank's offer: its annual rate, the terms, amounts and minimum down payment it accepts, and when
// it is valid. An Application asks one program to finance one sale: it is validated against the program (every
// wrong field named, nothing saved) and moves draft → submitted → approved or rejected → issued → closed, or is
// cancelled from any state before it is rejected, closed or cancelled; each move keeps who, when and a comment.
// A sale may have applications to several banks, but at most one is ever issued (or, after repayment, closed),
// however many issue at once. An approved or issued application is what a sale links as its credit
// (sales.Sale.CreditApplicationID; the sales package reads it through Application.SaleLink), and its bank,
// amount and term are printed on the purchase contract.
//
// NewSchedule makes the monthly payment schedule of a loan, annuity or differentiated, to the currency's minor
// unit.
package credit
