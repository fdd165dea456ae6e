package open311

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"time"
)

// The answers below are the specification's documents, field for field, in both
// formats: JSON arrays of objects, and XML under the root elements it names.

type discovery struct {
	XMLName    xml.Name   `json:"-" xml:"discovery"`
	Changeset  string     `json:"changeset" xml:"changeset"`
	Contact    string     `json:"contact" xml:"contact"`
	KeyService string     `json:"key_service" xml:"key_service"`
	Endpoints  []endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

type serviceDoc struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

type servicesDoc struct {
	XMLName  xml.Name     `xml:"services"`
	Services []serviceDoc `xml:"service"`
}

type valueDoc struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

type attributeDoc struct {
	Variable            bool       `json:"variable" xml:"variable"`
	Code                string     `json:"code" xml:"code"`
	Datatype            string     `json:"datatype" xml:"datatype"`
	Required            bool       `json:"required" xml:"required"`
	DatatypeDescription string     `json:"datatype_description" xml:"datatype_description"`
	Order               int        `json:"order" xml:"order"`
	Description         string     `json:"description" xml:"description"`
	Values              []valueDoc `json:"values,omitempty" xml:"values>value,omitempty"`
}

type definitionDoc struct {
	XMLName    xml.Name       `json:"-" xml:"service_definition"`
	Code       string         `json:"service_code" xml:"service_code"`
	Attributes []attributeDoc `json:"attributes" xml:"attributes>attribute"`
}

// createdDoc answers POST requests (and tokens/{token}): the new request's id, or the
// token to ask for it later.
type createdDoc struct {
	ID         int64  `json:"service_request_id,omitempty" xml:"service_request_id,omitempty"`
	Token      string `json:"token,omitempty" xml:"token,omitempty"`
	Notice     string `json:"service_notice" xml:"service_notice"`
	AccountID  any    `json:"account_id" xml:"-"` // null when the client sent none
	AccountXML string `json:"-" xml:"account_id"`
}

type tokenDoc struct {
	ID    int64  `json:"service_request_id,omitempty" xml:"service_request_id,omitempty"`
	Token string `json:"token" xml:"token"`
}

type requestDoc struct {
	ID          int64    `json:"service_request_id" xml:"service_request_id"`
	Status      string   `json:"status" xml:"status"`
	StatusNotes string   `json:"status_notes" xml:"status_notes"`
	ServiceName string   `json:"service_name" xml:"service_name"`
	ServiceCode string   `json:"service_code" xml:"service_code"`
	Description string   `json:"description" xml:"description"`
	Agency      string   `json:"agency_responsible" xml:"agency_responsible"`
	Notice      string   `json:"service_notice" xml:"service_notice"`
	Requested   string   `json:"requested_datetime" xml:"requested_datetime"`
	Updated     string   `json:"updated_datetime" xml:"updated_datetime"`
	Expected    string   `json:"expected_datetime" xml:"expected_datetime"`
	Address     string   `json:"address" xml:"address"`
	AddressID   string   `json:"address_id" xml:"address_id"`
	Zipcode     string   `json:"zipcode" xml:"zipcode"`
	Lat         *float64 `json:"lat" xml:"lat,omitempty"`
	Long        *float64 `json:"long" xml:"long,omitempty"`
	MediaURL    string   `json:"media_url" xml:"media_url"`
}

// requestsDoc is the XML list of requests (and of POST answers and tokens): the
// specification wraps each in <request> under <service_requests>.
type requestsDoc[T any] struct {
	XMLName  xml.Name `xml:"service_requests"`
	Requests []T      `xml:"request"`
}

type errorDoc struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type errorsDoc struct {
	XMLName xml.Name   `xml:"errors"`
	Errors  []errorDoc `xml:"error"`
}

// isoTime writes a time as the specification's ISO 8601 with the zone offset (China).
func isoTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// write answers v as JSON (jsonV) or XML (xmlV) with the format's content type.
func write(w http.ResponseWriter, format string, status int, jsonV, xmlV any) {
	w.Header().Set("Cache-Control", "no-store")
	if format == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(jsonV)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?>` + "\n"))
	enc := xml.NewEncoder(w)
	enc.Encode(xmlV)
}
