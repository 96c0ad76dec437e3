package postgres

// VehicleSearchSQL exposes the catalog search statement to the external tests (EXPLAIN checks).
var VehicleSearchSQL = vehicleSearchSQL
