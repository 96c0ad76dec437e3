package crm

import "strings"

// MaxExternalIDLen is the longest external ID a record accepts: the ID of the record in an embedder's own system,
// unique per dealer, by which a sync fetches the record without a mapping table.
const MaxExternalIDLen = 200

// NormalizeExternalID trims an external ID and records in p (naming field) one that is too long.
func NormalizeExternalID(p *Problems, field string, id *string) {
	*id = strings.TrimSpace(*id)
	if len(*id) > MaxExternalIDLen {
		p.Add(field, "must be at most %d bytes", MaxExternalIDLen)
	}
}
