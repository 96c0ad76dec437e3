package aftersales

import (
	"context"
	"errors"
	"time"

	"github.com/dealercrm/dealercrm/catalog"
	"github.com/dealercrm/dealercrm/crm"
)

// AddWarranty records a warranty contract of the customer vehicle (w.CustomerVehicleID is taken from id). It
// returns the stored warranty; crm.KindNotFound for a car the dealer does not have; crm.KindInvalid naming the
// bad fields (NewWarranty).
func (s *Service) AddWarranty(ctx context.Context, id crm.ID, w Warranty) (Warranty, error) {
	const op = "aftersales.Service.AddWarranty"
	var out Warranty
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		dealer, err := crm.DealerFrom(ctx)
		if err != nil {
			return err
		}
		if _, err := st.CustomerVehicles().Get(ctx, id); err != nil {
			return err
		}
		w.CustomerVehicleID = id
		nw, err := NewWarranty(dealer, w, crm.Now(ctx))
		if err != nil {
			return err
		}
		if err := st.Warranties().Create(ctx, &nw); err != nil {
			return err
		}
		out = nw
		return nil
	})
	return out, wrap(op, err)
}

// GetWarranty returns a warranty; crm.KindNotFound if missing or another dealer's.
func (s *Service) GetWarranty(ctx context.Context, id crm.ID) (Warranty, error) {
	var out Warranty
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) (err error) {
		out, err = st.Warranties().Get(ctx, id)
		return err
	})
	return out, wrap("aftersales.Service.GetWarranty", err)
}

// ListWarranties returns the customer vehicle's warranties, manufacturer ones first; crm.KindNotFound for a car
// the dealer does not have.
func (s *Service) ListWarranties(ctx context.Context, id crm.ID) ([]Warranty, error) {
	var out []Warranty
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		if _, err := st.CustomerVehicles().Get(ctx, id); err != nil {
			return err
		}
		var err error
		out, err = st.Warranties().ListByCustomerVehicle(ctx, id)
		return err
	})
	return out, wrap("aftersales.Service.ListWarranties", err)
}

// VoidWarranty voids the warranty read at expectedVersion (0: unconditional) with a reason (Warranty.MakeVoid).
// It returns crm.KindStaleVersion, crm.KindNotFound, ErrWarrantyStatus (already void), crm.KindInvalid naming
// "reason".
func (s *Service) VoidWarranty(ctx context.Context, id crm.ID, expectedVersion int64, reason string) (Warranty, error) {
	const op = "aftersales.Service.VoidWarranty"
	var out Warranty
	err := s.uow.Update(ctx, func(ctx context.Context, st Stores) error {
		w, err := st.Warranties().Get(ctx, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion(op, w.Version, expectedVersion); err != nil {
			return err
		}
		if err := w.MakeVoid(reason, crm.Now(ctx)); err != nil {
			return err
		}
		if err := st.Warranties().Update(ctx, &w); err != nil {
			return err
		}
		out = w
		return nil
	})
	return out, wrap(op, err)
}

// CheckCoverage answers whether a repair of system on the civil date of day at km (0: the car's last odometer
// reading) is covered by a warranty of the car, with the reason when it is not (CoverageOf). crm.KindNotFound for
// a car the dealer does not have; crm.KindInvalid naming system or km.
func (s *Service) CheckCoverage(ctx context.Context, id crm.ID, system string, day time.Time, km int) (Coverage, error) {
	const op = "aftersales.Service.CheckCoverage"
	var p crm.Problems
	p.Require("system", system)
	if km < 0 {
		p.Add("km", "must not be negative")
	}
	if err := p.Err(op); err != nil {
		return Coverage{}, err
	}
	var out Coverage
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		cv, err := st.CustomerVehicles().Get(ctx, id)
		if err != nil {
			return err
		}
		ws, err := st.Warranties().ListByCustomerVehicle(ctx, id)
		if err != nil {
			return err
		}
		km, day := km, day // fn may run more than once: the defaults are this run's reads, not a previous run's
		if km == 0 {
			km = cv.Odometer
		}
		if day.IsZero() {
			_, loc, err := workshopIn(ctx, st)
			if err != nil {
				return err
			}
			day = civil(crm.Now(ctx), loc)
		}
		out = CoverageOf(ws, system, Date(day), km)
		return nil
	})
	return out, wrap(op, err)
}

