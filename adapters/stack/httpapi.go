package stack

import "github.com/dealercrm/dealercrm/adapters/httpapi"

// HTTPConfig returns the configuration of the JSON API (adapters/httpapi) over every service of the stack: the
// contract routes print with the stack's renderers and keep documents in its file store; idempotency records are
// dated by the stack's clock; a key revoked through the stack's Team (or any crm.Team given its Revocations) is
// refused at once. Set Logger, Ready, Limits or the contract's signatory on it as needed:
//
//	cfg := st.HTTPConfig()
//	cfg.Logger = slog.Default()
//	h, err := httpapi.New(cfg)
func (s *Stack) HTTPConfig() httpapi.Config {
	return httpapi.Config{
		Kernel:           s.Kernel,
		Catalog:          s.Catalog,
		Leads:            s.Leads,
		Sales:            s.Sales,
		CustomerVehicles: s.Aftersales,
		Customers:        s.Customers,
		Credit:           s.Credit,
		Appraisal:        s.Appraisal,
		Activities:       s.Activities,
		Playbooks:        s.Playbooks,
		Timeline:         s.Timeline,
		Notify:           s.Notify,
		Plans:            s.Plans,
		Analytics:        s.Analytics,
		Contracts:        httpapi.Contracts{PDF: s.ContractPDF, HTML: s.ContractHTML, Files: s.Files},
		Clock:            s.Clock,
		Revocations:      s.Revocations,
	}
}
