// Package ampemu emulates an Amazon Managed Service for Prometheus (AMP) workspace endpoint for tests: it verifies
// SigV4 with an independent verifier, emulates IAM actions and AMP's request-shape rules, answers failures the way
// AMP does (x-amzn-ErrorType, JSON message), can inject faults, records what it saw, and forwards accepted
// requests to a real Prometheus with the /workspaces/<id> prefix stripped.
package ampemu

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// DefaultAccountID is the account used in ARNs when Config.AccountID is empty.
const DefaultAccountID = "123456789012"

// Config configures an Emulator.
type Config struct {
	// Upstream is the base URL of the Prometheus that receives accepted requests, e.g. http://127.0.0.1:9090.
	Upstream string
	// Region is the SigV4 scope region requests must be signed for.
	Region string
	// Service is the SigV4 scope service; empty means "aps".
	Service string
	// AccountID appears in workspace and principal ARNs; empty means DefaultAccountID.
	AccountID string
	// Workspaces lists the known workspace ids.
	Workspaces []string
	// Keys are the credentials accepted from the start; AddKey registers more at runtime.
	Keys []Key
	// MaxSkew bounds clock skew; zero means five minutes.
	MaxSkew time.Duration
	// Now is the clock used for skew checks; nil means time.Now.
	Now func() time.Time
	// FormQueryAllowList names query-string parameters tolerated on a form-encoded POST, which AMP otherwise
	// refuses. Empty by default: the plugin puts every parameter of a POST in the body.
	FormQueryAllowList []string
	// Limits are the workspace quotas; the zero value enforces AMP's.
	Limits Limits
}

// Key is an access key the emulator accepts.
type Key struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken marks temporary credentials; requests must then carry it in X-Amz-Security-Token.
	SessionToken string
	// Principal is the ARN named in AccessDenied messages; empty means arn:aws:iam::<account>:user/<access key id>.
	Principal string
	// Actions lists the allowed IAM actions (e.g. "aps:QueryMetrics"; "aps:*" allows all); nil allows every aps
	// action, an empty non-nil slice allows none.
	Actions []string
}

func (k Key) allows(action string) bool {
	if k.Actions == nil {
		return true
	}
	return slices.Contains(k.Actions, action) || slices.Contains(k.Actions, "aps:*")
}

func (c Config) withDefaults() (Config, *url.URL, error) {
	if c.Service == "" {
		c.Service = "aps"
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.Region == "" {
		return c, nil, errors.New("ampemu: Region is required")
	}
	upstream, err := url.Parse(c.Upstream)
	if err != nil {
		return c, nil, fmt.Errorf("ampemu: Upstream %q: %w", c.Upstream, err)
	}
	if upstream.Scheme != "http" && upstream.Scheme != "https" || upstream.Host == "" {
		return c, nil, fmt.Errorf("ampemu: Upstream %q must be an absolute http(s) URL", c.Upstream)
	}
	for _, k := range c.Keys {
		if err := k.validate(); err != nil {
			return c, nil, err
		}
	}
	return c, upstream, nil
}

func (k Key) validate() error {
	if k.AccessKeyID == "" || k.SecretAccessKey == "" {
		return errors.New("ampemu: a Key needs AccessKeyID and SecretAccessKey")
	}
	return nil
}
