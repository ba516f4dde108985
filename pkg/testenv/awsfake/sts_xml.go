package awsfake

import (
	"encoding/xml"
	"net/http"
	"time"
)

// stsNamespace is the XML namespace of STS answers.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

func newMetadata() responseMetadata {
	return responseMetadata{RequestID: randomString(8, upperAlnum) + "-" + randomString(4, upperAlnum)}
}

type credentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

func xmlCredentials(is Issued) credentialsXML {
	return credentialsXML{
		AccessKeyID:     is.AccessKeyID,
		SecretAccessKey: is.SecretAccessKey,
		SessionToken:    is.SessionToken,
		Expiration:      is.Expiration.Format(time.RFC3339),
	}
}

type assumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

type assumeRoleResult struct {
	Credentials     credentialsXML  `xml:"Credentials"`
	AssumedRoleUser assumedRoleUser `xml:"AssumedRoleUser"`
}

type assumeRoleResponse struct {
	XMLName  xml.Name         `xml:"AssumeRoleResponse"`
	Xmlns    string           `xml:"xmlns,attr"`
	Result   assumeRoleResult `xml:"AssumeRoleResult"`
	Metadata responseMetadata `xml:"ResponseMetadata"`
}

type webIdentityResult struct {
	Credentials     credentialsXML  `xml:"Credentials"`
	AssumedRoleUser assumedRoleUser `xml:"AssumedRoleUser"`
}

type webIdentityResponse struct {
	XMLName  xml.Name          `xml:"AssumeRoleWithWebIdentityResponse"`
	Xmlns    string            `xml:"xmlns,attr"`
	Result   webIdentityResult `xml:"AssumeRoleWithWebIdentityResult"`
	Metadata responseMetadata  `xml:"ResponseMetadata"`
}

type callerIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

type callerIdentityResponse struct {
	XMLName  xml.Name             `xml:"GetCallerIdentityResponse"`
	Xmlns    string               `xml:"xmlns,attr"`
	Result   callerIdentityResult `xml:"GetCallerIdentityResult"`
	Metadata responseMetadata     `xml:"ResponseMetadata"`
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// writeSTSResult writes a success answer.
func writeSTSResult(w http.ResponseWriter, out any) {
	writeXML(w, http.StatusOK, out)
}

// writeSTSError answers with STS's error document and returns the status and code for the call record.
func writeSTSError(w http.ResponseWriter, e *stsError) (int, string) {
	var doc errorResponse
	doc.Xmlns = stsNamespace
	doc.Error.Type, doc.Error.Code, doc.Error.Message = "Sender", e.code, e.message
	if e.status >= 500 {
		doc.Error.Type = "Receiver"
	}
	doc.RequestID = newMetadata().RequestID
	writeXML(w, e.status, doc)
	return e.status, e.code
}

func writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}
