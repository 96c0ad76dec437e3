// Package crm is the shared kernel of dealercrm: identifiers, the dealer scope carried in a context,
// exact money, the injectable clock, typed error kinds with field details, the parties every domain
// speaks of (dealers, customers, users), the unit-of-work shape every adapter implements, the outbox
// through which notices leave after commit, and the document and file ports.
//
// It is a leaf: it imports no other package of the module.
package crm
