package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"whistle/domain"
	"whistle/sheets"
	"whistle/store"
)

// MaxRegister is the largest register file accepted (a county's register fits easily).
const MaxRegister = 8 << 20

// ReadTable reads a register file as rows of cells: XLSX (the first sheet) when body is
// a ZIP archive, CSV (UTF-8, comma or tab separated) otherwise.
func ReadTable(body []byte) ([][]string, error) {
	if len(body) > MaxRegister {
		return nil, domain.Errorf(domain.EINVALID, "the file is larger than %d bytes", MaxRegister)
	}
	if bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		// raw values: dates as their serial numbers, amounts without display formats
		rows, err := sheets.ReadFirst(bytes.NewReader(body), true)
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "%v", err)
		}
		for _, r := range rows {
			for _, c := range r {
				if !utf8.ValidString(c) || strings.ContainsRune(c, 0) {
					return nil, domain.Errorf(domain.EINVALID, "cells must be UTF-8 text without NUL")
				}
			}
		}
		return rows, nil
	}
	if !utf8.Valid(body) || bytes.ContainsRune(body, 0) {
		return nil, domain.Errorf(domain.EINVALID, "a CSV register must be UTF-8 text (save it as CSV UTF-8) or an XLSX workbook")
	}
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(body))
	first, _, _ := strings.Cut(string(body), "\n")
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		r.Comma = '\t'
	}
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "CSV: %v", err)
		}
		rows = append(rows, rec)
	}
}

// ImportRegister reads a register into group id: every row is checked (the schema,
// regions, numbers and ID numbers already in the register) and, unless preview is set
// and only when no row has a mistake, all of it is written in one transaction. day is
// the day the register speaks for ("" for today): subjects enter and values begin then.
func (s *Groups) ImportRegister(ctx context.Context, u domain.User, id int64, table [][]string, day string, preview bool) (domain.Register, error) {
	g, err := s.Group(ctx, u, id)
	if err != nil {
		return domain.Register{}, err
	}
	if !domain.CanManageGroups(u, g.Region) {
		return domain.Register{}, domain.Errorf(domain.EFORBIDDEN, "only administrators of region %s import its registers", g.Region)
	}
	if day == "" {
		day = s.today()
	} else if day, err = domain.ParseDay(day); err != nil {
		return domain.Register{}, err
	}
	known := map[string]bool{}
	regionOK := func(code string) bool {
		if ok, seen := known[code]; seen {
			return ok
		}
		_, err := s.db.Region(ctx, code)
		known[code] = err == nil
		return known[code]
	}
	reg := domain.ReadRegister(g, table, day, regionOK)
	var written bool
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.checkAgainstRegister(tx, g, &reg); err != nil {
			return err
		}
		if preview || len(reg.Errors) > 0 {
			return nil
		}
		written = true
		if err := s.writeUnits(tx, g, reg.Units, day, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "register.import", domain.GroupObject(g.ID), domain.Change{Facts: map[string]any{"day": day, "units": len(reg.Units)}})
	})
	if err != nil {
		return reg, err
	}
	if !preview && !written {
		return reg, domain.Errorf(domain.EINVALID, "the register has %d mistakes; nothing was written", len(reg.Errors))
	}
	return reg, nil
}

