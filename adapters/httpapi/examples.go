package httpapi

// exampleRef stands, in a route's request Example, for a value that must come from the caller's own data: the
// OpenAPI document shows sampleRefs in its place, the dealer-isolation and role tests a real record's.
type exampleRef string

// The values an example may name.
const (
	exVehicle  exampleRef = "vehicle_id"  // one of the dealer's vehicles, free for a test drive
	exStart    exampleRef = "start"       // the start of a free test-drive slot
	exEnd      exampleRef = "end"         // the end of that slot
	exCustomer exampleRef = "customer_id" // one of the dealer's customers
	exSale     exampleRef = "sale_id"     // one of the dealer's open sales, with a price
	// exCreditProgram is one of the dealer's credit programs, valid now, that accepts the example applications.
	exCreditProgram   exampleRef = "program_id"
	exCustomerVehicle exampleRef = "customer_vehicle_id" // one of the dealer's customer vehicles
	exServiceStart    exampleRef = "service_start"       // the start of a free slot of the workshop's bay 1
	exServiceEnd      exampleRef = "service_end"         // the end of that slot
	// exDuplicate is another of the dealer's customers, a duplicate of the one addressed.
	exDuplicate exampleRef = "duplicate_id"
	// exMake, exModel, exGeneration and exConfiguration are records of the dealer's model directory: the
	// configuration offers the options WINTER and TOWBAR and the exterior colour BLUE.
	exMake          exampleRef = "make_id"
	exModel         exampleRef = "model_id"
	exGeneration    exampleRef = "generation_id"
	exConfiguration exampleRef = "configuration_id"
)

// obj is a JSON object in a request example.
type obj = map[string]any

// exampleRefs gives a value to each exampleRef.
type exampleRefs map[exampleRef]any

// sampleRefs are the values the OpenAPI document shows for the references of its examples.
var sampleRefs = exampleRefs{
	exVehicle:         "3fa85f64-5717-4562-b3fc-2c963f66afa6",
	exStart:           "2026-12-01T07:00:00.000000Z",
	exEnd:             "2026-12-01T07:30:00.000000Z",
	exDuplicate:       "9b2e4c1a-6f0d-4a8e-b7c3-2d5f8e1a0c47",
	exCustomer:        "5c1d7e2a-3b4f-4e6a-9c8d-7f0e1a2b3c4d",
	exCustomerVehicle: "0f8e2b1c-5d4a-4c3b-9a8e-1b2c3d4e5f60",
	exServiceStart:    "2026-12-01T07:00:00.000000Z",
	exServiceEnd:      "2026-12-01T08:00:00.000000Z",
	exModel:           "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
	exSale:            "7d3e9f1b-2c4a-4b8e-8f6d-1a2b3c4d5e6f",
	exCreditProgram:   "8e4f0a2c-3d5b-4c9f-9a7e-2b3c4d5e6f70",
	exMake:            "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
	exGeneration:      "3c4d5e6f-7a8b-4c0d-9e2f-3a4b5c6d7e8f",
	exConfiguration:   "4d5e6f7a-8b9c-4d1e-8f3a-4b5c6d7e8f90",
}

// example returns the route's request example with refs filled in; nil when it declares none.
func (rt route) example(refs exampleRefs) any { return fillExample(rt.Example, refs) }

func fillExample(v any, refs exampleRefs) any {
	switch x := v.(type) {
	case exampleRef:
		return refs[x]
	case obj:
		out := make(obj, len(x))
		for k, e := range x {
			out[k] = fillExample(e, refs)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fillExample(e, refs)
		}
		return out
	default:
		return v
	}
}
