package appraisal_test

import (
	"strings"
	"testing"

	"github.com/dealercrm/dealercrm/appraisal"
	"github.com/dealercrm/dealercrm/crm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckUploadSanitisesNames(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n....")
	for name, want := range map[string]string{
		"фото.png":               "фото.png",
		"  фото.PNG ":            "фото.PNG",
		"a<b>c?.png":             "a_b_c_.png",
		"tab\there.png":          "tab_here.png",
		"":                       "file.png",
		"...":                    "file.png",
		"report":                 "report.png",
		strings.Repeat("я", 300): strings.Repeat("я", appraisal.MaxFileNameLength-4) + ".png",
	} {
		got, ct, kind, err := appraisal.CheckUpload(appraisal.Upload{Name: name, Data: png}, "image/png")
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
		assert.Equal(t, "image/png", ct)
		assert.Equal(t, appraisal.PhotoKind, kind)
	}
	for _, name := range []string{"../x.png", "a/b.png", `a\b.png`, "C:x.png", "..", "."} {
		_, _, _, err := appraisal.CheckUpload(appraisal.Upload{Name: name, Data: png}, "image/png")
		assert.Equal(t, []crm.FieldError{{Field: "file.name", Message: "must be a file name, not a path"}}, crm.FieldsOf(err), name)
	}
	_, _, _, err := appraisal.CheckUpload(appraisal.Upload{Name: "../x.exe", Data: []byte("MZ")}, "application/octet-stream")
	assert.Len(t, crm.FieldsOf(err), 2, "every wrong field is named: %v", err)
	_, ct, kind, err := appraisal.CheckUpload(appraisal.Upload{Name: "scan.pdf", Data: []byte("%PDF-1.7")}, "application/pdf")
	require.NoError(t, err)
	assert.Equal(t, []string{"application/pdf", appraisal.DocumentKind}, []string{ct, kind})
}

func TestAppraisalTitle(t *testing.T) {
	a := appraisal.Appraisal{Make: "Kia", Model: "Rio", Year: 2018, VIN: "Z94CB41AAJR123456", Color: "белый", Mileage: 84500}
	assert.Equal(t, "Kia Rio, 2018 г. в., VIN Z94CB41AAJR123456, цвет белый, пробег 84 500 км", a.Title())
	a.Mileage = 1234567
	assert.Contains(t, a.Title(), "пробег 1 234 567 км")
}

func TestTransitionsAreClosed(t *testing.T) {
	d, _ := crm.NewDealer(crm.Dealer{Name: "Д", LegalName: "ООО «Д»", Currency: "RUB"}, epoch)
	a, err := appraisal.NewAppraisal(d, appraisal.Input{Car: appraisal.Car{VIN: "Z94CB41AAJR123456", Make: "Kia", Model: "Rio",
		Year: 2018}, ReferencePrice: crm.MustMoney("500000", "RUB")}, appraisal.DefaultTemplate(), crm.NewID(), epoch)
	require.NoError(t, err)
	err = a.Act("sell", "", crm.NewID(), epoch)
	assert.Equal(t, "action", crm.FieldsOf(err)[0].Field)
	err = a.TakeAsTradeIn(crm.NewID(), epoch)
	assert.ErrorIs(t, err, appraisal.ErrNotApproved)
}
