package leads

// Source says where a lead came from.
type Source string

// Lead sources. These codes are fixed.
const (
	SourceWebsite  Source = "website"
	SourcePhone    Source = "phone"
	SourceWalkIn   Source = "walk_in"
	SourcePartner  Source = "partner"
	SourceCampaign Source = "campaign"
	SourceImport   Source = "import"
)

// Sources lists every lead source in display order.
var Sources = []Source{SourceWebsite, SourcePhone, SourceWalkIn, SourcePartner, SourceCampaign, SourceImport}

// Valid reports whether s is one of the known sources.
func (s Source) Valid() bool {
	for _, k := range Sources {
		if s == k {
			return true
		}
	}
	return false
}
