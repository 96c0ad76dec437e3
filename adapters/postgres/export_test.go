package postgres

// VehicleSearchSQL exposes the catalog search statement to the external tests (EXPLAIN checks).
var VehicleSearchSQL = vehicleSearchSQL

// MapErr exposes the driver error mapping to the external tests (pgx's errors, pgxdb).
var MapErr = mapErr

// OutboxMarkSQL exposes the outbox's mark statement to the external tests (EXPLAIN checks).
var OutboxMarkSQL = outboxMarkSQL

// TestDriveInsertSQL exposes the test drive's INSERT to the external tests (EXPLAIN checks).
const TestDriveInsertSQL = testDriveInsertSQL
