// Package appraisal is the appraisal sheet (Оценочный лист): the inspection and valuation of a car a customer
// offers as a trade-in or sells to the dealer.
//
// A sheet (Appraisal) names the car (VIN checked under the dealer's VIN policy, make, model, year, mileage, colour,
// owner) and the lead, customer or sale it came from. Its checklist (Elements) is built, when the sheet is
// created, from the dealer's editable template (Template; DefaultTemplate when the dealer has none): elements
// grouped by area (body panels, paint, glass, interior, engine, transmission, suspension, brakes, tyres and
// wheels, electrics, documents and keys), each with a condition grade, a note and a price deduction.
//
// The price: the reference market price less the deductions of the elements, plus or minus adjustments, each
// with its reason, and a written justification of the whole:
//
//	proposed = reference − Σ deductions + Σ adjustments
//
// Every change of the price is kept in PriceHistory with who made it and when.
//
// States: draft → submitted → approved or rejected (see State). Only a draft is edited; approving needs a user
// whose role holds crm.PermApproveAppraisals. An approved sheet can become the trade-in of one sale (the sales
// package links it; TradeInSaleID records which sale took it).
//
// Photos and documents are attached through the crm.FileStore port: the content type is sniffed (never taken
// from the caller), only images and PDF are accepted, the size is limited (MaxFileSize) and names are sanitised
// (CheckUpload); each file is a crm.Document of the sheet, listed and downloadable.
package appraisal
