// Package open311 speaks Open311 GeoReport v2 at /open311/v2/, in JSON and XML, so the
// civic-reporting apps that already speak it can list Whistle's public matters as
// services, file cases and follow them. It is a transport: it decodes, calls the
// service and encodes; public answers never carry the reporter's personal data.
package open311

import (
	"bytes"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// Prefix is where the API lives.
const Prefix = "/open311/v2/"

// Specification names the standard in the discovery document.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// maxForm bounds a urlencoded POST; a multipart one may carry one photo ("media").
const maxForm = 1 << 20

// Handler serves the GeoReport v2 endpoints.
type Handler struct {
	svc *service.Service
	log *slog.Logger
	// Contact is the discovery document's contact line.
	Contact string
}

// New builds the Open311 handler over svc.
func New(svc *service.Service, log *slog.Logger) *Handler {
	return &Handler{svc: svc, log: log, Contact: "吹哨平台 Whistle, 12345"}
}

// ServeHTTP routes by the path below Prefix; each resource ends in .json or .xml.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			h.log.Error("open311 panic", "path", r.URL.Path, "panic", v)
			h.fail(w, "xml", http.StatusInternalServerError, "internal error")
		}
	}()
	// the API is public and keyed by api_key, not by cookies: any site's script may call it
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rest, _ := strings.CutPrefix(r.URL.Path, Prefix)
	format := "xml"
	if i := strings.LastIndexByte(rest, '.'); i >= 0 && !strings.Contains(rest[i:], "/") {
		format, rest = rest[i+1:], rest[:i]
	} else {
		h.fail(w, format, http.StatusNotFound, "resources end in .json or .xml, e.g. services.json")
		return
	}
	if format != "json" && format != "xml" {
		h.fail(w, "xml", http.StatusNotFound, "format must be json or xml")
		return
	}
	if !utf8.ValidString(rest) || strings.ContainsRune(rest, 0) || !utf8.ValidString(r.URL.RawQuery) {
		h.fail(w, format, http.StatusBadRequest, "the address must be UTF-8")
		return
	}
	parts := strings.Split(rest, "/")
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	route := parts[0]
	if len(parts) == 2 {
		route += "/{}"
	} else if len(parts) > 2 {
		route = "?"
	}
	switch {
	case route == "discovery" && method == http.MethodGet:
		h.discovery(w, r, format)
	case route == "services" && method == http.MethodGet:
		h.services(w, r, format)
	case route == "services/{}" && method == http.MethodGet:
		h.definition(w, r, format, parts[1])
	case route == "requests" && method == http.MethodPost:
		h.post(w, r, format)
	case route == "requests" && method == http.MethodGet:
		h.requests(w, r, format)
	case route == "requests/{}" && method == http.MethodGet:
		h.request(w, r, format, parts[1])
	case route == "tokens/{}" && method == http.MethodGet:
		h.token(w, r, format, parts[1])
	case route == "discovery" || route == "services" || route == "services/{}" || route == "requests" ||
		route == "requests/{}" || route == "tokens/{}":
		w.Header().Set("Allow", map[bool]string{true: "GET, POST", false: "GET"}[route == "requests"])
		h.fail(w, format, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed here")
	default:
		h.fail(w, format, http.StatusNotFound, "no such resource: "+r.URL.Path)
	}
}

// status is the status the specification gives err: 403 for a bad api_key (where the
// other doors answer 401), otherwise the status every door gives its code.
func status(err error) (int, bool) {
	if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
		return http.StatusForbidden, true
	}
	return transport.Status(err)
}

// error answers err in the specification's error format; internal errors are logged
// and their text stays private.
func (h *Handler) error(w http.ResponseWriter, r *http.Request, format string, err error) {
	code, ok := status(err)
	if !ok {
		h.log.Error("open311 internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	h.fail(w, format, code, domain.ErrorMessage(err))
}

func (h *Handler) fail(w http.ResponseWriter, format string, status int, msg string) {
	doc := []errorDoc{{Code: status, Description: msg}}
	write(w, format, status, doc, errorsDoc{Errors: doc})
}

// query reads the query string, refusing one that does not parse.
func query(r *http.Request) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "the query string does not parse")
	}
	return v, nil
}

// jurisdiction checks an optional jurisdiction_id: a region code this server knows.
func (h *Handler) jurisdiction(r *http.Request, v url.Values) (string, error) {
	j := strings.TrimSpace(v.Get("jurisdiction_id"))
	if j == "" {
		return "", nil
	}
	if _, err := domain.LevelOf(j); err != nil {
		return "", domain.Errorf(domain.EINVALID, "jurisdiction_id %q is not a region code", j)
	}
	if _, err := h.svc.Region(r.Context(), j); err != nil {
		return "", domain.Errorf(domain.EINVALID, "jurisdiction_id %s is not served here", j)
	}
	return j, nil
}

