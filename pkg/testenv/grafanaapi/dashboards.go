package grafanaapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// DashboardVersion is one saved version of a dashboard and the message it was saved with.
type DashboardVersion struct {
	Version int64
	Message string
	// JSON is the dashboard model of this version.
	JSON json.RawMessage
}

type dashboard struct {
	id          int64
	uid, title  string
	folderUID   string
	provisioned bool
	versions    []DashboardVersion
	// concurrentSaves is how many upcoming saves find a newer version saved by someone else first.
	concurrentSaves int
}

func (d *dashboard) latest() DashboardVersion { return d.versions[len(d.versions)-1] }

// saveCommand is the body of POST /api/dashboards/db.
type saveCommand struct {
	Dashboard json.RawMessage `json:"dashboard"`
	FolderUID string          `json:"folderUid"`
	Message   string          `json:"message"`
	Overwrite bool            `json:"overwrite"`
}

// dashboardHeader is the part of a dashboard model the save logic reads.
type dashboardHeader struct {
	ID      *int64 `json:"id"`
	UID     string `json:"uid"`
	Title   string `json:"title"`
	Version int64  `json:"version"`
}

// AddDashboard stores a dashboard model as version 1 (or the model's version when set), as if saved in the UI
// or provisioned from a file.
func (s *Server) AddDashboard(model json.RawMessage, folderUID string, provisioned bool) error {
	var h dashboardHeader
	if err := json.Unmarshal(model, &h); err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	if h.UID == "" || h.Title == "" {
		return fmt.Errorf("dashboard needs a uid and a title")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	version := max(h.Version, 1)
	stored, err := withIdentity(model, s.nextID, h.UID, version)
	if err != nil {
		return err
	}
	s.dashboards[h.UID] = &dashboard{
		id: s.nextID, uid: h.UID, title: h.Title, folderUID: folderUID, provisioned: provisioned,
		versions: []DashboardVersion{{Version: version, JSON: stored}},
	}
	return nil
}

// Dashboard returns every saved version of a dashboard, oldest first.
func (s *Server) Dashboard(uid string) ([]DashboardVersion, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.dashboards[uid]
	if !ok {
		return nil, false
	}
	return slices.Clone(d.versions), true
}

// SaveConcurrently makes the next n saves of a dashboard find a newer version saved by someone else just
// before they apply, so a client saving the version it read gets Grafana's 412 version-mismatch.
func (s *Server) SaveConcurrently(uid string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.dashboards[uid]; ok {
		d.concurrentSaves = n
	}
}

func (s *Server) getDashboard(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	d, ok := s.dashboards[r.PathValue("uid")]
	var body map[string]any
	if ok {
		v := d.latest()
		body = map[string]any{"dashboard": v.JSON, "meta": map[string]any{
			"type": "db", "canSave": !d.provisioned, "canEdit": true, "slug": slug(d.title), "url": dashURL(d),
			"version": v.Version, "folderUid": d.folderUID, "isFolder": false, "provisioned": d.provisioned,
		}}
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "Dashboard not found", "")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// saveDashboard follows Grafana's dashboard save rules: a dashboard with a known uid is updated only when the
// version it carries is the stored one (412 version-mismatch otherwise) or overwrite is set; another dashboard
// with the same title in the folder is a 412 name-exists; provisioned dashboards cannot be saved; new
// dashboards need dashboards:create and updates dashboards:write.
func (s *Server) saveDashboard(w http.ResponseWriter, r *http.Request) {
	var cmd saveCommand
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&cmd); err != nil || len(cmd.Dashboard) == 0 {
		writeError(w, http.StatusBadRequest, "bad request data", "")
		return
	}
	var h dashboardHeader
	if err := json.Unmarshal(cmd.Dashboard, &h); err != nil {
		writeError(w, http.StatusBadRequest, "bad request data", "")
		return
	}
	if strings.TrimSpace(h.Title) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Dashboard title cannot be empty", "status": "empty-name"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	existing, exists := s.dashboards[h.UID]
	need := DashboardsCreate
	if exists {
		need = DashboardsWrite
	}
	if !callerHas(r, need) {
		writeJSON(w, http.StatusForbidden, map[string]string{
			"message": "You'll need additional permissions to perform this action. Permissions needed: " + need,
			"title":   "Access denied",
		})
		return
	}
	if exists && existing.concurrentSaves > 0 {
		existing.concurrentSaves--
		next := existing.latest().Version + 1
		if model, err := withIdentity(existing.latest().JSON, existing.id, existing.uid, next); err == nil {
			existing.versions = append(existing.versions, DashboardVersion{Version: next, Message: "concurrent edit", JSON: model})
		}
	}
	switch {
	case exists && existing.provisioned:
		writeError(w, http.StatusBadRequest, "Cannot save provisioned dashboard", "")
		return
	case exists && h.ID != nil && *h.ID != 0 && *h.ID != existing.id:
		writeError(w, http.StatusBadRequest, "A dashboard with the same uid already exists", "")
		return
	case exists && !cmd.Overwrite && h.Version != existing.latest().Version:
		writeJSON(w, http.StatusPreconditionFailed, map[string]string{
			"message": "The dashboard has been changed by someone else", "status": "version-mismatch",
		})
		return
	}
	for _, other := range s.dashboards {
		if other != existing && other.folderUID == cmd.FolderUID && strings.EqualFold(other.title, h.Title) && !cmd.Overwrite {
			writeJSON(w, http.StatusPreconditionFailed, map[string]string{
				"message": "A dashboard with the same name in the folder already exists", "status": "name-exists",
			})
			return
		}
	}
	if h.UID == "" {
		s.nextID++
		h.UID = "d" + strconv.FormatInt(s.nextID, 36)
	}
	d := existing
	if !exists {
		s.nextID++
		d = &dashboard{id: s.nextID, uid: h.UID}
		s.dashboards[h.UID] = d
	}
	version := int64(1)
	if len(d.versions) > 0 {
		version = d.latest().Version + 1
	}
	stored, err := withIdentity(cmd.Dashboard, d.id, d.uid, version)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad request data", "")
		return
	}
	d.title, d.folderUID = h.Title, cmd.FolderUID
	d.versions = append(d.versions, DashboardVersion{Version: version, Message: cmd.Message, JSON: stored})
	writeJSON(w, http.StatusOK, map[string]any{
		"id": d.id, "uid": d.uid, "url": dashURL(d), "status": "success", "version": version, "slug": slug(d.title),
		"folderUid": d.folderUID,
	})
}

