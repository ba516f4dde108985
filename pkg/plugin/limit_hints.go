package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/converter"
	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/promclient"
)

// budgetSettings names the setting that raises each budget.
var budgetSettings = map[string]string{
	"bytes":   "maxResponseMB",
	"series":  "maxResponseSeries",
	"samples": "maxResponseSamples",
}

// budgetError explains a response that went over its budget, or returns nil for another read error. A byte
// budget may be Grafana's own response_limit, which the SDK's middleware enforces as well.
func budgetError(ctx context.Context, err error, b converter.Budget) error {
	var be *converter.BudgetError
	if !errors.As(err, &be) {
		if !errors.Is(err, httpclient.ErrResponseBodyTooLarge) {
			return nil
		}
		be = &converter.BudgetError{Limit: "bytes", Max: b.MaxBytes}
	}
	setting := budgetSettings[be.Limit]
	if g := backend.GrafanaConfigFromContext(ctx).ResponseLimit(); be.Limit == "bytes" && g > 0 && g == be.Max {
		setting = "Grafana's [dataproxy] response_limit, which is below this data source's maxResponseMB"
	}
	return fmt.Errorf("%w: narrow the query (fewer series, a larger step or min interval, a shorter time range) "+
		"or raise the limit in the data source settings (%s)", be, setting)
}

// Substrings of the limit errors AMP (Cortex) and Prometheus answer with, as the AWS troubleshooting page and
// Prometheus' engine word them.
const (
	errTooManySamples  = "query processing would load too many samples"
	errSamplesExceeded = "max_samples_processed" // AMP's samples-processed error threshold
	errRangeTooLong    = "the query time range exceeds the limit"
)

// explainQueryError adds what to do to the limit errors of a Prometheus error envelope.
func explainQueryError(err error, message string) error {
	msg := strings.ToLower(message)
	switch {
	case strings.Contains(msg, errTooManySamples), strings.Contains(msg, errSamplesExceeded):
		return &explainedError{err: err, hint: "The query reads too many samples: use a larger step or min interval, a shorter time range, " +
			"or a narrower selector (more label matchers); the data source's samples-processed thresholds " +
			"(maxSamplesProcessedWarningThreshold, maxSamplesProcessedErrorThreshold) set where AMP warns or refuses"}
	case strings.Contains(msg, errRangeTooLong):
		return &explainedError{err: err, hint: "The server limits how long a query's time range may be: set the data source's query range limit " +
			"(queryRangeLimit) to that limit so that longer range queries are split, or shorten the time range"}
	}
	return err
}

// requestError is the response to a request that could not be sent or got no answer.
func requestError(err error) backend.DataResponse {
	var tooLarge *promclient.RequestTooLargeError
	if errors.As(err, &tooLarge) {
		return backend.DataResponse{Error: err, Status: backend.StatusBadRequest, ErrorSource: backend.ErrorSourceDownstream}
	}
	return backend.DataResponse{Error: explainTransportError(err), Status: backend.StatusBadGateway, ErrorSource: errorSourceOf(err)}
}

// explainTooLarge names AMP's request size limit on a 413 answer.
func explainTooLarge(err error, status int) error {
	if status != http.StatusRequestEntityTooLarge {
		return err
	}
	return &explainedError{err: err, hint: "The request is over the server's size limit (1 MB for Amazon Managed Service for Prometheus): " +
		"this usually comes from a multi-value or \"All\" variable with thousands of values; select fewer values or use a regex matcher"}
}
