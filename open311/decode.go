package open311

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"whistle/domain"
)

// PostRequest is a decoded POST requests form: the specification's fields, checked for
// shape. Whether the service exists, the key is valid and the place is served is
// checked later by the service.
type PostRequest struct {
	APIKey       string
	Jurisdiction string
	ServiceCode  string
	Lat, Long    *float64
	Address      string
	AddressID    string
	Email        string
	DeviceID     string
	AccountID    string
	FirstName    string
	LastName     string
	Phone        string
	Description  string
	MediaURL     string
	Attributes   map[string][]string
}

var postFields = map[string]bool{"api_key": true, "jurisdiction_id": true, "service_code": true, "lat": true, "long": true,
	"address_string": true, "address_id": true, "email": true, "device_id": true, "account_id": true, "first_name": true,
	"last_name": true, "phone": true, "description": true, "media_url": true}

func bad(format string, args ...any) error { return domain.Errorf(domain.EINVALID, format, args...) }

// one reads a field given at most once, as clean UTF-8 of at most max bytes.
func one(v url.Values, name string, max int) (string, error) {
	vals := v[name]
	if len(vals) > 1 {
		return "", bad("%s is given more than once", name)
	}
	if len(vals) == 0 {
		return "", nil
	}
	s := strings.TrimSpace(vals[0])
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", bad("%s must be UTF-8 text without NUL characters", name)
	}
	if len(s) > max {
		return "", bad("%s is longer than %d bytes", name, max)
	}
	return s, nil
}

// DecodePost reads a POST requests form. It is total: any input gives a request or an
// invalid-input error, never a panic (FuzzDecodePost holds it to that).
func DecodePost(v url.Values) (PostRequest, error) {
	var p PostRequest
	p.Attributes = map[string][]string{}
	for name, vals := range v {
		if postFields[name] {
			continue
		}
		code, ok := attributeCode(name)
		if !ok {
			return p, bad("unknown parameter %q", name)
		}
		if len(vals) > 50 {
			return p, bad("attribute[%s] has too many values", code)
		}
		for _, x := range vals {
			if !utf8.ValidString(x) || strings.ContainsRune(x, 0) || len(x) > 4000 {
				return p, bad("attribute[%s] must be UTF-8 text of at most 4000 bytes", code)
			}
		}
		p.Attributes[code] = append(p.Attributes[code], vals...)
	}
	fields := []struct {
		name string
		max  int
		to   *string
	}{{"api_key", 200, &p.APIKey}, {"jurisdiction_id", 40, &p.Jurisdiction}, {"service_code", 64, &p.ServiceCode},
		{"address_string", 500, &p.Address}, {"address_id", 200, &p.AddressID}, {"email", 200, &p.Email},
		{"device_id", 200, &p.DeviceID}, {"account_id", 200, &p.AccountID}, {"first_name", 50, &p.FirstName},
		{"last_name", 50, &p.LastName}, {"phone", 40, &p.Phone}, {"description", 4000 * 4, &p.Description},
		{"media_url", 2000, &p.MediaURL}}
	for _, f := range fields {
		s, err := one(v, f.name, f.max)
		if err != nil {
			return p, err
		}
		*f.to = s
	}
	if p.ServiceCode == "" {
		return p, bad("service_code is required")
	}
	if utf8.RuneCountInString(p.Description) > 4000 {
		return p, bad("description is at most 4000 characters")
	}
	lat, err := one(v, "lat", 40)
	if err != nil {
		return p, err
	}
	long, err := one(v, "long", 40)
	if err != nil {
		return p, err
	}
	if (lat == "") != (long == "") {
		return p, bad("lat and long go together")
	}
	if lat != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(long, 64)
		if err1 != nil || err2 != nil || !domain.ValidPosition(la, lo) {
			return p, bad("lat and long must be WGS84 decimal degrees")
		}
		p.Lat, p.Long = &la, &lo
	}
	if p.Lat == nil && p.Address == "" && p.AddressID == "" {
		return p, bad("a location is required: lat and long, address_string or address_id")
	}
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			return p, bad("email is not an e-mail address")
		}
	}
	if p.Phone != "" {
		if err := domain.ValidatePhone(p.Phone); err != nil {
			return p, err
		}
	}
	if p.MediaURL != "" {
		u, err := url.Parse(p.MediaURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return p, bad("media_url must be an http or https URL")
		}
	}
	return p, nil
}

