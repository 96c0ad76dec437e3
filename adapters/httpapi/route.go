package httpapi

import (
	"net/http"

	"github.com/dealercrm/dealercrm/crm"
)

// Body media types a route may read besides JSON.
const xmlBody = "application/xml"

// route is one entry of the route table: what the mux serves and what the OpenAPI document says about it. The
// same table feeds both, and a test holds them equal.
type route struct {
	Method  string
	Path    string // a ServeMux pattern path: /api/v1/vehicles/{id}
	ID      string // OpenAPI operationId
	Tag     string
	Summary string
	Access  crm.Permission // what the caller's role must hold (crm.Can); public: no authentication
	Query   []param        // query parameters
	// Body is a sample of the request body (nil: none). BodyType is "" for JSON or xmlBody; OptionalBody allows
	// an empty body.
	Body         any
	BodyType     string
	OptionalBody bool
	// Example is a request body this route accepts from the caller's dealer (see exampleRef for the values that
	// name the dealer's own data). The OpenAPI document shows it; the dealer-isolation and role tests send it.
	// Every JSON write route with a path parameter declares one (TestWriteRoutesDeclareExamples).
	Example any
	// Status is the success status; Out a sample of its body (nil: none); OutType "" for JSON, else the media
	// type of a binary or text body (application/pdf, text/html).
	Status  int
	Out     any
	OutType string
	// CSV: the answer is also given as CSV (text/csv, a header row) when the request accepts it (writeReport); the
	// OpenAPI document declares both media types.
	CSV bool
	// HTML: the answer is also a small HTML page when the request accepts text/html (a browser following a link).
	HTML bool
	// ETag: the response carries the record's ETag. IfMatch: the write honours If-Match (412 when stale).
	ETag    bool
	IfMatch bool
	// IfMatchRequired: once the record exists, a write without If-Match is refused with 428.
	IfMatchRequired bool
	handle          func(w http.ResponseWriter, r *http.Request) error
}

// param is a query parameter.
type param struct {
	Name string
	Type string // string, integer, boolean, uuid, date-time, date (a date or an instant), decimal
	Desc string
	Enum []string // the allowed values, when no enum component names them
	Of   string   // the enum component (see enums) the value is one of: VehicleStatus
	List bool     // several values, comma-separated
}

// pageParams are the query parameters of every list.
var pageParams = []param{
	{Name: "limit", Type: "integer", Desc: "page size, 1 to the server's maximum"},
	{Name: "cursor", Type: "string", Desc: "next_cursor of the previous page of the same list (and sort); a cursor of another list or sort, or an altered one, is a 422 naming cursor"},
	{Name: "count", Type: "boolean", Desc: "true: also answer total, the whole list's size (exact up to the server's count cap, default 1000; beyond it total is the cap and total_estimated is true)"},
}

// withPage appends the paging parameters.
func withPage(ps ...param) []param { return append(ps, pageParams...) }

// routeTable lists every route the handler serves, in document order. Routes of a service missing from Config
// are left out.
func (h *Handler) routeTable() []route {
	var rs []route
	rs = append(rs, h.systemRoutes()...)
	rs = append(rs, h.teamRoutes()...)
	rs = append(rs, h.vehicleRoutes()...)
	rs = append(rs, h.partRoutes()...)
	rs = append(rs, h.labourRoutes()...)
	rs = append(rs, h.productRoutes()...)
	rs = append(rs, h.importRoutes()...)
	rs = append(rs, h.leadRoutes()...)
	rs = append(rs, h.testDriveRoutes()...)
	rs = append(rs, h.scheduleRoutes()...)
	rs = append(rs, h.directoryRoutes()...)
	rs = append(rs, h.saleRoutes()...)
	rs = append(rs, h.contractRoutes()...)
	rs = append(rs, h.customerRoutes()...)
	for _, section := range sectionRoutes {
		rs = append(rs, section(h)...)
	}
	return rs
}

// sectionRoutes are the route tables of sections that register themselves, in the order of their files' names
// (init order), after the built-in ones.
var sectionRoutes []func(h *Handler) []route

// sectionCodes are the error codes of the sections that register themselves (see registerRoutes).
var sectionCodes []crm.Code

// registerRoutes adds a section's route table to every handler, and the codes its errors carry to ProblemCodes
// (the OpenAPI ErrorCode enum); a section's routes file calls it from an init function
// (func init() { registerRoutes((*Handler).creditRoutes, credit.Codes()...) }), so adding a section edits no
// list here or in crm.
func registerRoutes(routes func(h *Handler) []route, codes ...crm.Code) {
	sectionRoutes = append(sectionRoutes, routes)
	sectionCodes = append(sectionCodes, codes...)
}
