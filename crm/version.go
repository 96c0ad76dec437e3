package crm

// Unconditional is the expected version that asks for no version check: the write applies to whatever version
// the unit of work reads (over HTTP: a request without If-Match, or with If-Match: *).
const Unconditional int64 = 0

// CheckVersion is the one optimistic-concurrency check of every mutating service method. Call it inside the
// unit of work that writes, on the version just read there (under the row's lock on PostgreSQL), never in a
// separate read: then of N writers holding the same expected version exactly one succeeds. It returns nil when
// expected is Unconditional (0) or equals stored, and otherwise a KindStaleVersion error (errors.Is(err,
// ErrStaleVersion)) naming op.
func CheckVersion(op string, stored, expected int64) error {
	if expected != Unconditional && expected != stored {
		return Stale(op, "the record is at version %d, not %d", stored, expected)
	}
	return nil
}
