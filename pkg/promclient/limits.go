package promclient

import (
	"fmt"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/models"
)

// RequestTooLargeError is a request whose parameters are over AMP's 1 MB request limit; it is never sent.
type RequestTooLargeError struct{ Size int }

func (e *RequestTooLargeError) Error() string {
	return fmt.Sprintf("the request would be %d bytes, over the 1 MB request size limit of Amazon Managed Service for Prometheus (%d bytes): %s",
		e.Size, models.MaxRequestBytes, models.RequestSizeAdvice)
}
