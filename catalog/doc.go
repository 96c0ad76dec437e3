// Package catalog is the dealer's product catalog: vehicles (the card, VIN, statuses and reservations),
// spare parts and labour operations (catalog.Labour, HTTP's "services"), and searching them.
//
// The rules live on the types: a Vehicle reserves, releases and sells itself and refuses what its status does
// not allow; a Service orchestrates loading, calling the rule and saving through the ports in Stores.
package catalog
