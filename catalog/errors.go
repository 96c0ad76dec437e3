package catalog

import "github.com/dealercrm/dealercrm/crm"

// Domain errors; each is of a kernel kind so errors.Is(err, crm.ErrConflict) also holds.
var (
	// ErrVehicleReserved: the vehicle is held for someone else (a conflict).
	ErrVehicleReserved = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeVehicleReserved, Message: "vehicle is reserved for someone else"}
	// ErrVehicleSold: the vehicle is already sold (a conflict).
	ErrVehicleSold = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeVehicleSold, Message: "vehicle is sold"}
	// ErrVehicleUnavailable: the vehicle is in transit or withdrawn and cannot be reserved or sold (a conflict).
	ErrVehicleUnavailable = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeVehicleUnavailable, Message: "vehicle is not available"}
	// ErrInsufficientStock: a stock change would take a part's quantity below zero (a conflict).
	ErrInsufficientStock = &crm.Error{Kind: crm.KindConflict, Code: crm.CodeInsufficientStock, Message: "not enough parts in stock"}
)
