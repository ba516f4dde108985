package ampemu_test

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grafana/grafana-amazonprometheus-datasource/pkg/testenv/ampemu"
)

func TestTransportFaults(t *testing.T) {
	f := newFixture(t, nil)
	catcher, err := ampemu.StartCatcher("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = catcher.Close() })
	query := call{method: http.MethodGet, path: "api/v1/query", query: "query=up", header: map[string]string{"X-Secret": "s3cr3t/value"}}

	f.emu.Inject(once(ampemu.Redirect(http.StatusTemporaryRedirect, catcher.URL()+"/elsewhere")))
	resp, _ := f.do(t, query)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a client that follows blindly ends up at the catcher")
	require.Len(t, catcher.Headers(), 1)
	assert.Equal(t, "s3cr3t/value", catcher.Headers()[0].Get("X-Secret"))

	f.emu.Inject(once(ampemu.ThrottledRetryAfter("2")))
	resp, body := f.do(t, query)
	requireAWSError(t, resp, body, http.StatusTooManyRequests, ampemu.TypeThrottling)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"))

	for status, fault := range map[int]ampemu.Fault{http.StatusBadGateway: ampemu.BadGateway(), http.StatusGatewayTimeout: ampemu.GatewayTimeout()} {
		f.emu.Inject(once(fault))
		resp, _ = f.do(t, query)
		assert.Equal(t, status, resp.StatusCode)
	}

	// net/http itself sends a request again once when a reused connection fails, so reset twice.
	reset := ampemu.ConnectionReset()
	reset.Times = 2
	f.emu.Inject(reset)
	_, _, err = send(t, f.emu.URL(), query)
	require.Error(t, err, "the connection is reset without an answer")
	f.emu.ClearFaults()

	f.emu.Inject(once(ampemu.EchoHeaders()))
	resp, body = f.do(t, query)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `X-Secret: s3cr3t\/value`)
	assert.Contains(t, body, "Authorization: AWS4-HMAC-SHA256")
	assert.Equal(t, "s3cr3t/value", resp.Header.Get("X-Echo-X-Secret"))

	f.emu.Inject(once(ampemu.InvalidUTF8()))
	resp, body = f.do(t, query)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.False(t, utf8.ValidString(body))
	assert.False(t, utf8.ValidString(resp.Header.Get("X-Broken")))

	f.emu.Inject(once(ampemu.InvalidUTF8Error()))
	resp, body = f.do(t, query)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.True(t, strings.Contains(body, "\xff"))

	resp, _ = f.do(t, query)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "every fault applied once")
	assert.Len(t, catcher.Headers(), 1)
}

func once(f ampemu.Fault) ampemu.Fault {
	f.Times = 1
	return f
}
