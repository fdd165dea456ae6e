package web

import (
	"net/http"

	"whistle/domain"
	"whistle/transport"
)

// The case's routing sheet (工单流转单): the case's facts and its whole timeline on one
// printable page, for the paper file an office keeps; whoever may see the case may print
// it, with personal data masked as on the case page.

func init() {
	register(func(a *App) {
		a.Page("GET /cases/{id}/sheet", nil, a.caseSheet)
	})
}

type caseSheetData struct {
	Case  *domain.Case
	Names Names
}

func (a *App) caseSheet(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "case")
	if err != nil {
		return err
	}
	c, err := a.svc.Case(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	names, err := a.names(r.Context(), []*domain.Case{c})
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "casesheet", caseSheetData{Case: c, Names: names})
}
