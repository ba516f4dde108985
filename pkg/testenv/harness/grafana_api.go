package harness

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// maxBody bounds request bodies the harness reads; editor requests are small.
const maxBody = 4 << 20

// ResourceCall is one resource request the browser made, as the harness forwarded it.
type ResourceCall struct {
	UID, Method, Path, RawQuery string
	// Form is the body of a form-encoded POST, empty otherwise.
	Form string
}

// QueryCall is one query of an /api/ds/query request, as the browser sent it.
type QueryCall struct {
	// DashboardUID and PanelID come from the X-Dashboard-Uid and X-Panel-Id headers Grafana's frontend sets for
	// dashboard panels; empty for queries from elsewhere.
	DashboardUID, PanelID string
	// Query is the query's JSON, exactly as received.
	Query json.RawMessage
}

// serveDataSourceAPI answers /api/datasources/uid/<uid>/health and /api/datasources/uid/<uid>/resources/<path>;
// the data source itself is read and saved through the Grafana API emulator (datasources.go).
func (s *Server) serveDataSourceAPI(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/api/datasources/uid/")
	uid, sub, _ := strings.Cut(rest, "/")
	switch {
	case sub == "health":
		s.checkHealth(w, r, uid)
	case strings.HasPrefix(sub, "resources/"):
		s.callResource(w, r, uid, strings.TrimPrefix(sub, "resources/"))
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) checkHealth(w http.ResponseWriter, r *http.Request, uid string) {
	ds, ok := s.pluginDataSource(uid)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found"})
		return
	}
	resp, err := s.plugin.CheckHealth(r.Context(), ds.PluginContext(s.grafanaConfig()), nil)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Plugin health check failed: " + err.Error()})
		return
	}
	out := map[string]any{"status": resp.Status.String(), "message": resp.Message}
	if len(resp.JsonDetails) > 0 {
		out["details"] = json.RawMessage(resp.JsonDetails)
	}
	// Grafana answers a failed check with 400 and the same body.
	status := http.StatusOK
	if resp.Status != pluginv2.CheckHealthResponse_OK {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, out)
}

func (s *Server) callResource(w http.ResponseWriter, r *http.Request, uid, path string) {
	ds, ok := s.pluginDataSource(uid)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Data source not found"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	call := ResourceCall{UID: uid, Method: r.Method, Path: path, RawQuery: r.URL.RawQuery}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		call.Form = string(body)
	}
	s.recordCall(call)

	reqURL := path
	if r.URL.RawQuery != "" {
		reqURL += "?" + r.URL.RawQuery
	}
	headers := map[string]*pluginv2.StringList{}
	for k, v := range r.Header {
		headers[k] = &pluginv2.StringList{Values: v}
	}
	msgs, err := s.plugin.CallResource(r.Context(), &pluginv2.CallResourceRequest{
		PluginContext: ds.PluginContext(s.grafanaConfig()),
		Path:          path,
		Method:        r.Method,
		Url:           reqURL,
		Headers:       headers,
		Body:          body,
	})
	if err != nil || len(msgs) == 0 {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Failed to call resource: " + errorText(err)})
		return
	}
	for k, v := range msgs[0].Headers {
		for _, value := range v.Values {
			w.Header().Add(k, value)
		}
	}
	w.WriteHeader(int(msgs[0].Code))
	for _, m := range msgs {
		_, _ = w.Write(m.Body)
	}
}

// dsQuery is what Grafana's frontend posts to /api/ds/query.
type dsQuery struct {
	Queries []json.RawMessage `json:"queries"`
	From    string            `json:"from"`
	To      string            `json:"to"`
}

// queryMeta is the part of each query Grafana itself reads.
type queryMeta struct {
	RefID      string `json:"refId"`
	Datasource struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	IntervalMs    float64 `json:"intervalMs"`
	MaxDataPoints int64   `json:"maxDataPoints"`
}

// serveQuery answers /api/ds/query with the plugin's QueryData, in Grafana's JSON shape ({"results": ...}).
func (s *Server) serveQuery(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var req dsQuery
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad request: " + err.Error()})
		return
	}
	from, errFrom := strconv.ParseInt(req.From, 10, 64)
	to, errTo := strconv.ParseInt(req.To, 10, 64)
	if errFrom != nil || errTo != nil || len(req.Queries) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "from, to and queries are required"})
		return
	}
	out := backend.QueryDataResponse{Responses: backend.Responses{}}
	for _, raw := range req.Queries {
		var meta queryMeta
		if err := json.Unmarshal(raw, &meta); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "bad query: " + err.Error()})
			return
		}
		s.recordQuery(QueryCall{
			DashboardUID: r.Header.Get("X-Dashboard-Uid"), PanelID: r.Header.Get("X-Panel-Id"), Query: raw,
		})
		ds, ok := s.pluginDataSource(meta.Datasource.UID)
		if !ok {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "unknown data source " + meta.Datasource.UID})
			return
		}
		if meta.MaxDataPoints == 0 {
			meta.MaxDataPoints = 100
		}
		resp, err := s.plugin.QueryData(r.Context(), &pluginv2.QueryDataRequest{
			PluginContext: ds.PluginContext(s.grafanaConfig()),
			Queries: []*pluginv2.DataQuery{{
				RefId: meta.RefID, MaxDataPoints: meta.MaxDataPoints, IntervalMS: int64(meta.IntervalMs),
				TimeRange: &pluginv2.TimeRange{FromEpochMS: from, ToEpochMS: to}, Json: raw,
			}},
		})
		if err != nil {
			out.Responses[meta.RefID] = backend.ErrDataResponse(backend.StatusInternal, "plugin query failed: "+err.Error())
			continue
		}
		for refID, pr := range resp.Responses {
			dr := backend.DataResponse{Status: backend.Status(pr.Status)}
			if pr.Error != "" {
				dr.Error = errors.New(pr.Error)
			}
			if dr.Frames, err = data.UnmarshalArrowFrames(pr.Frames); err != nil {
				dr = backend.ErrDataResponse(backend.StatusInternal, "decoding frames: "+err.Error())
			}
			out.Responses[refID] = dr
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) recordCall(c ResourceCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

func (s *Server) recordQuery(q QueryCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries = append(s.queries, q)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func errorText(err error) string {
	if err == nil {
		return "no response"
	}
	return err.Error()
}

// requestTimeout bounds one browser request through the plugin.
const requestTimeout = 30 * time.Second
