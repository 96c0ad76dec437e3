package notify

// Unsubscribe is how unsubscribe links are made: Key signs the tokens (HMAC-SHA256; keep it secret and stable,
// as a link stays valid as long as the key does) and URL is the page the link opens, to which "?token=" and the
// token are appended (e.g. https://crm.example.com/api/v1/unsubscribe).
type Unsubscribe struct {
	Key []byte
	URL string
}