// ListExpiringWarranties returns the page pr asks for of the warranties that are not void and expire within days
// days of today (in the workshop's time zone): their last covered day is in [today, today+days), that is End
// (the first day not covered) in [today+1, today+days]; by end, then ID (keyset pages read by the store). Invalid
// names within_days (0 to 3660) or cursor.
func (s *Service) ListExpiringWarranties(ctx context.Context, days int, pr crm.PageRequest) (crm.Page[Warranty], error) {
	const op = "aftersales.Service.ListExpiringWarranties"
	if days < 0 || days > 3660 {
		return crm.Page[Warranty]{}, crm.Invalid(op, crm.FieldError{Field: "within_days", Message: "must be between 0 and 3660"})
	}
	var out crm.Page[Warranty]
	err := s.uow.View(ctx, func(ctx context.Context, st Stores) error {
		_, loc, err := workshopIn(ctx, st)
		if err != nil {
			return err
		}
		today := civil(crm.Now(ctx), loc)
		out, err = st.Warranties().PageEndingBetween(ctx, today.AddDate(0, 0, 1), today.AddDate(0, 0, days+1), pr)
		return err
	})
	return out, wrap(op, err)
}

// KnownVIN is the customer vehicle a dealer keeps for a VIN (CustomerVehicleStore.FindByVIN), Found false when it
// keeps none.
type KnownVIN struct {
	Vehicle CustomerVehicle
	Found   bool
}

// FindKnownVIN reads the customer vehicle the dealer keeps for vin, for RecordSoldVehicle.
func FindKnownVIN(ctx context.Context, st SaleStores, vin catalog.VIN) (KnownVIN, error) {
	cv, err := st.CustomerVehicles().FindByVIN(ctx, vin)
	if errors.Is(err, crm.ErrNotFound) {
		return KnownVIN{}, nil
	}
	if err != nil {
		return KnownVIN{}, err
	}
	return KnownVIN{Vehicle: cv, Found: true}, nil
}

// SaleStores is what recording a sold car needs: the customer vehicles, the warranties, and the directory's
// per-model maintenance plans and warranty terms.
type SaleStores interface {
	catalog.PerModelStores
	CustomerVehicles() CustomerVehicleStore
	Warranties() WarrantyStore
}

// RecordSoldVehicle stores the customer vehicle of a won sale inside the caller's unit of work (sales.WinSale's)
// with what the directory has for its make, model and year: the model's maintenance plan is attached to the car,
// and when the model has manufacturer warranty terms a manufacturer warranty is created from the sale date
// (Months, KmLimit, covered systems). A model the directory does not know gets neither. It returns the stored car
// and the warranty (zero when none).
//
// A dealer keeps one customer vehicle per VIN, so a car the dealer already knows by its VIN (recorded by hand
// for a previous owner, or sold here before and taken back in trade) is not recorded twice: that record passes to
// the buyer (TakeOver: the owner change in its history, the sale, the new policy) and keeps its readings,
// visits and warranties; a manufacturer warranty is added only when it has none. known is the customer vehicle the
// caller found by cv's VIN (FindKnownVIN, or its bundle's joined read).
func RecordSoldVehicle(ctx context.Context, st SaleStores, cv CustomerVehicle, known KnownVIN) (CustomerVehicle, Warranty, error) {
	// the plan and the terms in one lookup: make → model → generation resolved once (one read on PostgreSQL)
	dir, err := catalog.PerModelFor(ctx, st, cv.Make, cv.Model, cv.Year)
	if err != nil {
		return CustomerVehicle{}, Warranty{}, err
	}
	if plan := dir.Plan; dir.HasPlan {
		cv.Plan = AttachedPlan{PlanID: plan.ID, Interval: MaintenanceInterval{EveryKM: plan.IntervalKm, EveryMonths: plan.IntervalMonths}}
	}
	if !known.Found {
		if err := st.CustomerVehicles().Create(ctx, &cv); err != nil {
			return CustomerVehicle{}, Warranty{}, err
		}
	} else {
		k := known.Vehicle
		k.TakeOver(cv, crm.Now(ctx))
		if err := st.CustomerVehicles().Update(ctx, &k); err != nil {
			return CustomerVehicle{}, Warranty{}, err
		}
		cv = k
		ws, err := st.Warranties().ListByCustomerVehicle(ctx, cv.ID)
		if err != nil {
			return CustomerVehicle{}, Warranty{}, err
		}
		for _, w := range ws {
			if w.Kind == WarrantyManufacturer {
				return cv, Warranty{}, nil
			}
		}
	}
	if !dir.HasTerms {
		return cv, Warranty{}, nil
	}
	terms := dir.Terms
	start := Date(cv.InServiceSince)
	w, err := NewWarranty(cv.DealerID, Warranty{CustomerVehicleID: cv.ID, Kind: WarrantyManufacturer, Start: start,
		End: terms.Expires(start), KmLimit: terms.KmLimit, Systems: terms.CoveredSystems, Provider: cv.Make,
		TermsID: terms.ID, Notes: terms.Notes}, crm.Now(ctx))
	if err != nil {
		return CustomerVehicle{}, Warranty{}, err
	}
	if err := st.Warranties().Create(ctx, &w); err != nil {
		return CustomerVehicle{}, Warranty{}, err
	}
	return cv, w, nil
}
