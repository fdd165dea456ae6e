package web

import (
	"net/http"
	"strings"

	"whistle/domain"
	"whistle/service"
)

// The 12345 seat's helpers on the hotline form (htmx fragments): the caller's earlier
// calls as the number is typed, and the matters suggested as their words are.

type callerData struct {
	Looked bool // a whole number was typed: say what was found, or that it is a new caller
	Cases  []service.CallerCase
}

// intakeCaller answers the caller's history once the number has seven digits or more;
// shorter, nothing (and nothing is looked up or logged).
func (a *App) intakeCaller(w http.ResponseWriter, r *http.Request, q *Req) error {
	phone := strings.TrimSpace(r.PostFormValue("caller_phone"))
	d := callerData{}
	if len(domain.PhoneDigits(phone)) >= 7 {
		cs, err := a.svc.CallerHistory(r.Context(), q.User, phone)
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		d = callerData{Looked: err == nil, Cases: cs}
	}
	return a.Fragment(w, q, http.StatusOK, "intake", "caller-history", d)
}

type suggestData struct {
	Suggestions []domain.Suggestion
}

// intakeSuggest answers the matters suggested for the caller's words.
func (a *App) intakeSuggest(w http.ResponseWriter, r *http.Request, q *Req) error {
	got, err := a.svc.SuggestMatters(r.Context(), q.User, r.PostFormValue("description"), 5)
	if err != nil {
		return err
	}
	return a.Fragment(w, q, http.StatusOK, "intake", "suggestions", suggestData{Suggestions: got})
}
