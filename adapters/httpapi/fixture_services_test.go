package httpapi

import (
	"github.com/dealercrm/dealercrm/activities"
	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/plans"
	"net/http"
	"time"

	"github.com/dealercrm/dealercrm/adapters/files"
	"github.com/dealercrm/dealercrm/adapters/htmldoc"
	"github.com/dealercrm/dealercrm/adapters/noticetmpl"
	"github.com/dealercrm/dealercrm/adapters/pdf"
	"github.com/dealercrm/dealercrm/adapters/smtp"
	"github.com/dealercrm/dealercrm/aftersales"
	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/credit"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/customers"
	"github.com/dealercrm/dealercrm/leads"
	"github.com/dealercrm/dealercrm/notify"
	"github.com/dealercrm/dealercrm/playbooks"
	"github.com/dealercrm/dealercrm/sales"
	"github.com/dealercrm/dealercrm/timeline"
)

// config wires every service over the fixture's memory database and manual clock.
func (f *fixture) config() Config {
	return Config{
		Kernel:           crm.NewUnit[crm.Stores](f.db, f.clock),
		Catalog:          catalog.NewService(crm.NewUnit[catalog.Stores](f.db, f.clock), f.clock),
		Leads:            leads.NewService(crm.NewUnit[leads.Stores](f.db, f.clock), f.clock),
		Sales:            sales.NewService(crm.NewUnit[sales.Stores](f.db, f.clock), f.clock),
		CustomerVehicles: aftersales.NewService(crm.NewUnit[aftersales.Stores](f.db, f.clock), f.clock),
		Customers:        customers.NewService(crm.NewUnit[customers.Stores](f.db, f.clock)),
		Credit:           credit.NewService(crm.NewUnit[credit.Stores](f.db, f.clock), f.clock),
		Activities:       activities.NewService(crm.NewUnit[activities.Stores](f.db, f.clock), f.clock),
		Playbooks:        playbooks.NewService(crm.NewUnit[playbooks.Stores](f.db, f.clock)),
		Timeline:         timeline.NewService(crm.NewUnit[timeline.Stores](f.db, f.clock)),
		Plans:            plans.NewService(crm.NewUnit[plans.Stores](f.db, f.clock), f.clock),
		Analytics:        analytics.NewService(crm.NewUnit[analytics.Stores](f.db, f.clock)),
		Contracts:        Contracts{PDF: pdf.Renderer{}, HTML: htmldoc.Renderer{}, Files: files.NewMemory()},
		Clock:            f.clock,
		Logger:           testLogger(f.logs),
		Notify: notify.NewService(crm.NewUnit[notify.Stores](f.db, f.clock), f.clock,
			notify.WithMailer(&smtp.Mailer{Timeout: 2 * time.Second}), notify.WithRenderer(noticetmpl.Renderer{}),
			notify.WithUnsubscribe(notify.Unsubscribe{Key: []byte(testUnsubscribeKey), URL: "https://crm.example.com/api/v1/unsubscribe"})),
		Appraisal: appraisal.NewService(crm.NewUnit[appraisal.Stores](f.db, f.clock), f.clock,
			appraisal.WithFiles(files.NewMemory()), appraisal.WithSniffer(http.DetectContentType)),
	}
}

// seed gives a new dealer the default directories (need types, lead stages, sales stages).
func (f *fixture) seed(d dealerFixture) {
	f.t.Helper()
	if f.h.cfg.Leads != nil {
		if err := f.h.cfg.Leads.SeedDirectories(d.ctx); err != nil {
			f.t.Fatal(err)
		}
	}
	if f.h.cfg.Sales != nil {
		if _, err := f.h.cfg.Sales.SeedStages(d.ctx); err != nil {
			f.t.Fatal(err)
		}
	}
}
