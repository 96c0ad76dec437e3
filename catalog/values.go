package catalog

// The closed sets of this package, each in display order; the HTTP layer's OpenAPI enums are made from them.

// Statuses returns every vehicle status.
func Statuses() []Status {
	return []Status{StatusInStock, StatusInTransit, StatusReserved, StatusSold, StatusUnavailable}
}

// Conditions returns every vehicle condition.
func Conditions() []Condition { return []Condition{New, Used, CertifiedUsed} }

// Purposes returns every reservation purpose.
func Purposes() []Purpose { return []Purpose{ForTestDrive, ForSale} }

// VehicleSorts returns every order a vehicle search can take.
func VehicleSorts() []VehicleSort { return []VehicleSort{SortCreated, SortPrice, SortYear} }

// ProductKinds returns every product kind, in search order (a copy of Kinds).
func ProductKinds() []Kind { return append([]Kind(nil), Kinds...) }
