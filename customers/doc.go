// Package customers holds the customer use cases every caller shares — the HTTP API and embedders alike:
// create, update (with the expected version checked inside the unit of work), find by phone or e-mail
// (normalised), list, and merge a duplicate into the customer to keep.
//
// The customer record itself (crm.Customer, its validation in crm.NewCustomer, crm.CustomerStore) is the
// kernel's, because every domain names customers. The service lives here rather than in crm because merging moves
// the records of other domains that name the duplicate — leads and test drives (leads), sales (sales), customer
// vehicles (aftersales), and the holders of vehicle reservations (catalog) — and the kernel imports none of them.
// Imports therefore run crm ← catalog ← {leads, aftersales} ← sales ← customers.
package customers
