package querycache

// addStats combines the data.stats objects of the upstream answers for one request: numbers are summed, objects
// are combined key by key, and anything else (the per-step sample arrays) is dropped, as it no longer lines up.
// The first answer's stats are kept as they are. Neither argument is changed.
func addStats(total, add map[string]any) map[string]any {
	if add == nil {
		return total
	}
	if total == nil {
		return add
	}
	out := make(map[string]any, len(total))
	for k, v := range total {
		out[k] = v
	}
	for k, v := range add {
		switch av := v.(type) {
		case float64:
			tv, _ := out[k].(float64)
			out[k] = tv + av
		case map[string]any:
			tm, _ := out[k].(map[string]any)
			out[k] = addStats(tm, av)
		default:
			delete(out, k)
		}
	}
	return out
}
