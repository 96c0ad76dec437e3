package runner

import (
	"context"
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// Env is the system one scenario runs against: an HTTP handler, and the means to create the dealers and users
// (with API keys) the scenario starts with, which the API itself does not offer.
type Env interface {
	http.Handler
	// AddDealer creates a dealer and returns its ID.
	AddDealer(ctx context.Context, d DealerSpec) (crm.ID, error)
	// AddUser creates a user of dealer with a fresh API key and returns the user's ID and the key's token.
	AddUser(ctx context.Context, dealer crm.ID, u UserSpec) (crm.ID, string, error)
}

// Factory makes a fresh, empty Env whose services take the time from clock. Every scenario gets its own.
type Factory func(clock crm.Clock) (Env, error)
