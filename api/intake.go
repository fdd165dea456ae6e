package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// intakeRoutes registers the doors' routes: filing through a door with files, the
// call-taker's matter search, attachments, duplicates, client apps and the public page.
func (s *Server) intakeRoutes() {
	s.authed("POST /api/v1/intake", s.fileIntake)
	s.authed("GET /api/v1/intake/matters", s.searchMatters)
	s.authed("GET /api/v1/cases/{id}/intake", s.caseIntake)
	s.authed("GET /api/v1/cases/{id}/attachments", s.listAttachments)
	s.authed("POST /api/v1/cases/{id}/attachments", s.addAttachment)
	s.authed("GET /api/v1/attachments/{id}", s.getAttachment)
	s.authed("GET /api/v1/cases/{id}/duplicates", s.duplicates)
	s.authed("POST /api/v1/cases/{id}/duplicates/merge", s.mergeDuplicate)
	s.authed("GET /api/v1/matters/{code}/attributes", s.getAttributes)
	s.admin("PUT /api/v1/matters/{code}/attributes", s.putAttributes)
	s.admin("GET /api/v1/settings/duplicates", s.getDuplicateRule)
	s.admin("PUT /api/v1/settings/duplicates", s.putDuplicateRule)
	s.admin("GET /api/v1/open311/clients", s.listClients)
	s.admin("POST /api/v1/open311/clients", s.createClient)
	s.admin("PUT /api/v1/open311/clients/{id}", s.updateClient)
	s.handle("POST /api/v1/public/reports", s.publicReport)
	s.handle("POST /api/v1/public/follow", s.publicFollow)
}

// intakeBody is a filing through a door.
type intakeBody struct {
	Case        domain.NewCase      `json:"case"`
	CallerPhone string              `json:"caller_phone"`
	Recording   string              `json:"recording"`
	Window      string              `json:"window"`
	Enterprise  string              `json:"enterprise"`
	Attributes  map[string][]string `json:"attributes"`
	Receipt     bool                `json:"receipt"`
}

// maxFiles bounds a multipart filing: nine photos and the form.
const maxFiles = 9*domain.MaxAttachment + transport.MaxBody

// readIntake reads a filing as JSON, or as multipart/form-data with the JSON in a part
// named "intake" and files in parts named "files". It is the upload decoder of the REST
// doors; each file is checked by service.ReadUpload.
func readIntake(w http.ResponseWriter, r *http.Request, v any) ([]service.Upload, func(), error) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return nil, func() {}, transport.Decode(w, r, v)
	}
	if params["boundary"] == "" {
		return nil, func() {}, domain.Errorf(domain.EINVALID, "multipart body without a boundary")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFiles)
	if err := r.ParseMultipartForm(transport.MaxBody); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, func() {}, domain.Errorf(domain.EINVALID, "the upload is larger than %d MB", maxFiles>>20)
		}
		return nil, func() {}, domain.Errorf(domain.EINVALID, "the multipart body does not parse")
	}
	cleanup := func() { r.MultipartForm.RemoveAll() }
	form := r.MultipartForm
	for name := range form.Value {
		if name != "intake" {
			return nil, cleanup, domain.Errorf(domain.EINVALID, "unknown form field %q; send the filing as JSON in the field intake", name)
		}
	}
	if len(form.Value["intake"]) != 1 {
		return nil, cleanup, domain.Errorf(domain.EINVALID, "send the filing as JSON in one field named intake")
	}
	if err := decodeBytes([]byte(form.Value["intake"][0]), v); err != nil {
		return nil, cleanup, err
	}
	var files []service.Upload
	for name, fhs := range form.File {
		if name != "files" {
			return nil, cleanup, domain.Errorf(domain.EINVALID, "files go in parts named files, not %q", name)
		}
		for _, fh := range fhs {
			f, err := fh.Open()
			if err != nil {
				return nil, cleanup, domain.Errorf(domain.EINVALID, "could not read file %q", fh.Filename)
			}
			files = append(files, service.Upload{Name: fh.Filename, Body: f})
		}
	}
	return files, cleanup, nil
}

