package querycache

// addStats combines the data.stats objects of several upstream answers for one request: numbers are summed, objects
// are combined key by key, and anything else (the per-step sample arrays) is dropped, as it no longer lines up.
// With a single answer its stats are kept as they are.
func addStats(total, add map[string]any, combine bool) map[string]any {
	if add == nil {
		return total
	}
	if total == nil {
		if combine {
			return addStats(map[string]any{}, add, true)
		}
		return add
	}
	if !combine {
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
			if tm == nil {
				tm = map[string]any{}
			}
			out[k] = addStats(tm, av, true)
		default:
			delete(out, k)
		}
	}
	return out
}
