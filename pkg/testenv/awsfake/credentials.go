// Package awsfake provides loopback test doubles for the AWS credential sources the plugin uses: STS (AssumeRole,
// AssumeRoleWithWebIdentity, GetCallerIdentity over the awsquery protocol, with SigV4 verification), the EC2
// instance metadata service (IMDSv2) and the container credentials endpoint (ECS, EKS Pod Identity). They are
// plain HTTP servers on 127.0.0.1 that the AWS SDK reaches through AWS_ENDPOINT_URL_STS,
// AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_CONTAINER_CREDENTIALS_FULL_URI.
package awsfake

import (
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"time"
)

// Credentials are an AWS key pair, with a session token for temporary credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// NewTemporaryCredentials returns random temporary credentials (an ASIA key with a session token).
func NewTemporaryCredentials() Credentials {
	return Credentials{
		AccessKeyID:     "ASIA" + randomString(16, upperAlnum),
		SecretAccessKey: randomString(40, base64Alphabet),
		SessionToken:    base64.StdEncoding.EncodeToString(randomBytes(96)),
	}
}

const (
	upperAlnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// randomString draws n characters from alphabet (whose length divides 256, so there is no bias).
func randomString(n int, alphabet string) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// server is a started loopback HTTP server.
type server struct {
	srv    *http.Server
	served chan struct{}
	url    string
}

// listen serves h on a free port of 127.0.0.1.
func listen(h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{
		srv:    &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		served: make(chan struct{}),
		url:    "http://" + ln.Addr().String(),
	}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// close stops the server, aborting requests in flight, and waits for it to return.
func (s *server) close() error {
	err := s.srv.Close()
	<-s.served
	return err
}

// expiration is when credentials issued now with the given lifetime expire, in the second precision AWS uses.
func expiration(lifetime time.Duration) time.Time {
	return time.Now().Add(lifetime).UTC().Truncate(time.Second)
}
