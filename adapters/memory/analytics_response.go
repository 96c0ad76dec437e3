package memory

import (
	"context"

	"github.com/dealercrm/dealercrm/analytics"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/dealercrm/dealercrm/leads"
)

// responseAcc gathers one key of the lead-response report.
type responseAcc struct {
	c       analytics.ResponseCount
	minutes []int
}

func (a *responseAcc) add(l *leads.Lead) {
	a.c.Leads++
	if l.FirstResponseAt.IsZero() {
		return
	}
	a.c.Responded++
	a.c.Minutes += int64(l.ResponseMinutes)
	a.minutes = append(a.minutes, l.ResponseMinutes)
	if !l.ResponseDueAt.IsZero() && !l.FirstResponseAt.After(l.ResponseDueAt) {
		a.c.InTime++
	}
}

func (a *responseAcc) count() analytics.ResponseCount {
	a.c.Median = analytics.MedianMinutes(a.minutes)
	return a.c
}

func (s analyticsStore) LeadResponse(ctx context.Context, q analytics.Query, by analytics.Dimension) ([]analytics.ResponseCount, analytics.ResponseCount, crm.Currency, error) {
	dealer, err := crm.DealerFrom(ctx)
	if err != nil {
		return nil, analytics.ResponseCount{}, "", err
	}
	names := s.names(dealer, by)
	rows := map[string]*responseAcc{}
	var total responseAcc
	leadRecords.eachOf(s.tx, dealer, func(l *leads.Lead) bool {
		if !in(l.CreatedAt, q.From, q.To) {
			return true
		}
		k := leadKey(l, by)
		a := rows[k]
		if a == nil {
			a = &responseAcc{c: analytics.ResponseCount{Key: k, Label: names[k]}}
			rows[k] = a
		}
		a.add(l)
		total.add(l)
		return true
	})
	out := []analytics.ResponseCount{}
	for _, a := range rows {
		out = append(out, a.count())
	}
	return out, total.count(), s.currency(dealer, q), nil
}
