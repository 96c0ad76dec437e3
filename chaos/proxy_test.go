package chaos_test

import (
	"net/url"

	"github.com/dealercrm/dealercrm/chaos"
)

// newProxyTo starts a proxy to w's database server.
func newProxyTo(w *world) (*chaos.Proxy, error) {
	u, err := url.Parse(w.url)
	if err != nil {
		return nil, err
	}
	return chaos.NewProxy(u.Host)
}
