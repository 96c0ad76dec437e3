package crm

// Code is a stable, machine-readable name of what went wrong, for programs to act on (the HTTP layer sends it as
// problem+json's "code"). Codes never change once published; messages may. The set is closed: the kernel's and
// the core domains' codes are listed in Codes; a section declares its own in its package with a Codes function
// (credit.Codes) and its routes file registers them with its routes, so the HTTP layer's list (ProblemCodes, the
// OpenAPI ErrorCode enum) holds every code without a list here to extend.
type Code string

// The kind-level codes: the code of an error of that kind that names no more precise one.
const (
	CodeInternal         Code = "internal"          // KindInternal: a fault of ours
	CodeNotFound         Code = "not_found"         // KindNotFound
	CodeConflict         Code = "conflict"          // KindConflict
	CodeInvalidInput     Code = "invalid_input"     // KindInvalid; the field details say which fields
	CodeForbidden        Code = "forbidden"         // KindForbidden
	CodeStaleVersion     Code = "stale_version"     // KindStaleVersion
	CodeUnauthenticated  Code = "unauthenticated"   // KindUnauthenticated
	CodeUnavailable      Code = "unavailable"       // KindUnavailable: the database cannot be reached now; retry after Retry-After
	CodeCurrencyMismatch Code = "currency_mismatch" // invalid: amounts in different currencies were combined
)

// The domain codes: conflicts a program can tell apart and act on.
const (
	CodeDuplicate           Code = "duplicate"                    // a record with the same key (VIN, part number, code) exists
	CodeVehicleReserved     Code = "vehicle_reserved"             // the vehicle is held for someone else
	CodeVehicleSold         Code = "vehicle_sold"                 // the vehicle is already sold
	CodeVehicleUnavailable  Code = "vehicle_unavailable"          // the vehicle is in transit or withdrawn
	CodeInsufficientStock   Code = "insufficient_stock"           // a stock change would take a quantity below zero
	CodeTestDriveOverlap    Code = "test_drive_overlap"           // the vehicle has an overlapping test drive
	CodeTestDriveNotBooked  Code = "test_drive_not_booked"        // the test drive is completed, cancelled or a no-show
	CodeTestDriveNotStarted Code = "test_drive_not_started"       // the test drive cannot be completed before it starts
	CodeLeadClosed          Code = "lead_closed"                  // the lead is converted or disqualified
	CodeStageTransition     Code = "stage_transition_not_allowed" // the lead cannot move to the requested stage
	CodeSaleClosed          Code = "sale_closed"                  // the sale is won or lost
	CodeStageMissing        Code = "stage_missing"                // the dealer's sales stages lack a stage the operation needs
	CodeStageClash          Code = "stage_clash"                  // a sales stage clashes with the others (code, order, kind)
	CodeOrderExists         Code = "order_exists"                 // the sale already has an order
	CodeVehicleLineExists   Code = "vehicle_line_exists"          // the order already has a vehicle line
	CodeSaleNoVehicle       Code = "sale_has_no_vehicle"          // the sale has no vehicle yet (no contract without one)
	CodeOutboxLeaseLost     Code = "outbox_lease_lost"            // a relay marked a message whose lease another relay holds now
	CodeOrderStatus         Code = "order_status_not_allowed"     // the order's status does not allow the change
)

// codes lists every code in documentation order.
var codes = []Code{
	CodeInternal, CodeNotFound, CodeConflict, CodeInvalidInput, CodeForbidden, CodeStaleVersion, CodeUnauthenticated,
	CodeUnavailable, CodeCurrencyMismatch,
	CodeDuplicate, CodeVehicleReserved, CodeVehicleSold, CodeVehicleUnavailable, CodeInsufficientStock,
	CodeTestDriveOverlap, CodeTestDriveNotBooked, CodeTestDriveNotStarted, CodeLeadClosed, CodeStageTransition,
	CodeSaleClosed, CodeStageMissing, CodeStageClash, CodeOrderExists, CodeVehicleLineExists, CodeSaleNoVehicle,
	CodeOutboxLeaseLost,
	CodeOrderStatus,
}

// Codes returns every code an error may carry (a fresh slice), the kind-level ones first.
func Codes() []Code { return append([]Code(nil), codes...) }

// Valid reports whether c is one of Codes.
func (c Code) Valid() bool {
	for _, k := range codes {
		if k == c {
			return true
		}
	}
	return false
}

// kindCodes maps each kind to its code.
var kindCodes = [...]Code{
	KindInternal:        CodeInternal,
	KindNotFound:        CodeNotFound,
	KindConflict:        CodeConflict,
	KindInvalid:         CodeInvalidInput,
	KindForbidden:       CodeForbidden,
	KindStaleVersion:    CodeStaleVersion,
	KindUnauthenticated: CodeUnauthenticated,
	KindUnavailable:     CodeUnavailable,
}

// Code returns the kind-level code of k (CodeInternal for an unknown kind).
func (k Kind) Code() Code {
	if int(k) < len(kindCodes) {
		return kindCodes[k]
	}
	return CodeInternal
}
