package importer

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"whistle/domain"
)

// MatterHeader is the matter catalog's CSV layout, for import and export alike. routes
// holds region:org pairs separated by spaces; hazard_category is the hazard-ledger
// category of the matter's hazard cases (domain.HazardCategories), empty for none;
// comprehensive (true or false, false when left out) marks 无差别综合受理.
var MatterHeader = []string{"code", "name", "class", "category", "lead_org", "ack_deadline", "resolve_deadline", "priority", "public", "keywords", "description", "routes", "hazard_category", "comprehensive"}

// optionalMatterColumns may be left out of an imported catalog.
var optionalMatterColumns = map[string]bool{"routes": true, "hazard_category": true, "comprehensive": true}

// ReadMatters parses a matter catalog CSV. Columns are found by header name (routes is
// optional); every row is checked, and the first bad row is reported with its line.
func ReadMatters(r io.Reader) ([]domain.Matter, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "matters CSV has no header")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, h := range MatterHeader {
		if _, ok := col[h]; !ok && !optionalMatterColumns[h] {
			return nil, domain.Errorf(domain.EINVALID, "matters CSV lacks column %q; the header is %s", h, strings.Join(MatterHeader, ","))
		}
	}
	var out []domain.Matter
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line, msg := csvError(err)
			return nil, domain.Errorf(domain.EINVALID, "matters CSV line %d: %s", line, msg)
		}
		line, _ := cr.FieldPos(0) // the file's line, even after fields spanning lines
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		m, err := matterFromRow(get)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "matters CSV line %d: %s", line, domain.ErrorMessage(err))
		}
		out = append(out, m)
	}
}

func matterFromRow(get func(string) string) (domain.Matter, error) {
	m := domain.Matter{Code: get("code"), Name: get("name"), Class: get("class"), Category: get("category"),
		LeadOrg: get("lead_org"), Keywords: get("keywords"), Description: get("description"), HazardCategory: get("hazard_category")}
	var err error
	if m.AckDeadline, err = domain.ParseDeadline(get("ack_deadline")); err != nil {
		return m, err
	}
	if m.Deadline, err = domain.ParseDeadline(get("resolve_deadline")); err != nil {
		return m, err
	}
	if m.Priority, err = strconv.Atoi(get("priority")); err != nil {
		return m, domain.Errorf(domain.EINVALID, "priority %q is not a number", get("priority"))
	}
	if m.Public, err = strconv.ParseBool(orDefault(get("public"), "true")); err != nil {
		return m, domain.Errorf(domain.EINVALID, "public %q must be true or false", get("public"))
	}
	if m.Comprehensive, err = strconv.ParseBool(orDefault(get("comprehensive"), "false")); err != nil {
		return m, domain.Errorf(domain.EINVALID, "comprehensive %q must be true or false", get("comprehensive"))
	}
	for _, pair := range strings.Fields(get("routes")) {
		region, org, ok := strings.Cut(pair, ":")
		if !ok || region == "" || org == "" {
			return m, domain.Errorf(domain.EINVALID, "route %q must be region:org", pair)
		}
		m.Routes = append(m.Routes, domain.Route{Region: region, Org: org})
	}
	return m, m.Validate()
}

// WriteMatters writes the catalog in the layout ReadMatters reads.
func WriteMatters(w io.Writer, ms []domain.Matter) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MatterHeader); err != nil {
		return err
	}
	for _, m := range ms {
		var routes []string
		for _, r := range m.Routes {
			routes = append(routes, r.Region+":"+r.Org)
		}
		if err := cw.Write([]string{m.Code, m.Name, m.Class, m.Category, m.LeadOrg, m.AckDeadline.String(), m.Deadline.String(),
			strconv.Itoa(m.Priority), strconv.FormatBool(m.Public), m.Keywords, m.Description, strings.Join(routes, " "), m.HazardCategory,
			strconv.FormatBool(m.Comprehensive)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadCalendar parses a calendar CSV (date,kind,name; lines starting with # are
// comments, such as the notice the dates come from) and checks every day.
func ReadCalendar(r io.Reader) ([]domain.CalendarDay, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var out []domain.CalendarDay
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			line, msg := csvError(err)
			return nil, domain.Errorf(domain.EINVALID, "calendar CSV line %d: %s", line, msg)
		}
		line, _ := cr.FieldPos(0) // the file's line, comments counted
		if len(rec) < 2 || rec[0] == "date" {
			continue
		}
		d := domain.CalendarDay{Date: strings.TrimSpace(rec[0]), Kind: domain.DayKind(strings.TrimSpace(rec[1]))}
		if len(rec) > 2 {
			d.Name = strings.TrimSpace(rec[2])
		}
		if err := domain.ValidateDay(d); err != nil {
			return nil, domain.Errorf(domain.EINVALID, "calendar CSV line %d: %s", line, domain.ErrorMessage(err))
		}
		out = append(out, d)
	}
}

// csvError splits a CSV syntax error into the line it starts on and what is wrong.
func csvError(err error) (int, string) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine, pe.Err.Error()
	}
	return 0, err.Error()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
