package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
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

type knowledgeData struct {
	Entries []domain.Knowledge
	Edit    domain.Knowledge // the entry in the form
	Matters []domain.Matter
}

// intakeKnowledge answers the knowledge base's entries for the words typed in its
// search, or else the caller's words, and the matter chosen.
func (a *App) intakeKnowledge(w http.ResponseWriter, r *http.Request, q *Req) error {
	text := strings.TrimSpace(r.PostFormValue("kq"))
	if text == "" {
		text = r.PostFormValue("description")
	}
	ks, err := a.svc.SearchKnowledge(r.Context(), q.User, text, r.PostFormValue("matter"))
	if err != nil {
		return err
	}
	if len(ks) > 10 {
		ks = ks[:10]
	}
	return a.Fragment(w, q, http.StatusOK, "intake", "knowledge", knowledgeData{Entries: ks})
}

// knowledgePage lists the knowledge base with the form that adds or changes an entry
// (?id= puts an entry in the form).
func (a *App) knowledgePage(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showKnowledge(w, r, q, domain.Knowledge{}, http.StatusOK)
}

func (a *App) showKnowledge(w http.ResponseWriter, r *http.Request, q *Req, edit domain.Knowledge, status int) error {
	ks, err := a.svc.SearchKnowledge(r.Context(), q.User, "", "")
	if err != nil {
		return err
	}
	ms, err := a.svc.SearchMatters(r.Context(), "", 1000)
	if err != nil {
		return err
	}
	d := knowledgeData{Entries: ks, Edit: edit, Matters: ms}
	if id := r.URL.Query().Get("id"); id != "" && edit.ID == 0 {
		for _, k := range ks {
			if strconv.FormatInt(k.ID, 10) == id {
				d.Edit = k
			}
		}
	}
	return a.Render(w, q, status, "knowledge", d)
}

func (a *App) knowledgeSave(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	k := domain.Knowledge{Matter: f("matter"), Title: f("title"), Body: f("body"), Phones: f("phones"), Links: f("links")}
	k.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	k.Version, _ = strconv.Atoi(f("version"))
	saved, err := a.svc.PutKnowledge(r.Context(), q.User, k)
	if err == nil {
		return a.done(w, r, "/knowledge", q.L.T("knowledge.saved", saved.Title))
	}
	if _, ok := transport.Status(err); !ok || domain.ErrorCode(err) == domain.ENOTFOUND {
		return err
	}
	q.Error = q.ErrorMessage(err)
	return a.showKnowledge(w, r, q, k, statusOf(err))
}
