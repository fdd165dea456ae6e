package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/pdf"
)

// A class's sheets as PDF (/training/{id}/print/{sheet}.pdf), the same tables as the
// print pages, through package pdf.

// trainingPDF writes the sheet of d as an A4 PDF.
func (a *App) trainingPDF(w http.ResponseWriter, q *Req, d trainingData) error {
	c := d.View.Class
	T := q.L.T
	group := func(n int) string { return T("training.group_n", n) }
	t := pdf.Table{Title: c.Name + " " + T("training.sheet_"+d.Sheet)}
	switch d.Sheet {
	case "roster":
		t.Widths, t.Columns = []float64{10, 22, 30, 58, 16, 12, 16, 16}, []string{T("training.no"), T("training.col_name"), T("training.col_source"),
			T("training.col_unit"), T("training.col_rank"), T("training.col_gender"), T("training.col_group"), T("training.col_room")}
		s := pdf.TableSection{Heading: t.Title}
		for i, tr := range d.View.Trainees {
			s.Rows = append(s.Rows, []string{strconv.Itoa(i + 1), tr.Name, tr.Source, tr.Unit, tr.Rank, tr.Gender, strconv.Itoa(tr.Group), strconv.Itoa(tr.Room)})
		}
		t.Sections = []pdf.TableSection{s}
	case "groups", "signin":
		t.Widths, t.Columns = []float64{10, 24, 32, 64, 20, 30}, []string{T("training.no"), T("training.col_name"), T("training.col_source"),
			T("training.col_unit"), T("training.col_rank"), T("training.col_room")}
		if d.Sheet == "signin" {
			t.Widths, t.RowHeight = []float64{10, 24, 32, 54, 30, 30}, 11
			t.Columns = []string{T("training.no"), T("training.col_name"), T("training.col_source"), T("training.col_unit"), T("training.signin_am"), T("training.signin_pm")}
		}
		for _, g := range d.Groups {
			s := pdf.TableSection{Heading: c.Name + " " + group(g.No), Note: g.Sources}
			if d.Sheet == "signin" {
				s.Note = group(g.No) + " · " + T("training.signin_date")
			}
			for i, tr := range g.Trainees {
				last := []string{tr.Rank, strconv.Itoa(tr.Room)}
				if d.Sheet == "signin" {
					last = []string{"", ""}
				}
				s.Rows = append(s.Rows, append([]string{strconv.Itoa(i + 1), tr.Name, tr.Source, tr.Unit}, last...))
			}
			t.Sections = append(t.Sections, s)
		}
	default: // rooms
		t.Widths, t.Columns = []float64{16, 14, 150}, []string{T("training.col_room"), T("training.col_gender"), T("training.occupants")}
		s := pdf.TableSection{Heading: t.Title}
		for _, r := range d.Rooms {
			var who []string
			for _, tr := range r.Trainees {
				who = append(who, fmt.Sprintf("%s（%s · %s）", tr.Name, tr.Source, group(tr.Group)))
			}
			s.Rows = append(s.Rows, []string{strconv.Itoa(r.No), r.Gender, strings.Join(who, "；")})
		}
		t.Sections = []pdf.TableSection{s}
	}
	doc, err := t.Render()
	if errors.Is(err, pdf.ErrNoFont) {
		a.log.Error("training pdf", "err", err)
		return domain.Errorf(domain.ENOTFOUND, "PDF is not available on this server; print the page instead")
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="training-%d-%s.pdf"`, c.ID, d.Sheet))
	_, err = w.Write(doc)
	return err
}