// decodeBytes decodes JSON strictly, as decode does for a body.
func decodeBytes(b []byte, v any) error {
	if !transport.CleanText(string(b)) || bytes.Contains(b, []byte(`\u0000`)) {
		return domain.Errorf(domain.EINVALID, "text must be UTF-8 without NUL characters")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return domain.Errorf(domain.EINVALID, "bad JSON in intake: %v", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return domain.Errorf(domain.EINVALID, "send one JSON object")
	}
	return nil
}

func (s *Server) fileIntake(w http.ResponseWriter, r *http.Request, u domain.User) {
	var b intakeBody
	files, cleanup, err := readIntake(w, r, &b)
	defer cleanup()
	if err != nil {
		s.error(w, r, err)
		return
	}
	in := service.Intake{Case: b.Case, Files: files, Receipt: b.Receipt || b.Case.Channel == "window" || b.Case.Channel == domain.CannotDo,
		Details: domain.IntakeDetails{CallerPhone: b.CallerPhone, Recording: b.Recording, Window: b.Window, Enterprise: b.Enterprise, Attributes: b.Attributes}}
	rc, err := s.svc.FileIntake(r.Context(), u, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(rc.Case.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, rc)
}

func (s *Server) searchMatters(w http.ResponseWriter, r *http.Request, _ domain.User) {
	q := r.URL.Query().Get("q")
	if len(q) > 200 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "q is at most 200 bytes"))
		return
	}
	ms, err := s.svc.SearchMatters(r.Context(), q, 30)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"matters": ms})
}

func (s *Server) caseIntake(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.svc.Intake(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, d)
}

func (s *Server) listAttachments(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	as, err := s.svc.Attachments(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"attachments": as})
}

// addAttachment takes one file as multipart/form-data (part "file", optional field
// "event" with the event's sequence number).
func (s *Server) addAttachment(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		s.error(w, r, domain.Errorf(domain.EINVALID, "send the file as multipart/form-data in a part named file"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, domain.MaxAttachment+transport.MaxBody)
	if err := r.ParseMultipartForm(transport.MaxBody); err != nil {
		s.error(w, r, domain.Errorf(domain.EINVALID, "the upload does not parse or is larger than %d MB", domain.MaxAttachment>>20))
		return
	}
	defer r.MultipartForm.RemoveAll()
	fhs := r.MultipartForm.File["file"]
	if len(fhs) != 1 || len(r.MultipartForm.File) != 1 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "send exactly one part named file"))
		return
	}
	seq := 0
	if ev := r.MultipartForm.Value["event"]; len(ev) > 0 {
		if seq, err = strconv.Atoi(ev[0]); err != nil || seq < 0 || len(ev) > 1 {
			s.error(w, r, domain.Errorf(domain.EINVALID, "event must be one event sequence number"))
			return
		}
	}
	f, err := fhs[0].Open()
	if err != nil {
		s.error(w, r, domain.Errorf(domain.EINVALID, "could not read the file"))
		return
	}
	defer f.Close()
	a, err := s.svc.Attach(r.Context(), u, id, seq, fhs[0].Filename, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, a)
}

// getAttachment sends a file (or with thumb=1 its thumbnail) to a user who may see its
// case, under its sniffed type, never to be re-sniffed or run by the browser.
func (s *Server) getAttachment(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, domain.Errorf(domain.ENOTFOUND, "no attachment %q", r.PathValue("id")))
		return
	}
	thumb := r.URL.Query().Get("thumb") == "1"
	a, f, err := s.svc.OpenAttachment(r.Context(), u, id, thumb)
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer f.Close()
	ServeAttachment(w, r, a, f, thumb)
}

// ServeAttachment writes a stored file with safe headers; the web pages use it too.
func ServeAttachment(w http.ResponseWriter, r *http.Request, a domain.Attachment, f io.ReadSeeker, thumb bool) {
	ct := a.ContentType
	if thumb {
		ct = "image/jpeg"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	disp := "inline"
	if !domain.IsImage(a.ContentType) {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": a.Name}))
	etag := `"` + a.SHA256 + `"`
	if thumb {
		etag = `"` + a.ThumbSHA256 + `"`
	}
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "", a.CreatedAt, f)
}

func (s *Server) duplicates(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ds, err := s.svc.Duplicates(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rule, err := s.svc.DuplicateRule(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"duplicates": ds, "distance_m": rule.Distance, "window_hours": rule.Window.Hours()})
}

func (s *Server) mergeDuplicate(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var b struct {
		Into    int64  `json:"into"`
		Version int    `json:"version"`
		Note    string `json:"note"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.svc.MergeDuplicate(r.Context(), u, id, b.Into, b.Version, b.Note)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, caseView{c, domain.AllowedActions(u, c)})
}

func (s *Server) getAttributes(w http.ResponseWriter, r *http.Request, _ domain.User) {
	code := r.PathValue("code")
	if _, err := s.svc.Store().Matter(r.Context(), code); err != nil {
		s.error(w, r, err)
		return
	}
	attrs, err := s.svc.Store().MatterAttributes(r.Context(), code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"attributes": attrs})
}

func (s *Server) putAttributes(w http.ResponseWriter, r *http.Request, u domain.User) {
	var b struct {
		Attributes []domain.MatterAttribute `json:"attributes"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	attrs, err := s.svc.SetMatterAttributes(r.Context(), u, r.PathValue("code"), b.Attributes)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"attributes": attrs})
}

