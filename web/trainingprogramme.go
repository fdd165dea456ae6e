package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// A class's programme in the browser: the sessions with their attendance and feedback
// on the class page, a session's page for marking attendance and entering feedback,
// and its printable sign-in sheet. The same service methods as
// /api/v1/training/classes/{id}/sessions.

func init() {
	register(func(a *App) {
		a.Action("POST /training/{id}/sessions", trainingRoles, a.trainingAddSession)
		a.Page("GET /training/{id}/sessions/{session}", trainingRoles, a.trainingSessionPage)
		a.Page("GET /training/{id}/sessions/{session}/print", trainingRoles, a.trainingSessionPrint)
		a.Action("POST /training/{id}/sessions/{session}/attendance", trainingRoles, a.trainingAttendance)
		a.Action("POST /training/{id}/sessions/{session}/feedback", trainingRoles, a.trainingFeedback)
	})
}

func sessionPath(r *http.Request) (int64, int64, string, error) {
	id, err := trainingID(r)
	if err != nil {
		return 0, 0, "", err
	}
	session, err := transport.PathID(r, "session", "session")
	return id, session, "/training/" + strconv.FormatInt(id, 10) + "/sessions/" + strconv.FormatInt(session, 10), err
}

func (a *App) trainingAddSession(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	ses := domain.TrainingSession{Kind: f("kind"), Title: f("title"), StartsAt: f("starts_at"), Place: f("place"), Speaker: f("speaker")}
	ses.Group, _ = strconv.Atoi(f("group"))
	if _, err := a.svc.AddTrainingSession(r.Context(), q.User, id, ses); err != nil {
		return a.trainingRefuse(w, r, q, err)
	}
	return a.done(w, r, "/training/"+strconv.FormatInt(id, 10)+"#programme", q.L.T("training.session_added", ses.Title))
}

type sessionData struct {
	D    service.SessionDetail
	Path string
}

func (a *App) trainingSessionPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showSession(w, r, q, "trainingsession")
}

func (a *App) trainingSessionPrint(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.showSession(w, r, q, "trainingsignin")
}

func (a *App) showSession(w http.ResponseWriter, r *http.Request, q *Req, page string) error {
	id, session, path, err := sessionPath(r)
	if err != nil {
		return err
	}
	d, err := a.svc.TrainingSession(r.Context(), q.User, id, session)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, page, sessionData{D: d, Path: path})
}

// trainingAttendance records the marks of the session's form: m<trainee id> = mark.
func (a *App) trainingAttendance(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, session, path, err := sessionPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	in := service.AttendanceMarks{Marks: map[int64]string{}}
	for k, v := range r.PostForm {
		if tid, err := strconv.ParseInt(strings.TrimPrefix(k, "m"), 10, 64); strings.HasPrefix(k, "m") && err == nil && len(v) > 0 && v[0] != "" {
			in.Marks[tid] = v[0]
		}
	}
	d, err := a.svc.MarkAttendance(r.Context(), q.User, id, session, in)
	if err != nil {
		return err
	}
	return a.done(w, r, path, q.L.T("training.marked", len(in.Marks), d.Session.Attendance.Expected))
}

func (a *App) trainingFeedback(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, session, path, err := sessionPath(r)
	if err != nil {
		return err
	}
	fb := domain.Feedback{Comment: r.PostFormValue("comment")}
	fb.Rating, _ = strconv.Atoi(r.PostFormValue("rating"))
	if _, err := a.svc.AddFeedback(r.Context(), q.User, id, session, fb); err != nil {
		return err
	}
	return a.done(w, r, path+"#feedback", q.L.T("training.feedback_saved"))
}
