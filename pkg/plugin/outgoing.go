package plugin

import (
	"bytes"
	"context"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/signing"
)

// replacement stands in for bytes that are not UTF-8. gRPC refuses to marshal a string field holding invalid
// UTF-8, and would fail the whole response (every query of the request) for one bad byte an upstream sent.
const replacement = "\uFFFD"

// outgoing cleans everything a handler returns: secrets are redacted and invalid UTF-8 is replaced, so an
// upstream that echoes credentials or sends broken bytes costs at most the query it answered.
type outgoing struct {
	redactor *signing.Redactor
}

func (d *Datasource) outgoing() outgoing {
	if d.awsConfigs == nil {
		return outgoing{}
	}
	return outgoing{redactor: d.awsConfigs.Redactor()}
}

// text redacts and repairs one message (an error, a notice, a header).
func (o outgoing) text(s string) string {
	return valid(o.redactor.Redact(s))
}

// valid repairs a string that carries data rather than messages (names, labels, values), which are not searched
// for secrets: a response may have hundreds of thousands of them.
func valid(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, replacement)
	}
	return s
}

// error returns err with a clean message, keeping err in the chain for errors.As and error sources.
func (o outgoing) error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := o.text(msg); clean != msg {
		return &cleanError{msg: clean, err: err}
	}
	return err
}

type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }

// queryData cleans every answer of a QueryData response in place.
func (o outgoing) queryData(resp *backend.QueryDataResponse) {
	for refID, r := range resp.Responses {
		r.Error = o.error(r.Error)
		o.frames(r.Frames)
		resp.Responses[refID] = r
	}
}

func (o outgoing) frames(frames data.Frames) {
	for _, f := range frames {
		if f == nil {
			continue
		}
		f.Name = valid(f.Name)
		if f.Meta != nil {
			f.Meta.ExecutedQueryString = o.text(f.Meta.ExecutedQueryString)
			for i := range f.Meta.Notices {
				f.Meta.Notices[i].Text = o.text(f.Meta.Notices[i].Text)
			}
		}
		for _, field := range f.Fields {
			validField(field)
		}
	}
}

func validField(field *data.Field) {
	field.Name = valid(field.Name)
	for k, v := range field.Labels {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			delete(field.Labels, k)
			field.Labels[valid(k)] = valid(v)
		}
	}
	if field.Config != nil {
		field.Config.DisplayNameFromDS = valid(field.Config.DisplayNameFromDS)
	}
	switch field.Type() {
	case data.FieldTypeString:
		for i := 0; i < field.Len(); i++ {
			if s := field.At(i).(string); !utf8.ValidString(s) {
				field.Set(i, strings.ToValidUTF8(s, replacement))
			}
		}
	case data.FieldTypeNullableString:
		for i := 0; i < field.Len(); i++ {
			if s, ok := field.ConcreteAt(i); ok && !utf8.ValidString(s.(string)) {
				clean := strings.ToValidUTF8(s.(string), replacement)
				field.Set(i, &clean)
			}
		}
	}
}

// health cleans Save & test's answer.
func (o outgoing) health(res *backend.CheckHealthResult) *backend.CheckHealthResult {
	if res == nil {
		return nil
	}
	res.Message = o.text(res.Message)
	// The details are JSON from encoding/json, which already writes valid UTF-8; secrets appear in their escaped
	// forms, which the redactor knows.
	res.JSONDetails = o.redactor.RedactBytes(res.JSONDetails)
	return res
}

// resource cleans a resource answer: header names and values, and a body that is text.
func (o outgoing) resource(resp *backend.CallResourceResponse) *backend.CallResourceResponse {
	if resp == nil {
		return nil
	}
	if len(resp.Headers) > 0 {
		headers := make(map[string][]string, len(resp.Headers))
		for k, vs := range resp.Headers {
			clean := make([]string, len(vs))
			for i, v := range vs {
				clean[i] = o.text(v)
			}
			headers[o.text(k)] = clean
		}
		resp.Headers = headers
	}
	resp.Body = o.redactor.RedactBytes(resp.Body)
	if isText(resp.Headers) && !utf8.Valid(resp.Body) {
		resp.Body = bytes.ToValidUTF8(resp.Body, []byte(replacement))
	}
	return resp
}

// isText reports whether a relayed body is text (JSON, YAML, plain text), which the frontend decodes as UTF-8.
// A body without a content type is treated as text: every Prometheus API answer is JSON.
func isText(headers map[string][]string) bool {
	var ct string
	for k, vs := range headers {
		if strings.EqualFold(k, "Content-Type") && len(vs) > 0 {
			ct = vs[0]
		}
	}
	if ct == "" {
		return true
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true
	}
	return strings.HasPrefix(mediaType, "text/") || strings.HasSuffix(mediaType, "json") || strings.HasSuffix(mediaType, "yaml")
}

// resourceSender cleans every answer before it goes to Grafana.
type resourceSender struct {
	out  outgoing
	next backend.CallResourceResponseSender
}

func (s resourceSender) Send(resp *backend.CallResourceResponse) error {
	return s.next.Send(s.out.resource(resp))
}

// QueryData runs the queries of the request (see queryData) and cleans the answers.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp, err := d.queryData(ctx, req)
	if resp != nil {
		d.outgoing().queryData(resp)
	}
	return resp, d.outgoing().error(err)
}

// CheckHealth is Save & test (see checkHealth), with a clean answer.
func (d *Datasource) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	res, err := d.checkHealth(ctx, req)
	return d.outgoing().health(res), d.outgoing().error(err)
}
