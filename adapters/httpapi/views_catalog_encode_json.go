//go:build noencoders

package httpapi

import (
	"encoding/json"

	"github.com/dealercrm/dealercrm/catalog"
)

// appendVehicleJSON appends the JSON of vehicleView(*v) through encoding/json: the build without the generated
// encoders (-tags noencoders, the build TestGeneratedEncoders regenerates jsonenc_gen.go in), whose hand-written
// twin in views_catalog_encode.go calls the nested views' generated appenders.
func appendVehicleJSON(b []byte, v *catalog.Vehicle) []byte {
	out, err := json.Marshal(vehicleView(*v))
	if err != nil {
		panic(err) // a view of plain fields, strings and json.Marshaler amounts: nothing json.Marshal refuses
	}
	return append(b, out...)
}
