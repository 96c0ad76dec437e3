package files_test

import (
	"context"
	"fmt"

	"github.com/dealercrm/dealercrm/adapters/files"
)

func ExampleMemory() {
	ctx := context.Background()
	store := files.NewMemory()
	_ = store.Put(ctx, "dealers/d1/sales/s1/contract-42.pdf", []byte("%PDF-1.7"), "application/pdf")
	data, err := store.Get(ctx, "dealers/d1/sales/s1/contract-42.pdf")
	fmt.Println(string(data), err)
	_, err = store.Get(ctx, "../outside")
	fmt.Println(err)
	// Output:
	// %PDF-1.7 <nil>
	// files.ValidKey: invalid input: key must be slash-separated names without empty, . or .. elements
}