type ruleBody struct {
	Distance float64 `json:"distance_m"`
	Hours    float64 `json:"window_hours"`
}

func (s *Server) getDuplicateRule(w http.ResponseWriter, r *http.Request, _ domain.User) {
	rule, err := s.svc.DuplicateRule(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, ruleBody{rule.Distance, rule.Window.Hours()})
}

func (s *Server) putDuplicateRule(w http.ResponseWriter, r *http.Request, u domain.User) {
	var b ruleBody
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	rule := domain.DuplicateRule{Distance: b.Distance, Window: hours(b.Hours)}
	if err := s.svc.SetDuplicateRule(r.Context(), u, rule); err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, b)
}

func (s *Server) listClients(w http.ResponseWriter, r *http.Request, _ domain.User) {
	cs, err := s.svc.Store().Clients(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"clients": cs})
}

func (s *Server) createClient(w http.ResponseWriter, r *http.Request, u domain.User) {
	var b struct {
		Name string `json:"name"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	c, key, err := s.svc.AddClient(r.Context(), u, b.Name, false)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, map[string]any{"client": c, "api_key": key})
}

func (s *Server) updateClient(w http.ResponseWriter, r *http.Request, _ domain.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.error(w, r, domain.Errorf(domain.ENOTFOUND, "no client app %q", r.PathValue("id")))
		return
	}
	var b struct {
		Disabled bool `json:"disabled"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.svc.Store().SetClientDisabled(r.Context(), id, b.Disabled); err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "disabled": b.Disabled})
}

// ClientAddr is the address the public page's rate limits count by: the connection's
// peer (a proxy in front should be trusted by configuration, not by a header anyone
// can send).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// publicBody is a report from the public page.
type publicBody struct {
	Matter      string   `json:"matter"`
	Description string   `json:"description"`
	Region      string   `json:"region"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
	Address     string   `json:"address"`
	Name        string   `json:"name"`
	Phone       string   `json:"phone"`
}

func (s *Server) publicReport(w http.ResponseWriter, r *http.Request) {
	var b publicBody
	files, cleanup, err := readIntake(w, r, &b)
	defer cleanup()
	if err != nil {
		s.error(w, r, err)
		return
	}
	if b.Phone != "" {
		if err := domain.ValidatePhone(b.Phone); err != nil {
			s.error(w, r, err)
			return
		}
	}
	m, err := s.svc.Store().Matter(r.Context(), b.Matter)
	if err != nil || !m.Public {
		s.error(w, r, domain.Errorf(domain.EINVALID, "unknown matter %q", b.Matter))
		return
	}
	in := service.Intake{Files: files, Case: domain.NewCase{Matter: m.Code, Title: publicTitle(b.Description, m.Name),
		Description: b.Description, Region: b.Region, Lat: b.Lat, Lon: b.Lon, Address: b.Address, Kind: "request",
		Reporter: domain.Reporter{Name: b.Name, Phone: b.Phone}}}
	rc, err := s.svc.PublicReport(r.Context(), ClientAddr(r), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, map[string]any{"number": rc.Number, "secret": rc.Secret, "duplicates": len(rc.Duplicates)})
}

// publicTitle is the first line of a description, else the matter's name.
func publicTitle(desc, matter string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(desc), "\n")
	if rs := []rune(strings.TrimSpace(line)); len(rs) > 60 {
		return string(rs[:60]) + "…"
	} else if len(rs) > 0 {
		return string(rs)
	}
	return matter
}

func (s *Server) publicFollow(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Number string `json:"number"`
		Secret string `json:"secret"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.svc.Follow(r.Context(), ClientAddr(r), b.Number, b.Secret)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, v)
}

// hours converts a JSON number of hours; anything outside (0, 90 days] becomes 0, which
// the rule refuses.
func hours(h float64) time.Duration {
	if !(h > 0 && h <= 90*24) {
		return 0
	}
	return time.Duration(h * float64(time.Hour))
}
