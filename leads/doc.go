// Package leads holds incoming enquiries before they are sales: leads with their contact, source, need type,
// interest, owner and stage; the per-dealer need-type and lead-stage directories; duplicate detection; ADF 1.0
// import; and test drives, whose booking reserves the catalog vehicle.
//
// # Lead stages
//
// The stage directory has five fixed codes in this order: new, in_work, qualified, converted, disqualified.
// Dealers may rename them. A lead moves (Lead.MoveStage) along this graph:
//
//	new          → in_work, qualified, disqualified
//	in_work      → qualified, disqualified
//	qualified    → in_work (back), disqualified
//	disqualified → in_work (reopening)
//	converted    → nothing
//
// that is: forward along the order among the open stages (new, in_work, qualified), back from qualified to
// in_work, to disqualified from any open stage (a reason is required), and out of disqualified only by reopening
// to in_work. Converted is reached only through Lead.Convert (by the sales domain, when the lead becomes a sale)
// from an open stage. Every change is recorded in the lead's history: from, to, reason, who and when.
// Disqualifying a lead cancels its booked test drives ("lead disqualified") and frees their vehicles.
//
// # Need types
//
// A per-dealer directory seeded with car_purchase, trade_in, spare_parts, accessories and service
// when the dealer is added (SeedDirectories, idempotent; nothing seeds on use). Dealers add, rename, reorder
// and deactivate entries; a lead must be given an active one.
//
// # Duplicates
//
// When a lead comes in (by hand or imported), the open leads and the customers sharing one of its normalised
// phones or e-mails are recorded on it (DuplicateLeadIDs, DuplicateCustomerIDs); when exactly one customer
// matches and none was given, the lead is linked to that customer.
//
// # Test drives
//
// A drive is booked from a lead at an open stage, or directly for a customer, for a vehicle that is in stock or
// already reserved for the same lead or customer. Booking validates the slot against Config (working hours,
// slot length, not in the past), refuses an overlap with another booked drive of the vehicle (ErrTestDriveOverlap,
// naming the drive in the way; slots are half-open [start, end)), reserves the vehicle for the drive (purpose
// test_drive, until the drive's end) and queues a "test_drive.booked" notice to the lead or customer, all in one
// unit of work. Completing, cancelling or marking a no-show releases the drive's hold on the vehicle; the vehicle
// is back in stock when nothing else (another booked drive, a sale) holds it.
//
// # ADF import
//
// ParseADF reads ADF 1.0 XML tolerantly (upper-case processing instruction, lenient dates, vendor outside the
// prospect, comments inside the contact) and refuses hostile input (DOCTYPE and entity declarations, documents over
// MaxADFSize, nesting deeper than MaxADFDepth, more than MaxADFProspects prospects). Service.ImportADF turns every
// prospect of one document into a lead in one unit of work; a prospect's key (ID text, source and sequence) is
// claimed in the import store, so importing it again creates nothing.
package leads