func (h *Handler) discovery(w http.ResponseWriter, r *http.Request, format string) {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	doc := discovery{Changeset: "2026-12-01T00:00:00+08:00", Contact: h.Contact, KeyService: "ask an administrator: whistle open311 key add",
		Endpoints: []endpoint{{Specification: Specification, URL: scheme + "://" + r.Host + strings.TrimSuffix(Prefix, "/"),
			Changeset: "2026-12-01T00:00:00+08:00", Type: "production", Formats: []string{"text/xml", "application/json"}}}}
	write(w, format, http.StatusOK, doc, doc)
}

func (h *Handler) services(w http.ResponseWriter, r *http.Request, format string) {
	v, err := query(r)
	if err == nil {
		_, err = h.jurisdiction(r, v)
	}
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	ms, err := h.svc.PublicServices(r.Context())
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	out := make([]serviceDoc, 0, len(ms))
	for _, m := range ms {
		out = append(out, serviceDoc{Code: m.Code, Name: m.Name, Description: m.Description, Metadata: m.HasAttributes,
			Type: "realtime", Keywords: strings.Join(strings.FieldsFunc(m.Keywords, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == ';' }), ","),
			Group: m.Class})
	}
	write(w, format, http.StatusOK, out, servicesDoc{Services: out})
}

func (h *Handler) definition(w http.ResponseWriter, r *http.Request, format, code string) {
	v, err := query(r)
	if err == nil {
		_, err = h.jurisdiction(r, v)
	}
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	m, attrs, err := h.svc.PublicService(r.Context(), code)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	doc := definitionDoc{Code: m.Code, Attributes: []attributeDoc{}}
	for _, a := range attrs {
		ad := attributeDoc{Variable: a.Variable, Code: a.Code, Datatype: a.Datatype, Required: a.Required,
			DatatypeDescription: a.DatatypeDescription, Order: a.Order, Description: a.Description}
		for _, x := range a.Values {
			ad.Values = append(ad.Values, valueDoc{x.Key, x.Name})
		}
		doc.Attributes = append(doc.Attributes, ad)
	}
	write(w, format, http.StatusOK, doc, doc)
}