// attributeCode reads attribute[code] or attribute[code][] (a multivaluelist answer).
func attributeCode(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "attribute[")
	if !ok {
		return "", false
	}
	rest = strings.TrimSuffix(rest, "[]")
	code, ok := strings.CutSuffix(rest, "]")
	if !ok || code == "" || strings.ContainsAny(code, "[]") || len(code) > 64 || !utf8.ValidString(code) {
		return "", false
	}
	return code, true
}

// MaxSpan is the longest period one GET requests may ask for, and the period given
// when none is: the specification's 90 days.
const MaxSpan = 90 * 24 * time.Hour

// MaxResults is the most requests one answer lists.
const MaxResults = 1000

// DecodeQuery reads the GET requests parameters into a filter. service_request_id wins
// over every other parameter, as the specification says; otherwise the period defaults
// to the 90 days before now (or after start_date), and may not span more.
func DecodeQuery(v url.Values, now time.Time) (domain.PublicFilter, error) {
	f := domain.PublicFilter{Limit: MaxResults}
	known := map[string]bool{"service_request_id": true, "service_code": true, "start_date": true, "end_date": true,
		"status": true, "jurisdiction_id": true, "api_key": true}
	for name, vals := range v {
		if !known[name] {
			return f, bad("unknown parameter %q", name)
		}
		if len(vals) > 1 {
			return f, bad("%s is given more than once; separate several values with commas", name)
		}
		if !utf8.ValidString(vals[0]) || strings.ContainsRune(vals[0], 0) || len(vals[0]) > 20000 {
			return f, bad("%s must be UTF-8 text", name)
		}
	}
	if ids := strings.TrimSpace(v.Get("service_request_id")); ids != "" {
		for _, s := range strings.Split(ids, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				return f, bad("service_request_id must be a comma-separated list of request ids")
			}
			f.IDs = append(f.IDs, id)
		}
		if len(f.IDs) > MaxResults {
			return f, bad("at most %d service_request_id values", MaxResults)
		}
		return f, nil
	}
	for _, s := range split(v.Get("service_code")) {
		if len(s) > 64 {
			return f, bad("service_code %q is too long", s)
		}
		f.Matters = append(f.Matters, s)
	}
	if len(f.Matters) > 200 {
		return f, bad("at most 200 service codes")
	}
	var open, closed bool
	for _, s := range split(v.Get("status")) {
		switch s {
		case "open":
			open = true
		case "closed":
			closed = true
		default:
			return f, bad("status must be open, closed or both (comma-separated)")
		}
	}
	if open != closed {
		f.Open = &open
	}
	var err error
	start, end := v.Get("start_date"), v.Get("end_date")
	switch {
	case start == "" && end == "":
		f.To = now
		f.From = now.Add(-MaxSpan)
	case end == "":
		if f.From, err = date("start_date", start); err != nil {
			return f, err
		}
		f.To = f.From.Add(MaxSpan)
	case start == "":
		if f.To, err = date("end_date", end); err != nil {
			return f, err
		}
		f.From = f.To.Add(-MaxSpan)
	default:
		if f.From, err = date("start_date", start); err != nil {
			return f, err
		}
		if f.To, err = date("end_date", end); err != nil {
			return f, err
		}
	}
	if f.To.Before(f.From) {
		return f, bad("end_date is before start_date")
	}
	if f.To.Sub(f.From) > MaxSpan {
		return f, bad("start_date to end_date may not span more than 90 days")
	}
	return f, nil
}

func date(name, s string) (time.Time, error) {
	t, err := domain.ParseISO8601(s)
	if err != nil {
		return t, bad("%s: %s", name, domain.ErrorMessage(err))
	}
	if t.Year() < 2000 || t.Year() > 2200 {
		return t, bad("%s is out of range", name)
	}
	return t, nil
}

func split(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