// search answers /api/search for dashboards: type dash-db (or none), a case-insensitive title query, tag
// filters, limit (default 1000) and page, sorted by title.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if typ := q.Get("type"); typ != "" && typ != "dash-db" {
		writeJSON(w, http.StatusOK, []any{})
		return
	}
	limit, page := 1000, 1
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v > 0 {
		limit = min(v, 5000)
	}
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	query := strings.ToLower(q.Get("query"))
	s.mu.Lock()
	var hits []map[string]any
	for _, d := range s.dashboards {
		if !strings.Contains(strings.ToLower(d.title), query) {
			continue
		}
		hits = append(hits, map[string]any{
			"id": d.id, "uid": d.uid, "title": d.title, "uri": "db/" + slug(d.title), "url": dashURL(d),
			"slug": "", "type": "dash-db", "tags": []string{}, "isStarred": false, "folderUid": d.folderUID,
		})
	}
	s.mu.Unlock()
	slices.SortFunc(hits, func(a, b map[string]any) int {
		return strings.Compare(strings.ToLower(a["title"].(string)), strings.ToLower(b["title"].(string)))
	})
	start := min((page-1)*limit, len(hits))
	out := hits[start:min(start+limit, len(hits))]
	if out == nil {
		out = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, out)
}

// withIdentity sets id, uid and version in a dashboard model, keeping every other key as it was.
func withIdentity(model json.RawMessage, id int64, uid string, version int64) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(model))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	m["id"], m["uid"], m["version"] = id, uid, version
	return json.Marshal(m)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slug(title string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
}

func dashURL(d *dashboard) string { return "/d/" + d.uid + "/" + slug(d.title) }