// checkAgainstRegister adds the mistakes only the stored register shows: numbers and ID
// numbers already taken.
func (s *Groups) checkAgainstRegister(tx *store.Tx, g *domain.Group, reg *domain.Register) error {
	refs, err := tx.RefsTaken(g.ID)
	if err != nil {
		return err
	}
	var idFields []domain.Field
	for _, f := range g.Fields {
		if f.Type == domain.FieldIDNumber {
			idFields = append(idFields, f)
		}
	}
	taken := map[string]map[string]int64{}
	for _, f := range idFields {
		if taken[f.Key], err = tx.IDHashes(g.ID, f.Key); err != nil {
			return err
		}
	}
	check := func(unit domain.ImportUnit) error {
		for _, f := range idFields {
			v := unit.Values[f.Key]
			if v == "" {
				continue
			}
			if taken[f.Key][s.keys.Hash(string(f.Type), v)] != 0 && len(reg.Errors) < domain.MaxRowErrors {
				reg.Errors = append(reg.Errors, domain.RowError{Row: unit.Row, Column: f.Label, Message: "this ID number is already in the register"})
			}
		}
		return nil
	}
	for _, unit := range reg.Units {
		if unit.Subject.Ref != "" && refs[unit.Subject.Ref] && len(reg.Errors) < domain.MaxRowErrors {
			reg.Errors = append(reg.Errors, domain.RowError{Row: unit.Row, Column: domain.RegisterColumns(g)[0], Message: "number " + unit.Subject.Ref + " is already in the register"})
		}
		if err := check(unit); err != nil {
			return err
		}
		for _, m := range unit.Members {
			if err := check(m); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Groups) writeUnits(tx *store.Tx, g *domain.Group, units []domain.ImportUnit, day string, by int64) error {
	write := func(unit domain.ImportUnit, household int64) (int64, error) {
		sub := unit.Subject
		sub.Household = household
		if err := tx.AddSubject(&sub); err != nil {
			return 0, err
		}
		var vals []domain.Value
		for _, f := range g.Fields {
			if v, ok := unit.Values[f.Key]; ok {
				vals = append(vals, domain.Value{Subject: sub.ID, Field: f.Key, From: day, Value: v, Source: "import"})
			}
		}
		return sub.ID, s.putValues(tx, g, vals, by, true)
	}
	for _, unit := range units {
		id, err := write(unit, 0)
		if err != nil {
			return err
		}
		for _, m := range unit.Members {
			m.Subject.Region = unit.Subject.Region
			if _, err := write(m, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// ExportRegister writes a group's register in u's scope as of day, in the layout import
// reads. Personal data is masked unless reveal is set and u may reveal it, and then the
// export is audited as one reveal of every subject in it.
func (s *Groups) ExportRegister(ctx context.Context, u domain.User, id int64, region, day string, reveal bool) ([][]string, error) {
	g, err := s.Group(ctx, u, id)
	if err != nil {
		return nil, err
	}
	region, ok := scopeRegion(u, g, region)
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "region not found in your scope")
	}
	if day == "" {
		day = s.today()
	}
	subjects, err := s.db.Subjects(ctx, store.SubjectFilter{Group: g.ID, Region: region, AsOf: day})
	if err != nil {
		return nil, err
	}
	clear, err := s.clearValues(ctx, subjects, day)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	var revealed []string
	for _, f := range g.Fields {
		if reveal && domain.CanReveal(u, f) {
			want[f.Key] = true
			revealed = append(revealed, f.Key)
		}
	}
	view := func(id int64) map[string]string { return domain.MaskValues(u, g, clear[id], want) }
	rows := [][]string{domain.RegisterHeader(g)}
	byID := map[int64]domain.Subject{}
	for _, sub := range subjects {
		byID[sub.ID] = sub
	}
	line := func(fixed []string, own, household map[string]string) []string {
		for _, f := range g.Fields {
			v := own[f.Key]
			if f.On == domain.KindHousehold && g.Kind == domain.KindHousehold {
				v = household[f.Key]
			}
			fixed = append(fixed, v)
		}
		return fixed
	}
	for _, sub := range subjects {
		switch {
		case g.Kind != domain.KindHousehold:
			rows = append(rows, line([]string{sub.Ref, sub.Name, sub.Region}, view(sub.ID), nil))
		case sub.Kind == domain.KindPerson:
			hh := byID[sub.Household]
			rows = append(rows, line([]string{hh.Ref, sub.Name, sub.Relation, hh.Region}, view(sub.ID), view(hh.ID)))
		}
	}
	if len(revealed) > 0 && len(subjects) > 0 {
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			return s.audit(ctx, tx, u, domain.ActExport, domain.GroupObject(g.ID), domain.Reveal{Fields: revealed, Purpose: "export", Subjects: len(subjects)}.Change())
		})
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// clearValues reads the values of subjects as of day, personal data opened.
func (s *Groups) clearValues(ctx context.Context, subjects []domain.Subject, day string) (map[int64]map[string]string, error) {
	out := map[int64]map[string]string{}
	if len(subjects) == 0 {
		return out, nil
	}
	g, err := s.db.Group(ctx, subjects[0].GroupID)
	if err != nil {
		return nil, err
	}
	var versions []domain.Value
	const chunk = 500
	for i := 0; i < len(subjects); i += chunk {
		ids := make([]int64, 0, chunk)
		for _, sub := range subjects[i:min(i+chunk, len(subjects))] {
			ids = append(ids, sub.ID)
		}
		vs, err := s.db.Values(ctx, store.ValueFilter{Subjects: ids, AsOf: day})
		if err != nil {
			return nil, err
		}
		versions = append(versions, vs...)
	}
	for _, v := range versions { // ordered by subject, field, day: the last one wins
		f, ok := g.Field(v.Field)
		if !ok {
			continue
		}
		clear, err := s.open(f, v.Value)
		if err != nil {
			return nil, err
		}
		if out[v.Subject] == nil {
			out[v.Subject] = map[string]string{}
		}
		if clear == "" {
			delete(out[v.Subject], v.Field)
			continue
		}
		out[v.Subject][v.Field] = clear
	}
	return out, nil
}
