// Package postgres implements every dealercrm store on PostgreSQL through sqlx (driver lib/pq, or pgx's stdlib).
//
// The schema is a set of numbered SQL migrations embedded in the binary and applied by DB.Migrate under an
// advisory lock, so two processes starting at once apply each migration once. Every query is scoped by the
// context's dealer. A read-write unit of work is one READ COMMITTED transaction in which store reads that precede
// a write lock their rows (SELECT … FOR UPDATE); serialization failures and deadlocks (SQLSTATE 40001, 40P01) are
// retried with the whole function. A read-only unit of work is one read-only REPEATABLE READ transaction (one
// snapshot), except that a read of one statement is sent on the pool without BEGIN and COMMIT: the DB learns which
// call sites, by their first statement, read in more than one, running such a read again in a transaction the
// first time (see DB.Transact). The invariants the database can hold are held there too: unique VIN per
// dealer, status and money checks, no overlapping test drives (an exclusion constraint), one won sale per vehicle.
//
// Driver errors are mapped to the kernel's kinds through interface{ SQLState() string }, so lib/pq and pgx both work.
package postgres