// readForm reads a POST body: the specification's urlencoded form, or multipart with an
// optional photo in "media" (a common extension of the standard).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, []service.Upload, error) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded", "":
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxForm))
		if err != nil {
			return nil, nil, transport.BodyError(err, "form", maxForm)
		}
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, domain.Errorf(domain.EINVALID, "the form does not parse as application/x-www-form-urlencoded")
		}
		return v, nil, nil
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, nil, domain.Errorf(domain.EINVALID, "multipart form without a boundary")
		}
		r.Body = http.MaxBytesReader(w, r.Body, domain.MaxAttachment+maxForm)
		if err := r.ParseMultipartForm(maxForm); err != nil { // a photo past 1 MiB waits on disk
			return nil, nil, transport.BodyError(err, "multipart form", domain.MaxAttachment+maxForm)
		}
		v := url.Values(r.MultipartForm.Value)
		var files []service.Upload
		for name, fhs := range r.MultipartForm.File {
			if name != "media" || len(fhs) != 1 {
				return nil, nil, domain.Errorf(domain.EINVALID, "the only file part is one photo named media")
			}
			// read now: a part larger than maxForm is a temporary file, closed on return
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, domain.Errorf(domain.EINVALID, "could not read the media part")
			}
			data, err := io.ReadAll(io.LimitReader(f, domain.MaxAttachment+1))
			f.Close()
			if err != nil {
				return nil, nil, domain.Errorf(domain.EINVALID, "could not read the media part")
			}
			files = append(files, service.Upload{Name: fhs[0].Filename, Body: bytes.NewReader(data)})
		}
		return v, files, nil
	}
	return nil, nil, domain.Errorf(domain.EINVALID, "send the request as application/x-www-form-urlencoded")
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request, format string) {
	form, files, err := readForm(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	// the key first: a caller without one learns nothing about the rest
	key, err := one(form, "api_key", 200)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	client, err := h.svc.Client(r.Context(), key)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	p, err := DecodePost(form)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	within, err := h.jurisdiction(r, url.Values{"jurisdiction_id": {p.Jurisdiction}})
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	m, _, err := h.svc.PublicService(r.Context(), p.ServiceCode)
	if err != nil {
		h.error(w, r, format, domain.Errorf(domain.EINVALID, "service_code %s is not a service here", p.ServiceCode))
		return
	}
	token, err := service.NewOpen311Token()
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	in := service.Intake{Within: within, Files: files,
		Case: domain.NewCase{Matter: m.Code, Title: title(p.Description, m.Name), Description: p.Description,
			Lat: p.Lat, Lon: p.Long, Address: strings.TrimSpace(p.Address + " " + p.AddressID), Channel: "open311", Kind: "request",
			Reporter: domain.Reporter{Name: strings.TrimSpace(p.LastName + p.FirstName), Phone: p.Phone}},
		Details: domain.IntakeDetails{ClientID: client.ID, Email: p.Email, DeviceID: p.DeviceID, AccountID: p.AccountID,
			MediaURL: p.MediaURL, Token: token, Attributes: p.Attributes}}
	if p.FirstName != "" && p.LastName != "" && isLatin(p.FirstName+p.LastName) {
		in.Case.Reporter.Name = p.FirstName + " " + p.LastName
	}
	rc, err := h.svc.FileIntake(r.Context(), service.ClientUser(client), in)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	var account any
	if p.AccountID != "" {
		account = p.AccountID
	}
	doc := []createdDoc{{ID: rc.Case.ID, Token: rc.Token, Notice: notice(rc), AccountID: account, AccountXML: p.AccountID}}
	write(w, format, http.StatusOK, doc, requestsDoc[createdDoc]{Requests: doc})
}

// title makes a case title from the first line of a description, else the service name.
func title(desc, service string) string {
	if t := domain.TitleFrom(desc); t != "" {
		return t
	}
	return service
}

func isLatin(s string) bool {
	for _, r := range s {
		if r > 0x24F {
			return false
		}
	}
	return true
}

// notice tells the reporter what happens next.
func notice(rc *service.Receipt) string {
	s := "已受理登记，工单号 " + rc.Number + "。"
	if len(rc.Duplicates) > 0 {
		s += "附近已有同类问题正在办理，我们会一并处理。"
	}
	return s
}

func (h *Handler) requests(w http.ResponseWriter, r *http.Request, format string) {
	v, err := query(r)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	f, err := DecodeQuery(v, h.svc.Now())
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	if f.Region, err = h.jurisdiction(r, v); err != nil {
		h.error(w, r, format, err)
		return
	}
	h.list(w, r, format, f, false)
}

func (h *Handler) request(w http.ResponseWriter, r *http.Request, format, id string) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		h.fail(w, format, http.StatusNotFound, "service_request_id "+strconv.Quote(id)+" not found")
		return
	}
	v, err := query(r)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	region, err := h.jurisdiction(r, v)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	h.list(w, r, format, storeFilter(n, region), true)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request, format string, f filter, one bool) {
	reqs, err := h.svc.PublicRequests(r.Context(), f)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	if one && len(reqs) == 0 {
		h.fail(w, format, http.StatusNotFound, "service_request_id "+strconv.FormatInt(f.IDs[0], 10)+" not found")
		return
	}
	out := make([]requestDoc, 0, len(reqs))
	for _, p := range reqs {
		c := p.Case
		d := requestDoc{ID: c.ID, Status: "open", StatusNotes: p.StatusNotes, ServiceName: p.ServiceName, ServiceCode: c.Matter,
			Description: c.Description, Agency: p.Agency, Requested: isoTime(&c.CreatedAt), Updated: isoTime(&c.UpdatedAt),
			Expected: isoTime(c.ResolveDue), Address: c.Address, Lat: c.Lat, Long: c.Lon, MediaURL: p.MediaURL}
		if d.Description == "" {
			d.Description = c.Title
		}
		if !p.Open {
			d.Status = "closed"
		}
		out = append(out, d)
	}
	write(w, format, http.StatusOK, out, requestsDoc[requestDoc]{Requests: out})
}

func (h *Handler) token(w http.ResponseWriter, r *http.Request, format, token string) {
	if token == "" || len(token) > 64 {
		h.fail(w, format, http.StatusNotFound, "token not found")
		return
	}
	id, err := h.svc.CaseByToken(r.Context(), token)
	if err != nil {
		h.error(w, r, format, err)
		return
	}
	doc := []tokenDoc{{ID: id, Token: token}}
	write(w, format, http.StatusOK, doc, requestsDoc[tokenDoc]{Requests: doc})
}
