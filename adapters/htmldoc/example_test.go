package htmldoc_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/dealercrm/dealercrm/adapters/htmldoc"
	"github.com/dealercrm/dealercrm/adapters/pdf/layout/layouttest"
)

func ExampleRenderer() {
	page, err := htmldoc.Renderer{}.Render(context.Background(), layouttest.Contract())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(htmldoc.Renderer{}.ContentType())
	fmt.Println(strings.Contains(string(page), "<h1>ДОГОВОР КУПЛИ-ПРОДАЖИ АВТОМОБИЛЯ"))
	// Output:
	// text/html; charset=utf-8
	// true
}
