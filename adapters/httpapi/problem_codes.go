package httpapi

import "github.com/dealercrm/dealercrm/crm"

// The HTTP layer's own problem codes, for failures no kernel error describes (the request could not be read,
// no route matched). Their problem types are the code with dashes: urn:dealercrm:problem:body-too-large.
const (
	codeMalformedRequest      crm.Code = "malformed_request"       // 400: the body or a header cannot be read
	codeBodyTooLarge          crm.Code = "body_too_large"          // 413
	codeUnsupportedMediaType  crm.Code = "unsupported_media_type"  // 415
	codeNoRoute               crm.Code = "no_route"                // 404: no route has this path
	codeMethodNotAllowed      crm.Code = "method_not_allowed"      // 405
	codeOriginNotAllowed      crm.Code = "origin_not_allowed"      // 403 to a CORS preflight from an origin not allowed
	codeIdempotencyInProgress crm.Code = "idempotency_in_progress" // 409: a request with this key is still running
	codeNotReady              crm.Code = "not_ready"               // 503 from /readyz
	codeTimeout               crm.Code = "timeout"                 // 503: the request took too long
	codeCanceled              crm.Code = "canceled"                // 503: the client went away
)

// httpCodes lists the HTTP layer's own codes in documentation order.
var httpCodes = []crm.Code{codeMalformedRequest, codeBodyTooLarge, codeUnsupportedMediaType, codeNoRoute,
	codeMethodNotAllowed, codeOriginNotAllowed, codeIdempotencyInProgress, codeNotReady, codeTimeout, codeCanceled}

// ProblemCodes returns every code a problem+json body may carry: the kernel's (crm.Codes), the self-registered
// sections' (registerRoutes), then the HTTP layer's own. The OpenAPI document lists exactly these as the enum of
// Problem.code.
func ProblemCodes() []crm.Code {
	return append(append(crm.Codes(), sectionCodes...), httpCodes...)
}
