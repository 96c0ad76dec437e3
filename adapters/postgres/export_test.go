package postgres

import "database/sql"

// VehicleSearchSQL exposes the catalog search statement to the external tests (EXPLAIN checks).
var VehicleSearchSQL = vehicleSearchSQL

// MapErr exposes the driver error mapping to the external tests (pgx's errors, pgxdb).
var MapErr = mapErr

// OutboxMarkSQL exposes the outbox's mark statement to the external tests (EXPLAIN checks).
var OutboxMarkSQL = outboxMarkSQL

// TestDriveInsertSQL exposes the test drive's INSERT to the external tests (EXPLAIN checks).
const TestDriveInsertSQL = testDriveInsertSQL

// TestDriveInsertCountedSQL exposes the booking's INSERT of a drive with its lead's counts given.
const TestDriveInsertCountedSQL = testDriveInsertCountedSQL

// CapturedFallbacks exposes how many captured parts were scanned through database/sql.
var CapturedFallbacks = &capturedFallbacks

// ScanCaptured scans the current row of rows, of total columns, as ReadBooking does: captured once, then dest
// converted from the columns from on.
func ScanCaptured(rows *sql.Rows, total, from int, dest ...any) error {
	r, err := capture(rows, total)
	if err != nil {
		return err
	}
	return r.part(from).Scan(dest...)
}

// JSONB exposes the jsonb scan destination: v a pointer to what the document decodes into.
func JSONB(v any) any { return jsonb{v} }

// BookingSQLLocked exposes the booking's joined read (read-write unit of work) to the external tests (EXPLAIN).
var BookingSQLLocked = bookingSQLLocked

// OutboxClaimSQL exposes the relay's claim to the external tests (EXPLAIN checks).
var OutboxClaimSQL = outboxClaimSQL
