package catalog

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/dealercrm/dealercrm/crm"
	"github.com/shopspring/decimal"
)

// TestVehicleCursorIsWhatItWas: a vehicle query's list order and cursor are, for every sort and direction, the
// text they were made of by concatenation before the orders became constants: the sort and the direction, and
// json.Marshal of [list, order, key, id] in base64url.
func TestVehicleCursorIsWhatItWas(t *testing.T) {
	rnd := rand.New(rand.NewPCG(16, 5))
	zone := time.FixedZone("MSK", 3*3600)
	for i := range 2000 {
		q := VehicleQuery{Sort: []VehicleSort{SortCreated, SortPrice, SortYear, "other"}[rnd.IntN(4)], Desc: rnd.IntN(2) == 0}
		dir := " asc"
		if q.Desc {
			dir = " desc"
		}
		if got, want := q.list(), (crm.List{Name: "vehicles", Order: string(q.Sort) + dir}); got != want {
			t.Fatalf("list of %+v: %+v, want %+v", q, got, want)
		}
		v := Vehicle{Year: 1990 + rnd.IntN(40)}
		v.ID = crm.NewID()
		v.CreatedAt = time.Unix(rnd.Int64N(4e9), rnd.Int64N(1e9)*int64(i%3)).In(zone)
		v.Finance.ListPrice = crm.NewMoney(decimal.New(rnd.Int64N(1e9), -2), "RUB")
		var key string
		switch q.Sort {
		case SortPrice:
			key = v.Finance.ListPrice.Amount.String()
		case SortYear:
			key = strconv.Itoa(v.Year)
		default:
			key = v.CreatedAt.UTC().Format(time.RFC3339Nano)
		}
		b, err := json.Marshal([4]string{"vehicles", string(q.Sort) + dir, key, v.ID.String()})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := q.CursorAfter(&v), base64.RawURLEncoding.EncodeToString(b); got != want {
			t.Fatalf("CursorAfter(%+v) of %v: %s, want %s", q, v.CreatedAt, got, want)
		}
	}
}
