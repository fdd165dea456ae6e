package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

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
	if err := r.ParseMultipartForm(transport.MaxBody); err != nil { // files past 1 MiB wait on disk
		return nil, func() {}, transport.BodyError(err, "upload", maxFiles)
	}
	var opened []io.Closer // a part larger than MaxBody is a temporary file: closed with the form
	cleanup := func() {
		for _, f := range opened {
			f.Close()
		}
		r.MultipartForm.RemoveAll()
	}
	form := r.MultipartForm
	for name := range form.Value {
		if name != "intake" {
			return nil, cleanup, domain.Errorf(domain.EINVALID, "unknown form field %q; send the filing as JSON in the field intake", name)
		}
	}
	if len(form.Value["intake"]) != 1 {
		return nil, cleanup, domain.Errorf(domain.EINVALID, "send the filing as JSON in one field named intake")
	}
	if err := transport.DecodeBytes([]byte(form.Value["intake"][0]), v); err != nil {
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
			opened = append(opened, f)
			files = append(files, service.Upload{Name: fh.Filename, Body: f})
		}
	}
	return files, cleanup, nil
}

func (s *Server) fileIntake(w http.ResponseWriter, r *http.Request, u domain.User) error {
	var b intakeBody
	files, cleanup, err := readIntake(w, r, &b)
	defer cleanup()
	if err != nil {
		return err
	}
	in := service.Intake{Case: b.Case, Files: files, Receipt: b.Receipt || b.Case.Channel == "window" || b.Case.Channel == domain.CannotDo,
		Details: domain.IntakeDetails{CallerPhone: b.CallerPhone, Recording: b.Recording, Window: b.Window, Enterprise: b.Enterprise, Attributes: b.Attributes}}
	rc, err := s.svc.FileIntake(r.Context(), u, in)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/cases/", rc.Case.ID, rc)
}

func (s *Server) searchMatters(w http.ResponseWriter, r *http.Request, _ domain.User) error {
	q := r.URL.Query().Get("q")
	if len(q) > 200 {
		return domain.Errorf(domain.EINVALID, "q is at most 200 bytes")
	}
	ms, err := s.svc.SearchMatters(r.Context(), q, 30)
	return reply(w, http.StatusOK, map[string]any{"matters": ms}, err)
}

// addAttachment takes one file as multipart/form-data (part "file", optional field
// "event" with the event's sequence number).
func (s *Server) addAttachment(w http.ResponseWriter, r *http.Request, u domain.User) error {
	id, err := transport.PathID(r, "id", "case")
	if err != nil {
		return err
	}
	f, name, done, err := oneFile(w, r)
	if err != nil {
		return err
	}
	defer done()
	seq := 0
	if ev := r.MultipartForm.Value["event"]; len(ev) > 0 {
		if seq, err = strconv.Atoi(ev[0]); err != nil || seq < 0 || len(ev) > 1 {
			return domain.Errorf(domain.EINVALID, "event must be one event sequence number")
		}
	}
	a, err := s.svc.Attach(r.Context(), u, id, seq, name, f)
	return reply(w, http.StatusCreated, a, err)
}

// getAttachment sends a file (or with thumb=1 its thumbnail) to a user who may see its
// case, under its sniffed type, never to be re-sniffed or run by the browser.
func (s *Server) getAttachment(w http.ResponseWriter, r *http.Request, u domain.User) error {
	return serveOpened(w, r, u, "attachment", s.svc.OpenAttachment)
}

// ServeAttachment writes a stored file with safe headers.
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

// duplicates lists a case's likely duplicates with the rule that found them.
func (s *Server) duplicates(ctx context.Context, u domain.User, id int64) (map[string]any, error) {
	ds, err := s.svc.Duplicates(ctx, u, id)
	if err != nil {
		return nil, err
	}
	rule, err := s.svc.DuplicateRule(ctx)
	return map[string]any{"duplicates": ds, "distance_m": rule.Distance, "window_hours": rule.Window.Hours()}, err
}

// mergeBody merges a case into the one it duplicates.
type mergeBody struct {
	Into    int64  `json:"into"`
	Version int    `json:"version"`
	Note    string `json:"note"`
}

func (s *Server) mergeDuplicate(ctx context.Context, u domain.User, id int64, b mergeBody) (caseView, error) {
	c, err := s.svc.MergeDuplicate(ctx, u, id, b.Into, b.Version, b.Note)
	return view(u, c, err)
}

// attributesBody is the extra fields a matter asks for.
type attributesBody struct {
	Attributes []domain.MatterAttribute `json:"attributes"`
}

func (s *Server) putAttributes(ctx context.Context, u domain.User, code string, b attributesBody) (attributesBody, error) {
	attrs, err := s.svc.SetMatterAttributes(ctx, u, code, b.Attributes)
	return attributesBody{attrs}, err
}

