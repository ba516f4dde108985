package migrate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

// RetargetOptions selects the dashboards `dashboard retarget` rewrites.
type RetargetOptions struct {
	// DataSource is the uid of the data source (this plugin's type) to point dashboards at.
	DataSource string
	// UIDs are saved dashboards to retarget; All takes every dashboard /api/search lists.
	UIDs []string
	All  bool
	// Files are dashboard JSON files (for example grafana.com exports) to retarget and import.
	Files []string
	// FolderUID is the folder imported files go to; default the General folder.
	FolderUID string
	// Message is the version message of each save.
	Message string
}

// RetargetDashboards points dashboards at one data source of this plugin and saves them (a new version for a
// saved dashboard, an import for a file). Nothing is saved without Apply.
func (r *Runner) RetargetDashboards(ctx context.Context, opts RetargetOptions) (*Report, error) {
	report := &Report{command: "dashboard-retarget"}
	rt, err := r.retargeter(ctx, opts.DataSource)
	if err != nil {
		return report, err
	}
	if opts.Message == "" {
		opts.Message = "ampmigrate: Prometheus data source references retargeted to " + opts.DataSource
	}
	for _, path := range opts.Files {
		if fatal := r.retargetFile(ctx, report, rt, path, opts); fatal != nil {
			return report, fatal
		}
	}
	uids := opts.UIDs
	if opts.All {
		hits, err := r.Client.SearchDashboards(ctx)
		if err != nil {
			return report, err
		}
		for _, h := range hits {
			uids = append(uids, h.UID)
		}
	}
	for _, uid := range uids {
		if fatal := r.retargetSaved(ctx, report, rt, uid, opts.Message); fatal != nil {
			return report, fatal
		}
	}
	return report, nil
}

// retargeter checks the target data source and learns the organisation's Prometheus data sources.
func (r *Runner) retargeter(ctx context.Context, uid string) (*Retargeter, error) {
	ds, err := r.Client.GetDataSource(ctx, uid)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return nil, &UsageError{Msg: fmt.Sprintf("--datasource %s: no data source with this uid; `ampmigrate status --all` lists them", uid)}
	}
	if err != nil {
		return nil, err
	}
	if typ := ds.Str("type"); typ != PluginType {
		return nil, &UsageError{Msg: fmt.Sprintf("--datasource %s has type %s; pass a data source of type %s "+
			"(`ampmigrate migrate` converts SigV4 Prometheus data sources)", uid, typ, PluginType)}
	}
	items, err := r.Client.ListDataSources(ctx)
	if err != nil {
		return nil, err
	}
	rt := &Retargeter{UID: uid, Name: ds.Str("name"), Prometheus: map[string]bool{}}
	for _, it := range items {
		if it.Type == PrometheusType {
			rt.Prometheus[it.Name], rt.Prometheus[it.UID] = true, true
		}
	}
	return rt, nil
}

func (r *Runner) retargetFile(ctx context.Context, report *Report, rt *Retargeter, path string, opts RetargetOptions) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return &UsageError{Msg: fmt.Sprintf("--file: %v", err)}
	}
	dash, err := DecodeDashboard(raw)
	if err != nil {
		return &UsageError{Msg: fmt.Sprintf("--file %s is not dashboard JSON: %v", path, err)}
	}
	out := Outcome{UID: str(dash["uid"]), Name: filepath.Base(path)}
	changes := rt.Retarget(dash)
	// An import creates the dashboard: Grafana assigns the id.
	dash["id"] = nil
	switch {
	case !r.Apply:
		out.Result, out.Detail = "would import", fmt.Sprintf("%d references -> %s", len(changes), rt.UID)
	default:
		res, err := r.Client.SaveDashboard(ctx, SaveRequest{Dashboard: dash, FolderUID: opts.FolderUID, Message: opts.Message})
		var ae *APIError
		if errors.As(err, &ae) && (ae.Status == http.StatusPreconditionFailed || ae.Status == http.StatusBadRequest) {
			err = fmt.Errorf("%w; if this dashboard is already in Grafana, retarget it there with --uid %s", err, out.UID)
		}
		if err != nil {
			out, fatal := failed(out, err)
			r.record(report, out)
			return fatal
		}
		out.UID, out.Result = res.UID, "imported"
		out.Detail = fmt.Sprintf("%d references -> %s; version %d at %s", len(changes), rt.UID, res.Version, res.URL)
	}
	r.record(report, out)
	r.printChanges(changes)
	return nil
}

// retargetSaved rewrites a saved dashboard and saves it as a new version; a 412 version mismatch (someone
// saved in between) re-reads it and retries once.
func (r *Runner) retargetSaved(ctx context.Context, report *Report, rt *Retargeter, uid, message string) error {
	out := Outcome{UID: uid}
	for attempt := 1; ; attempt++ {
		dash, meta, err := r.Client.GetDashboard(ctx, uid)
		if err != nil {
			out, fatal := failed(out, err)
			r.record(report, out)
			return fatal
		}
		out.Name = str(dash["title"])
		changes := rt.Retarget(dash)
		switch {
		case len(changes) == 0:
			out.Result, out.Detail = ResultSkipped, "no Prometheus data source reference"
		case meta.Provisioned:
			out.Result, out.Detail = ResultSkipped, "provisioned dashboard: Grafana refuses API saves. Make the "+
				"changes listed below in its provisioning file and reload provisioning"
		case !r.Apply:
			out.Result, out.Detail = "would retarget", fmt.Sprintf("%d references -> %s", len(changes), rt.UID)
		default:
			res, err := r.Client.SaveDashboard(ctx, SaveRequest{Dashboard: dash, FolderUID: meta.FolderUID, Message: message})
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusPreconditionFailed && attempt == 1 {
				continue
			}
			if err != nil {
				out, fatal := failed(out, err)
				r.record(report, out)
				return fatal
			}
			out.Result = "retargeted"
			out.Detail = fmt.Sprintf("%d references -> %s; saved as version %d", len(changes), rt.UID, res.Version)
		}
		r.record(report, out)
		if out.Result != ResultSkipped || meta.Provisioned {
			r.printChanges(changes)
		}
		return nil
	}
}

func (r *Runner) printChanges(changes []Change) {
	for _, c := range changes {
		fmt.Fprintf(r.Out, "    %s\n", c)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
