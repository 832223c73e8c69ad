package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// OpenAPI returns the OpenAPI 3 document of the API, generated from the
// route table the mux is built from.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.routes {
		item, _ := paths[rt.Pattern].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Pattern] = item
		}
		var params []any
		for _, p := range rt.Params() {
			params = append(params, map[string]any{"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if rt.List {
			params = append(params,
				map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
				map[string]any{"name": "after", "in": "query", "description": "the next_after of the previous page", "schema": map[string]any{"type": "string"}})
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		okBody := map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Envelope"}}}
		if rt.Stream {
			okBody = map[string]any{rt.Produces: map[string]any{"schema": map[string]any{"type": "string"}}}
		}
		errResp := func(desc string) map[string]any {
			return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Envelope"}}}}
		}
		op := map[string]any{
			"operationId": operationID(rt),
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"security":    []any{map[string]any{"bearer": []string{}}},
			"x-min-role":  string(rt.Role),
			"responses": map[string]any{
				itoa(status): map[string]any{"description": "success", "content": okBody},
				"400":        errResp("invalid_argument: the field is named in error.field"),
				"401":        errResp("unauthenticated"),
				"403":        errResp("permission_denied: the token's role is too low"),
				"404":        errResp("not_found: also any id of another account"),
				"409":        errResp("conflict, or limit_exceeded (a plan limit)"),
				"402":        errResp("insufficient_credits"),
				"413":        errResp("payload_too_large"),
				"429":        errResp("rate_limited; see Retry-After"),
			},
		}
		if rt.Superuser {
			op["x-min-role"] = "superuser"
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Body != "" {
			schema := map[string]any{"type": "object"}
			if rt.Body == csvBody {
				schema = map[string]any{"type": "string"}
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{rt.Body: map[string]any{"schema": schema}}}
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "IGNY8 reference server",
			"version":     "1",
			"description": "Every response is the envelope {data, error {code, message, field}, next_after, request_id}. Lists page by id: ?limit=&after=<next_after>.",
		},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"schemas": map[string]any{
				"Envelope": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"data":       map[string]any{},
						"next_after": map[string]any{"type": "string"},
						"request_id": map[string]any{"type": "string"},
						"error": map[string]any{"type": "object", "properties": map[string]any{
							"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}, "field": map[string]any{"type": "string"},
						}},
					},
					"required": []string{"data", "request_id"},
				},
			},
		},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// operationID names an operation from its method and pattern:
// GET /v1/sites/{site}/sectors → get_sites_site_sectors (a dot becomes an
// underscore: links/graph.svg → links_graph_svg).
func operationID(rt Route) string {
	parts := []string{strings.ToLower(rt.Method)}
	for _, seg := range strings.Split(strings.TrimPrefix(rt.Pattern, "/v1/"), "/") {
		parts = append(parts, strings.ReplaceAll(strings.Trim(seg, "{}"), ".", "_"))
	}
	return strings.Join(parts, "_")
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.OpenAPI())
}
