// Package postgres implements every dealercrm store on PostgreSQL through sqlx (driver lib/pq, or pgx's stdlib).
//
// The schema is a set of numbered SQL migrations embedded in the binary and applied by DB.Migrate under an
// advisory lock, so two processes starting at once apply each migration once. Every query is scoped by the
// context's dealer. A read-write unit of work is one READ COMMITTED transaction in which store reads that precede
// a write lock their rows (SELECT … FOR UPDATE); serialization failures and deadlocks (SQLSTATE 40001, 40P01) are
// retried with the whole function. A read-only unit of work sends its first SELECT on the pool, outside any
// transaction, and begins a read-only REPEATABLE READ transaction only at its second statement. The invariants the database can hold are held there too: unique VIN per
// dealer, status and money checks, no overlapping test drives (an exclusion constraint), one won sale per vehicle.
//
// Driver errors are mapped to the kernel's kinds through interface{ SQLState() string }, so lib/pq and pgx both work.
package postgres
