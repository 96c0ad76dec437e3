// Package activities is the dealership's follow-up list (Дела): the calls, meetings, e-mails, tasks and notes of
// its managers, each linked to a lead, a sale, a customer or a customer vehicle of the dealer.
//
// An Activity has an owner (the user who must do it), an optional due time, a status (open, done or cancelled)
// and, once done, a result; completing a call records its outcome (reached, no answer, busy, wrong number,
// call back). A note records something that happened and is done when it is written. An open activity whose due
// time has passed is overdue; Service.MyOpen and Service.Overdue list them per user.
//
// The links are checked by the service: each named record must exist and be the dealer's, and when a lead, sale
// or customer vehicle names a customer the activity carries it too (so a customer's list holds every activity of
// their leads, sales and cars).
package activities
