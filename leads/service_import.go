package leads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// ImportStatus says what became of one imported prospect.
type ImportStatus string

// Import statuses.
const (
	ImportCreated   ImportStatus = "created"   // a new lead was made
	ImportDuplicate ImportStatus = "duplicate" // the prospect was imported before; LeadID is that lead
)

// ImportItem is the outcome for one prospect, in document order.
type ImportItem struct {
	Index  int          `json:"index"` // the prospect's position in the document, from 0
	Key    string       `json:"key"`   // its import key (see Prospect.Key)
	Status ImportStatus `json:"status"`
	LeadID crm.ID       `json:"lead_id"`
}

// ImportResult is the outcome of importing one document.
type ImportResult struct {
	Items      []ImportItem `json:"items"`
	Created    int          `json:"created"`
	Duplicates int          `json:"duplicates"`
}

// ImportADF imports an ADF 1.0 document (see ParseADF): every prospect becomes a lead of source import (see
// Prospect.Draft), with duplicate detection as in CreateLead, all in one unit of work. When the wanted vehicle's
// VIN is one of the dealer's vehicles, the lead's interest names that vehicle. A prospect whose key was
// imported before (by this call or an earlier one) creates nothing and is reported as a duplicate of its lead.
//
// A document that ParseADF refuses, or with a prospect that does not make a valid lead (no name, no phone or
// e-mail: the fields are named "prospect[i].contact.name" and so on), gives an Invalid error and writes nothing.
func (s *Service) ImportADF(ctx context.Context, r io.Reader) (ImportResult, error) {
	const op = "leads.Service.ImportADF"
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	prospects, err := ParseADF(r)
	if err != nil {
		return ImportResult{}, wrap(op, err)
	}
	dl, err := s.dealerOf(ctx, dealer)
	if err != nil {
		return ImportResult{}, wrap(op, err)
	}
	currency := crm.Currency("RUB")
	if dl.Currency != "" {
		currency = dl.Currency
	}
	var res ImportResult
	err = s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		res = ImportResult{}
		now, by := crm.Now(ctx), crm.ActorFrom(ctx)
		drafts := make([]Lead, len(prospects))
		var p crm.Problems
		for i, pr := range prospects {
			l, err := NewLead(dealer, pr.Draft(currency), by, now)
			p.Merge(fmt.Sprintf("prospect[%d].", i), err)
			drafts[i] = l
		}
		if err := p.Err(op); err != nil {
			return err
		}
		for i := range drafts {
			item, err := importOne(ctx, st, &drafts[i])
			if err != nil {
				return fmt.Errorf("prospect %d: %w", i, err)
			}
			item.Index = i
			res.Items = append(res.Items, item)
			if item.Status == ImportCreated {
				res.Created++
			} else {
				res.Duplicates++
			}
		}
		return nil
	})
	return res, wrap(op, err)
}

// importOne claims the lead's import key and creates the lead, or reports the lead that claimed the key before.
func importOne(ctx context.Context, st Stores, l *Lead) (ImportItem, error) {
	key := l.External.Key
	claim := ImportKey{DealerID: l.DealerID, Key: key, LeadID: l.ID, CreatedAt: l.CreatedAt}
	if err := st.LeadImports().Create(ctx, &claim); errors.Is(err, crm.ErrConflict) {
		prev, err := st.LeadImports().Get(ctx, key)
		if err != nil {
			return ImportItem{}, err
		}
		return ImportItem{Key: key, Status: ImportDuplicate, LeadID: prev.LeadID}, nil
	} else if err != nil {
		return ImportItem{}, err
	}
	if err := markDuplicates(ctx, st, l); err != nil {
		return ImportItem{}, err
	}
	if err := linkStockVehicle(ctx, st, l); err != nil {
		return ImportItem{}, err
	}
	if err := setResponseDue(ctx, st, l); err != nil {
		return ImportItem{}, err
	}
	if err := st.Leads().Create(ctx, l); err != nil {
		return ImportItem{}, err
	}
	if err := enterLeadStage(ctx, st, *l, true); err != nil {
		return ImportItem{}, err
	}
	return ImportItem{Key: key, Status: ImportCreated, LeadID: l.ID}, nil
}

// linkStockVehicle makes the lead's interest the dealer's vehicle whose VIN the first wanted vehicle names, when
// there is exactly such one.
func linkStockVehicle(ctx context.Context, st Stores, l *Lead) error {
	for _, v := range l.Vehicles {
		if v.Offered() {
			continue
		}
		if len(v.VIN) != 17 {
			return nil
		}
		page, err := st.Vehicles().Search(ctx, catalog.VehicleQuery{Text: v.VIN, Limit: 10})
		if err != nil {
			return err
		}
		var found []crm.ID
		for _, c := range page.Items {
			if strings.EqualFold(string(c.VIN), v.VIN) {
				found = append(found, c.ID)
			}
		}
		if len(found) == 1 {
			l.Interest.VehicleID = found[0]
		}
		return nil
	}
	return nil
}
