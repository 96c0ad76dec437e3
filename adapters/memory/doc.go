// Package memory implements every dealercrm store in memory: goroutine-safe and transactional.
//
// One DB holds every table. A read-write unit of work takes the DB's one lock for its whole run and records an
// undo entry for every write; when fn fails (or panics) the undo log is replayed backwards, so a failed unit of
// work leaves no trace. Read-only units share the lock. Stores keep values, never pointers: a caller mutating what
// it got back changes nothing stored.
//
// Each domain's bundle of stores is handed out by the kernel's generic helper over Transact:
// crm.NewUnit[catalog.Stores](db, clock), crm.NewUnit[leads.Stores](db, clock), ...
package memory
