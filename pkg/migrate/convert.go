package migrate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// conversion is one direction of the type change.
type conversion struct {
	command  string // rollback or migrate, for the log
	from     string // the state a data source must be in
	newType  string
	flag     bool
	done     string // outcome words
	wouldDo  string
	readOnly string // advice for provisioned data sources
}

var rollbackConversion = conversion{
	command: "rollback", from: StateMigrated, newType: PrometheusType, flag: false,
	done: "rolled back", wouldDo: "would roll back",
	readOnly: "read-only (provisioned): Grafana refuses API changes to it. In its provisioning file set " +
		"`type: prometheus` for this data source (datasources[].type) and remove `prometheus-type-migration` from " +
		"its jsonData, then restart Grafana or reload provisioning",
}

var migrateConversion = conversion{
	command: "migrate", from: StateNotMigrated, newType: PluginType, flag: true,
	done: "migrated", wouldDo: "would migrate",
	readOnly: "read-only (provisioned): Grafana refuses API changes to it. In its provisioning file set " +
		"`type: " + PluginType + "` for this data source (datasources[].type), keep its jsonData and " +
		"secureJsonData, then restart Grafana or reload provisioning",
}

// Rollback turns migrated data sources back into core Prometheus ones: type prometheus, migration flag false,
// everything else as Grafana returned it. With no uids it takes every migrated data source.
func (r *Runner) Rollback(ctx context.Context, uids []string) (*Report, error) {
	return r.convert(ctx, rollbackConversion, uids)
}

// Migrate turns core Prometheus data sources with SigV4 into this plugin's type with the migration flag set,
// for Grafana versions that do not migrate automatically.
func (r *Runner) Migrate(ctx context.Context, uids []string) (*Report, error) {
	return r.convert(ctx, migrateConversion, uids)
}

func (r *Runner) convert(ctx context.Context, conv conversion, uids []string) (*Report, error) {
	report := &Report{command: conv.command}
	items, err := r.Client.ListDataSources(ctx)
	if err != nil {
		return report, err
	}
	candidates := r.pick(report, conv, items, uids)
	for _, item := range candidates {
		switch {
		case item.ReadOnly:
			r.record(report, Outcome{UID: item.UID, Name: item.Name, Result: ResultSkipped, Detail: conv.readOnly})
		case !r.Apply:
			r.record(report, Outcome{UID: item.UID, Name: item.Name, Result: conv.wouldDo,
				Detail: fmt.Sprintf("type %s -> %s, jsonData.%s -> %t", item.Type, conv.newType, MigrationFlag, conv.flag)})
		default:
			outcome, fatal := r.convertOne(ctx, conv, item)
			r.record(report, outcome)
			if fatal != nil {
				return report, fatal
			}
		}
	}
	if len(candidates) == 0 && len(uids) == 0 {
		fmt.Fprintf(r.Out, "No data source is %s; nothing to %s.\n", conv.from, conv.command)
	}
	return report, nil
}

// pick picks the data sources to convert: the named ones (each checked) or every one in the source state.
func (r *Runner) pick(report *Report, conv conversion, items []ListItem, uids []string) []ListItem {
	if len(uids) == 0 {
		var out []ListItem
		for _, it := range items {
			if it.State() == conv.from {
				out = append(out, it)
			}
		}
		return out
	}
	byUID := map[string]ListItem{}
	for _, it := range items {
		byUID[it.UID] = it
	}
	var out []ListItem
	for _, uid := range uids {
		it, ok := byUID[uid]
		switch {
		case !ok:
			r.record(report, Outcome{UID: uid, Result: ResultFailed,
				Detail: "no data source with this uid in the token's organisation; `ampmigrate status --all` lists them"})
		case it.State() != conv.from:
			r.record(report, Outcome{UID: uid, Name: it.Name, Result: ResultSkipped,
				Detail: fmt.Sprintf("its state is %s, not %s; nothing to do", it.State(), conv.from)})
		default:
			out = append(out, it)
		}
	}
	return out
}

// convertOne reads the data source (for its version), PUTs the converted body, and on a 409 version conflict
// reads it again and retries once. A fatal error (authentication, connection) stops the run.
func (r *Runner) convertOne(ctx context.Context, conv conversion, item ListItem) (Outcome, error) {
	out := Outcome{UID: item.UID, Name: item.Name}
	for attempt := 1; ; attempt++ {
		ds, err := r.Client.GetDataSource(ctx, item.UID)
		if err != nil {
			return failed(out, err)
		}
		now := ds.Item()
		if now.ReadOnly {
			out.Result, out.Detail = ResultSkipped, conv.readOnly
			return out, nil
		}
		if now.State() != conv.from {
			out.Result, out.Detail = ResultSkipped, fmt.Sprintf("changed by someone else: its state is now %s", now.State())
			return out, nil
		}
		body, err := ds.converted(conv.newType, conv.flag)
		if err != nil {
			out.Result, out.Detail = ResultFailed, err.Error()
			return out, nil
		}
		err = r.Client.UpdateDataSource(ctx, item.UID, body)
		var ae *APIError
		if errors.As(err, &ae) && ae.Status == http.StatusConflict && attempt == 1 {
			continue
		}
		if err != nil {
			return failed(out, err)
		}
		out.Result, out.Detail = conv.done, fmt.Sprintf("type is now %s", conv.newType)
		if attempt > 1 {
			out.Detail += " (after re-reading a concurrent change)"
		}
		return out, nil
	}
}

// failed turns an error into a failed outcome, and returns it as fatal too when the run cannot go on.
func failed(out Outcome, err error) (Outcome, error) {
	out.Result, out.Detail = ResultFailed, err.Error()
	if IsFatal(err) {
		return out, err
	}
	return out, nil
}

// IsFatal reports whether an error ends the run with exit status 2: usage, connection and authentication
// errors.
func IsFatal(err error) bool {
	var ue *UsageError
	var ce *ConnError
	var ae *APIError
	return errors.As(err, &ue) || errors.As(err, &ce) || (errors.As(err, &ae) && ae.Fatal())
}
