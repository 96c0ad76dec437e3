package catalog

import (
	"context"
	"errors"
	"strings"

	"github.com/dealercrm/dealercrm/crm"
)

// VehicleDealerTab is the dealer tab of a vehicle card: the additional information about the dealer that holds
// the car — the branch or showroom it stands in, the manager who answers for it, the supplier it came from and
// the document it arrived with (a consignment note, an acceptance certificate).
type VehicleDealerTab struct {
	Branch          string `json:"branch,omitempty"`      // the branch or showroom holding the car
	ManagerID       crm.ID `json:"manager_id,omitzero"`   // the responsible manager: a user of the dealer
	Supplier        string `json:"supplier,omitempty"`    // the importer, distributor or previous owner it came from
	ArrivalDocument string `json:"arrival_doc,omitempty"` // e.g. "ТТН № 4512 от 03.11.2026"
}

// normalize trims the tab's texts.
func (t *VehicleDealerTab) normalize() {
	t.Branch, t.Supplier = strings.TrimSpace(t.Branch), strings.TrimSpace(t.Supplier)
	t.ArrivalDocument = strings.TrimSpace(t.ArrivalDocument)
}

// checkManager refuses a dealer tab's manager that is not a user of the context's dealer (crm.KindInvalid naming
// "dealer.manager_id"); no manager passes.
func checkManager(ctx context.Context, st Stores, id crm.ID) error {
	if id == (crm.ID{}) {
		return nil
	}
	_, err := st.Users().Get(ctx, id)
	if errors.Is(err, crm.ErrNotFound) {
		return crm.Invalid("catalog", crm.FieldError{Field: "dealer.manager_id", Message: "no such user"})
	}
	return err
}
