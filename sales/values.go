package sales

// The closed sets of this package, each in display order; the HTTP layer's OpenAPI enums are made from them.

// Statuses returns every sale status.
func Statuses() []Status { return []Status{StatusOpen, StatusWon, StatusLost} }

// StageKinds returns every sales-stage kind.
func StageKinds() []StageKind { return []StageKind{StageOpen, StageWon, StageLost} }

// PaymentMethods returns every payment method (not the empty "not decided yet").
func PaymentMethods() []PaymentMethod {
	return []PaymentMethod{PayCash, PayTransfer, PayCredit, PayTradeIn, PayMixed}
}

// LineKinds returns every order-line kind.
func LineKinds() []LineKind {
	return []LineKind{LineVehicle, LineAccessory, LinePart, LineLabour, LineOther}
}
