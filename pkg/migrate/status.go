package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
)

// StatusEntry is one line of `ampmigrate status`; its JSON keys are the command's documented output.
type StatusEntry struct {
	UID      string `json:"uid"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	ReadOnly bool   `json:"readOnly"`
	State    string `json:"state"`
}

// Status lists data sources with their migration state; not-needed ones only when all is set.
func (r *Runner) Status(ctx context.Context, all, asJSON bool) error {
	items, err := r.Client.ListDataSources(ctx)
	if err != nil {
		return err
	}
	entries := []StatusEntry{}
	for _, it := range items {
		state := it.State()
		if state == StateNotNeeded && !all {
			continue
		}
		entries = append(entries, StatusEntry{UID: it.UID, Name: it.Name, Type: it.Type, ReadOnly: it.ReadOnly, State: state})
	}
	if asJSON {
		enc := json.NewEncoder(r.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	if len(entries) == 0 {
		_, err := fmt.Fprintln(r.Out, "No Prometheus data source with SigV4 and no migrated data source; --all lists every data source.")
		return err
	}
	tw := tabwriter.NewWriter(r.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UID\tNAME\tTYPE\tREAD-ONLY\tSTATE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s\n", e.UID, e.Name, e.Type, e.ReadOnly, e.State)
	}
	return tw.Flush()
}
