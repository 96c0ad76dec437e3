package catalog

import (
	"context"
	"sort"

	"github.com/dealercrm/dealercrm/crm"
)

// SearchProducts searches the whole catalog: vehicles, then spare parts, then services (or the kinds q names),
// each kind in its own order, with one keyset cursor across them that stays stable while products are added.
// Text and price filter every kind. It returns crm.KindInvalid naming "kind", "price_to" or "cursor".
func (s *Service) SearchProducts(ctx context.Context, q ProductQuery) (ProductPage, error) {
	kinds, inner, innerID, err := q.prepare()
	if err != nil {
		return ProductPage{}, err
	}
	limit := crm.PageLimit(q.Limit)
	var out ProductPage
	for i, kind := range kinds {
		if i > 0 {
			inner, innerID = "", crm.ID{}
		}
		need := limit - len(out.Items)
		var next string
		switch kind {
		case KindVehicle:
			next, err = s.productVehicles(ctx, q, inner, need, &out)
		case KindPart:
			next, err = s.productParts(ctx, q, inner, need, &out)
		case KindLabour:
			next, err = s.productLabours(ctx, q, inner, innerID, need, &out)
		}
		if err != nil {
			return ProductPage{}, err
		}
		if next != "" {
			out.NextCursor = next
			return out, nil
		}
		if len(out.Items) == limit && i+1 < len(kinds) {
			out.NextCursor = encodeProductCursor(kinds[i+1], "", crm.ID{})
			return out, nil
		}
	}
	return out, nil
}

// productVehicles appends up to need vehicles after the inner cursor; it returns the product cursor to resume
// from when more vehicles remain.
func (s *Service) productVehicles(ctx context.Context, q ProductQuery, inner string, need int, out *ProductPage) (string, error) {
	page, err := s.SearchVehicles(ctx, VehicleQuery{Text: q.Text, PriceFrom: q.PriceFrom, PriceTo: q.PriceTo,
		Sort: SortCreated, Limit: need, Cursor: inner})
	if err != nil {
		return "", err
	}
	for _, v := range page.Items {
		out.Items = append(out.Items, vehicleProduct(v))
	}
	if page.NextCursor == "" {
		return "", nil
	}
	return encodeProductCursor(KindVehicle, page.NextCursor, crm.ID{}), nil
}

// productParts appends up to need parts in the price range after the inner cursor, reading part pages until it
// has them or the parts run out.
func (s *Service) productParts(ctx context.Context, q ProductQuery, inner string, need int, out *ProductPage) (string, error) {
	pq := PartQuery{Text: q.Text, Limit: need, Cursor: inner}
	taken := 0
	for {
		page, err := s.SearchParts(ctx, pq)
		if err != nil {
			return "", err
		}
		for i := range page.Items {
			p := &page.Items[i]
			if !q.inPrice(p.Price) {
				continue
			}
			out.Items = append(out.Items, partProduct(*p))
			if taken++; taken == need {
				if i+1 == len(page.Items) && page.NextCursor == "" {
					return "", nil
				}
				return encodeProductCursor(KindPart, pq.CursorAfter(p), crm.ID{}), nil
			}
		}
		if page.NextCursor == "" {
			return "", nil
		}
		pq.Cursor = page.NextCursor
	}
}

// productLabours appends up to need labour operations (ordered by code, then ID) after the one the cursor names.
func (s *Service) productLabours(ctx context.Context, q ProductQuery, afterCode string, afterID crm.ID, need int,
	out *ProductPage) (string, error) {
	all, err := s.ListLabours(ctx)
	if err != nil {
		return "", err
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Code != all[j].Code {
			return all[i].Code < all[j].Code
		}
		return all[i].ID.String() < all[j].ID.String()
	})
	resume := afterID != (crm.ID{})
	var kept []Labour
	for _, it := range all {
		if resume && (it.Code < afterCode || (it.Code == afterCode && it.ID.String() <= afterID.String())) {
			continue
		}
		if q.inPrice(it.Price) && q.matchesText(it.Code, it.Name) {
			kept = append(kept, it)
		}
	}
	for i, it := range kept {
		if i == need {
			last := kept[i-1]
			return encodeProductCursor(KindLabour, last.Code, last.ID), nil
		}
		out.Items = append(out.Items, labourProduct(it))
	}
	return "", nil
}
