package domain

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Datatypes of a matter's extra fields, the ones Open311 GeoReport v2 knows.
const (
	AttrString          = "string"
	AttrNumber          = "number"
	AttrDatetime        = "datetime"
	AttrText            = "text"
	AttrSingleValueList = "singlevaluelist"
	AttrMultiValueList  = "multivaluelist"
)

var attrTypes = []string{AttrString, AttrNumber, AttrDatetime, AttrText, AttrSingleValueList, AttrMultiValueList}

// AttrValue is one choice of a list attribute.
type AttrValue struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// MatterAttribute is an extra field a matter asks the reporter for (e.g. the pole number
// of a broken street light). Open311 clients see them in the service definition.
type MatterAttribute struct {
	Code                string      `json:"code"`
	Variable            bool        `json:"variable"` // false: shown as information only, never answered
	Datatype            string      `json:"datatype"`
	Required            bool        `json:"required"`
	DatatypeDescription string      `json:"datatype_description,omitempty"`
	Order               int         `json:"order"`
	Description         string      `json:"description"`
	Values              []AttrValue `json:"values,omitempty"`
}

// ValidateAttributes checks a matter's attribute list before it is stored.
func ValidateAttributes(attrs []MatterAttribute) error {
	seen := map[string]bool{}
	for _, a := range attrs {
		if a.Code == "" || len(a.Code) > 64 || strings.ContainsAny(a.Code, "[]&= \t\n") {
			return Errorf(EINVALID, "attribute code %q must be 1-64 characters without brackets, spaces, & or =", a.Code)
		}
		if seen[a.Code] {
			return Errorf(EINVALID, "attribute %s is declared twice", a.Code)
		}
		seen[a.Code] = true
		if !oneOf(a.Datatype, attrTypes) {
			return Errorf(EINVALID, "attribute %s: datatype must be one of %s", a.Code, strings.Join(attrTypes, ", "))
		}
		if a.Description == "" || len(a.Description) > 2000 || len(a.DatatypeDescription) > 2000 {
			return Errorf(EINVALID, "attribute %s needs a description (at most 2000 characters)", a.Code)
		}
		list := a.Datatype == AttrSingleValueList || a.Datatype == AttrMultiValueList
		if list != (len(a.Values) > 0) {
			return Errorf(EINVALID, "attribute %s: list datatypes need values, other datatypes take none", a.Code)
		}
		keys := map[string]bool{}
		for _, v := range a.Values {
			if v.Key == "" || v.Name == "" || keys[v.Key] {
				return Errorf(EINVALID, "attribute %s: each value needs a distinct key and a name", a.Code)
			}
			keys[v.Key] = true
		}
		if a.Required && !a.Variable {
			return Errorf(EINVALID, "attribute %s: an information-only (variable false) attribute cannot be required", a.Code)
		}
	}
	return nil
}

// SortAttributes puts attributes in their declared order, then by code.
func SortAttributes(attrs []MatterAttribute) {
	sort.SliceStable(attrs, func(i, j int) bool {
		if attrs[i].Order != attrs[j].Order {
			return attrs[i].Order < attrs[j].Order
		}
		return attrs[i].Code < attrs[j].Code
	})
}

// CheckAnswers holds a report's answers to the matter's attributes: every required one
// answered, each answer of its datatype, list answers among the values, no unknown
// codes. It gives the answers cleaned (trimmed, datetimes normalised).
func CheckAnswers(attrs []MatterAttribute, given map[string][]string) (map[string][]string, error) {
	byCode := map[string]MatterAttribute{}
	for _, a := range attrs {
		byCode[a.Code] = a
	}
	out := map[string][]string{}
	for code, vals := range given {
		a, ok := byCode[code]
		if !ok || !a.Variable {
			return nil, Errorf(EINVALID, "attribute[%s] is not an attribute of this service", code)
		}
		var clean []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				clean = append(clean, v)
			}
		}
		if len(clean) == 0 {
			continue
		}
		if a.Datatype != AttrMultiValueList && len(clean) > 1 {
			return nil, Errorf(EINVALID, "attribute[%s] takes one value", code)
		}
		for i, v := range clean {
			if len(v) > 4000 {
				return nil, Errorf(EINVALID, "attribute[%s] is longer than 4000 characters", code)
			}
			switch a.Datatype {
			case AttrString:
				if strings.ContainsAny(v, "\r\n") || len([]rune(v)) > 255 {
					return nil, Errorf(EINVALID, "attribute[%s] is a one-line string of at most 255 characters", code)
				}
			case AttrNumber:
				if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "xXpPnNiI_") {
					return nil, Errorf(EINVALID, "attribute[%s] must be a number", code)
				}
			case AttrDatetime:
				t, err := ParseISO8601(v)
				if err != nil {
					return nil, Errorf(EINVALID, "attribute[%s] must be an ISO 8601 date and time", code)
				}
				clean[i] = t.Format(time.RFC3339)
			case AttrSingleValueList, AttrMultiValueList:
				if !hasKey(a.Values, v) {
					return nil, Errorf(EINVALID, "attribute[%s]: %q is not one of its values", code, v)
				}
			}
		}
		out[code] = clean
	}
	for _, a := range attrs {
		if a.Required && len(out[a.Code]) == 0 {
			return nil, Errorf(EINVALID, "attribute[%s] is required: %s", a.Code, a.Description)
		}
	}
	return out, nil
}

func hasKey(vals []AttrValue, k string) bool {
	for _, v := range vals {
		if v.Key == k {
			return true
		}
	}
	return false
}

// ParseISO8601 reads the W3C subset of ISO 8601 the Open311 specification uses: a full
// date and time with seconds optional and a zone (Z or ±hh:mm), or a bare date taken as
// midnight China time.
func ParseISO8601(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, China); err == nil {
		return t, nil
	}
	return time.Time{}, Errorf(EINVALID, "%q is not an ISO 8601 date-time with a time zone, e.g. 2026-03-02T09:00:00+08:00", s)
}
