package promclient

import (
	"fmt"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// RequestTooLargeError is a request whose parameters are over AMP's 1 MB request limit; it is never sent.
type RequestTooLargeError struct{ Size int }

func (e *RequestTooLargeError) Error() string {
	return fmt.Sprintf("the request would be %d bytes, over the 1 MB request size limit of Amazon Managed Service for Prometheus (%d bytes): "+
		"this usually comes from a multi-value or \"All\" variable with thousands of values; select fewer values, "+
		"use a regex matcher such as =~\"prefix.*\" instead of listing them, or add a custom \"All\" value such as .*",
		e.Size, models.MaxRequestBytes)
}