// ruleBody is the rule that marks likely duplicates.
type ruleBody struct {
	Distance float64 `json:"distance_m"`
	Hours    float64 `json:"window_hours"`
}

func (s *Server) duplicateRule(ctx context.Context, _ domain.User) (ruleBody, error) {
	rule, err := s.svc.DuplicateRule(ctx)
	return ruleBody{rule.Distance, rule.Window.Hours()}, err
}

func (s *Server) putDuplicateRule(ctx context.Context, u domain.User, b ruleBody) (ruleBody, error) {
	return b, s.svc.SetDuplicateRule(ctx, u, domain.DuplicateRule{Distance: b.Distance, Window: hours(b.Hours)})
}

// hours converts a JSON number of hours; anything outside (0, 90 days] becomes 0, which
// the rule refuses.
func hours(h float64) time.Duration {
	if !(h > 0 && h <= 90*24) {
		return 0
	}
	return time.Duration(h * float64(time.Hour))
}

func (s *Server) createClient(w http.ResponseWriter, r *http.Request, u domain.User) error {
	var b struct {
		Name string `json:"name"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		return err
	}
	c, key, err := s.svc.AddClient(r.Context(), u, b.Name, false)
	return reply(w, http.StatusCreated, map[string]any{"client": c, "api_key": key}, err)
}

// clientBody turns an Open311 client app's key off or on again.
type clientBody struct {
	Disabled bool `json:"disabled"`
}

func (s *Server) updateClient(ctx context.Context, u domain.User, id int64, b clientBody) (map[string]any, error) {
	return map[string]any{"id": id, "disabled": b.Disabled}, s.svc.SetClientDisabled(ctx, u, id, b.Disabled)
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

// followBody is a receipt's number and secret, which open its case to the public.
type followBody struct {
	Number string `json:"number"`
	Secret string `json:"secret"`
}

func (s *Server) publicReport(w http.ResponseWriter, r *http.Request) error {
	var b publicBody
	files, cleanup, err := readIntake(w, r, &b)
	defer cleanup()
	if err != nil {
		return err
	}
	in := service.Intake{Files: files, Case: domain.NewCase{Matter: b.Matter, Description: b.Description, Region: b.Region,
		Lat: b.Lat, Lon: b.Lon, Address: b.Address, Kind: "request", Reporter: domain.Reporter{Name: b.Name, Phone: b.Phone}}}
	rc, err := s.svc.FilePublic(r.Context(), transport.ClientAddr(r), in)
	if err != nil {
		return err
	}
	return reply(w, http.StatusCreated, map[string]any{"number": rc.Number, "secret": rc.Secret, "duplicates": len(rc.Duplicates)}, nil)
}

func (s *Server) publicFollow(w http.ResponseWriter, r *http.Request) error {
	var b followBody
	if err := transport.Decode(w, r, &b); err != nil {
		return err
	}
	v, err := s.svc.Follow(r.Context(), transport.ClientAddr(r), b.Number, b.Secret)
	return reply(w, http.StatusOK, v, err)
}

// intakeRoutes registers the doors' routes: filing through a door with files, the
// call-taker's matter search, attachments, duplicates, client apps and the public page.
func (s *Server) intakeRoutes() {
	s.authed("POST /api/v1/intake", s.fileIntake)
	s.authed("GET /api/v1/intake/matters", s.searchMatters)
	s.authed("GET /api/v1/cases/{id}/intake", byID("case", s.svc.Intake))
	s.authed("GET /api/v1/cases/{id}/attachments", byID("case", keyed("attachments", s.svc.Attachments)))
	s.authed("POST /api/v1/cases/{id}/attachments", s.addAttachment)
	s.authed("GET /api/v1/attachments/{id}", s.getAttachment)
	s.authed("GET /api/v1/cases/{id}/duplicates", byID("case", s.duplicates))
	s.authed("POST /api/v1/cases/{id}/duplicates/merge", writeID("case", http.StatusOK, s.mergeDuplicate))
	s.authed("GET /api/v1/matters/{code}/attributes", readAt(pathCode, keyed("attributes", anyone(s.svc.MatterAttributes))))
	s.admin("PUT /api/v1/matters/{code}/attributes", writeAt(pathCode, http.StatusOK, s.putAttributes))
	s.admin("GET /api/v1/settings/duplicates", get(s.duplicateRule))
	s.admin("PUT /api/v1/settings/duplicates", write(http.StatusOK, s.putDuplicateRule))
	s.admin("GET /api/v1/open311/clients", list("clients", s.svc.Clients))
	s.admin("POST /api/v1/open311/clients", s.createClient)
	s.admin("PUT /api/v1/open311/clients/{id}", writeID("client app", http.StatusOK, s.updateClient))
	s.handle("POST /api/v1/public/reports", s.publicReport)
	s.handle("POST /api/v1/public/follow", s.publicFollow)
}
