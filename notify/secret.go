package notify

import (
	"fmt"
	"log/slog"
)

// Secret is a credential kept to send with (a password, an app password, an OAuth client secret or refresh
// token). It is write-only: it prints, formats, logs (slog) and encodes to JSON as "[redacted]", so it cannot
// leak through an error, a log line or an API answer by accident; Reveal returns the value for the one place
// that needs it (the SMTP login, the adapter's stored row).
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether a value is stored.
func (s Secret) IsSet() bool { return s != "" }

// String returns "[redacted]" (or "" when unset).
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns the same as String, so %#v does not show the value either.
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.String()) }

// Format prints String for every verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue logs String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes String.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", s.String())), nil }

// MarshalText encodes String.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
