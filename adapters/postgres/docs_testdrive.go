package postgres

import "github.com/dealercrm/dealercrm/leads"

// licenseDoc is how the driver's licence checked at a test drive is kept in test_drives.license.
type licenseDoc struct {
	Number     string `json:"number,omitempty"`
	Categories string `json:"categories,omitempty"`
	ValidUntil string `json:"valid_until,omitempty"`
}

func licenseDocOf(l leads.DriverLicense) licenseDoc {
	return licenseDoc{Number: l.Number, Categories: l.Categories, ValidUntil: l.ValidUntil}
}

func (l licenseDoc) value() leads.DriverLicense {
	return leads.DriverLicense{Number: l.Number, Categories: l.Categories, ValidUntil: l.ValidUntil}
}
