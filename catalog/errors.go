package catalog

import "github.com/dealercrm/dealercrm/crm"

// Domain errors; each is of a kernel kind so errors.Is(err, crm.ErrConflict) also holds.
var (
	// ErrVehicleReserved: the vehicle is held for someone else.
	ErrVehicleReserved = &crm.Error{Kind: crm.KindConflict, Op: "catalog", Message: "vehicle is reserved for someone else"}
	// ErrVehicleSold: the vehicle is already sold.
	ErrVehicleSold = &crm.Error{Kind: crm.KindConflict, Op: "catalog", Message: "vehicle is sold"}
	// ErrVehicleUnavailable: the vehicle is in transit or withdrawn and cannot be reserved or sold.
	ErrVehicleUnavailable = &crm.Error{Kind: crm.KindConflict, Op: "catalog", Message: "vehicle is not available"}
)
