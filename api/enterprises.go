package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
	"whistle/transport"
)

// enterpriseRoutes registers the enterprise registry, inspection codes, inspections by
// code, liaison visits and the liaison report.
func (s *Server) enterpriseRoutes() {
	s.authed("GET /api/v1/enterprises", s.listEnterprises)
	s.authed("POST /api/v1/enterprises", s.createEnterprise)
	s.authed("POST /api/v1/enterprises/import", s.importEnterprises)
	s.authed("GET /api/v1/enterprises/{id}", s.getEnterprise)
	s.authed("PUT /api/v1/enterprises/{id}", s.updateEnterprise)
	s.authed("GET /api/v1/enterprises/{id}/code", s.enterpriseCode)
	s.authed("GET /api/v1/enterprises/{id}/code.png", s.enterpriseCodePNG)
	s.authed("GET /api/v1/enterprises/{id}/code.svg", s.enterpriseCodeSVG)
	s.authed("GET /api/v1/enterprises/{id}/poster", s.enterprisePoster)
	s.authed("POST /api/v1/enterprises/{id}/code/revoke", s.revokeCode)
	s.authed("GET /api/v1/enterprises/{id}/visits", s.listVisits)
	s.authed("POST /api/v1/enterprises/{id}/visits", s.recordVisit)
	s.authed("GET /api/v1/inspection-plans", s.listInspectionPlans)
	s.authed("POST /api/v1/inspection-plans", s.createInspectionPlan)
	s.authed("GET /api/v1/inspections", s.listInspections)
	s.authed("POST /api/v1/inspections/scan", s.scanIn)
	s.authed("GET /api/v1/inspections/stats", s.inspectionStats)
	s.authed("GET /api/v1/inspections/{id}", s.getInspection)
	s.authed("POST /api/v1/inspections/{id}/approve", s.approveInspection)
	s.authed("POST /api/v1/inspections/{id}/refuse", s.refuseInspection)
	s.authed("POST /api/v1/inspections/{id}/finish", s.finishInspection)
	s.authed("POST /api/v1/inspections/{id}/rate", s.rateInspection)
	s.authed("GET /api/v1/reports/liaison", s.liaisonReport)
}

func (s *Server) listEnterprises(w http.ResponseWriter, r *http.Request, u domain.User) {
	after, err1 := queryInt(r, "after")
	limit, err2 := queryInt(r, "limit")
	if err := errors.Join(err1, err2); err != nil {
		s.error(w, r, domain.Errorf(domain.EINVALID, "after and limit must be whole numbers"))
		return
	}
	q := r.URL.Query()
	f := domain.EnterpriseFilter{Region: q.Get("region"), Industry: q.Get("industry"), Q: q.Get("q"), After: after, Limit: int(limit)}
	if q.Get("linked") == "me" {
		f.Liaison = u.ID
	}
	es, err := s.svc.Enterprises(r.Context(), u, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	next := int64(0)
	if want := max(int(limit), 0); len(es) > 0 && (want == 0 && len(es) == 200 || want > 0 && len(es) == want) {
		next = es[len(es)-1].ID
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"enterprises": es, "next": next})
}

func (s *Server) createEnterprise(w http.ResponseWriter, r *http.Request, u domain.User) {
	s.saveEnterprise(w, r, u, 0, http.StatusCreated)
}

func (s *Server) updateEnterprise(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "enterprise")
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveEnterprise(w, r, u, id, http.StatusOK)
}

// enterpriseBody is what a client sends to register or change an enterprise.
type enterpriseBody struct {
	USCC      string `json:"uscc"`
	Name      string `json:"name"`
	Address   string `json:"address"`
	Region    string `json:"region"`
	Industry  string `json:"industry"`
	Size      string `json:"size"`
	Contact   string `json:"contact"`
	Phone     string `json:"phone"`
	AccountID int64  `json:"account_id"`
}

func (s *Server) saveEnterprise(w http.ResponseWriter, r *http.Request, u domain.User, id int64, status int) {
	var b enterpriseBody
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.svc.PutEnterprise(r.Context(), u, domain.Enterprise{ID: id, USCC: b.USCC, Name: b.Name, Address: b.Address, Region: b.Region,
		Industry: b.Industry, Size: b.Size, Contact: b.Contact, Phone: b.Phone, AccountID: b.AccountID})
	if err != nil {
		s.error(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/enterprises/"+strconv.FormatInt(e.ID, 10))
	}
	transport.WriteJSON(w, status, e)
}

func (s *Server) getEnterprise(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "enterprise")
	if err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.svc.Enterprise(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, e)
}

// maxImport is the largest enterprise table accepted.
const maxImport = 8 << 20

// importEnterprises takes a CSV (text/csv) or XLSX body; a bad row stores nothing and
// the answer lists every bad row.
func (s *Server) importEnterprises(w http.ResponseWriter, r *http.Request, u domain.User) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImport))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.error(w, r, domain.Errorf(domain.EINVALID, "table larger than 8 MiB"))
		return
	} else if err != nil {
		s.error(w, r, domain.Errorf(domain.EINVALID, "could not read the body: %v", err))
		return
	}
	table, err := readTable(r.Header.Get("Content-Type"), body)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.svc.ImportEnterprises(r.Context(), u, table)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(res.Errors) > 0 {
		var msg []string
		for i, e := range res.Errors {
			if i == 20 {
				msg = append(msg, fmt.Sprintf("and %d more", len(res.Errors)-20))
				break
			}
			msg = append(msg, fmt.Sprintf("row %d: %s", e.Row, e.Message))
		}
		s.error(w, r, domain.Errorf(domain.EINVALID, "%d rows are wrong; nothing was imported. %s", len(res.Errors), strings.Join(msg, "; ")))
		return
	}
	transport.WriteJSON(w, http.StatusOK, res)
}

// readTable reads a CSV or the first sheet of an XLSX workbook as rows of cells.
func readTable(contentType string, body []byte) ([][]string, error) {
	if strings.Contains(contentType, "spreadsheetml") || bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		rows, err := sheets.ReadFirst(bytes.NewReader(body), false)
		if errors.Is(err, sheets.ErrUnreadable) {
			return nil, domain.Errorf(domain.EINVALID, "not a readable XLSX workbook")
		} else if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "%v", err)
		}
		for _, row := range rows {
			for _, c := range row {
				if !transport.CleanText(c) {
					return nil, domain.Errorf(domain.EINVALID, "cells must be UTF-8 text without NUL characters")
				}
			}
		}
		return rows, nil
	}
	if !transport.CleanText(string(body)) {
		return nil, domain.Errorf(domain.EINVALID, "CSV must be UTF-8 without NUL characters")
	}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "bad CSV: %v", err)
	}
	return rows, nil
}

// codeURL is what an inspection code's QR carries: the scan-in page with the token,
// so a phone's camera app opens it directly.
func codeURL(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/inspect/scan?code=" + token
}

func (s *Server) codeOf(w http.ResponseWriter, r *http.Request, u domain.User) (*domain.Enterprise, string, bool) {
	id, err := idOf(r, "enterprise")
	if err != nil {
		s.error(w, r, err)
		return nil, "", false
	}
	e, token, err := s.svc.CodeToken(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return nil, "", false
	}
	return e, token, true
}

func (s *Server) enterpriseCode(w http.ResponseWriter, r *http.Request, u domain.User) {
	e, token, ok := s.codeOf(w, r, u)
	if !ok {
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"enterprise_id": e.ID, "version": e.CodeVersion, "token": token, "url": codeURL(r, token)})
}

func (s *Server) enterpriseCodePNG(w http.ResponseWriter, r *http.Request, u domain.User) {
	_, token, ok := s.codeOf(w, r, u)
	if !ok {
		return
	}
	png, err := qrcode.Encode(codeURL(r, token), qrcode.Medium, 512)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}

// qrSVG draws a QR code as SVG: one path of unit squares, scalable for print.
func qrSVG(content string) (string, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap() // includes the quiet zone
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, len(bits), len(bits))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, len(bits), len(bits))
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

func (s *Server) enterpriseCodeSVG(w http.ResponseWriter, r *http.Request, u domain.User) {
	_, token, ok := s.codeOf(w, r, u)
	if !ok {
		return
	}
	svg, err := qrSVG(codeURL(r, token))
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, svg)
}

var posterPage = template.Must(template.New("poster").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>涉企行政检查码 · {{.E.Name}}</title>
<style>
@page { size: A4 portrait; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; text-align: center; color: #111; }
.poster { border: 6px solid #c8161d; padding: 12mm 10mm; max-width: 170mm; margin: 0 auto; }
h1 { color: #c8161d; font-size: 30pt; margin: 0 0 4mm; letter-spacing: .2em; }
h2 { font-size: 18pt; margin: 0 0 8mm; }
.qr svg { width: 110mm; height: 110mm; }
.meta { font-size: 12pt; margin-top: 6mm; line-height: 1.8; }
.rules { text-align: left; font-size: 11pt; margin: 8mm auto 0; max-width: 150mm; line-height: 1.7; }
.ver { color: #666; font-size: 9pt; margin-top: 6mm; }
@media print { .noprint { display: none; } }
</style></head><body>
<p class="noprint"><button onclick="window.print()">打印 / Print</button></p>
<div class="poster">
<h1>涉企行政检查码</h1>
<h2>{{.E.Name}}</h2>
<div class="qr">{{.SVG}}</div>
<div class="meta">统一社会信用代码：{{.E.USCC}}<br>地址：{{.E.Address}}</div>
<div class="rules">
<p>一、执法人员入企检查前，须扫描本码登记检查时间、地点、法律依据、检查事项及执法人员（不少于两名，出示执法证件）。</p>
<p>二、未扫码、计划外或频次超限的检查，企业有权拒绝并通过本码反映。</p>
<p>三、检查结束后，企业可对本次检查进行评价。无事不扰，有求必应。</p>
</div>
<div class="ver">码版本 {{.E.CodeVersion}} · 如码遗失或被冒用，请联系街道重新赋码，旧码即时失效</div>
</div></body></html>`))

// enterprisePoster serves the printable poster of an enterprise's inspection code (an
// A4 HTML page; the browser prints it). The QR is inline SVG so it prints sharp.
func (s *Server) enterprisePoster(w http.ResponseWriter, r *http.Request, u domain.User) {
	e, token, ok := s.codeOf(w, r, u)
	if !ok {
		return
	}
	svg, err := qrSVG(codeURL(r, token))
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	posterPage.Execute(w, map[string]any{"E": e, "SVG": template.HTML(svg)})
}

func (s *Server) revokeCode(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "enterprise")
	if err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.svc.RevokeCode(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, e)
}

func (s *Server) listVisits(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "enterprise")
	if err != nil {
		s.error(w, r, err)
		return
	}
	vs, err := s.svc.Visits(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"visits": vs})
}

func (s *Server) recordVisit(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "enterprise")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in service.VisitInput
	if err := transport.Decode(w, r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.svc.RecordVisit(r.Context(), u, id, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, v)
}

func (s *Server) listInspectionPlans(w http.ResponseWriter, r *http.Request, u domain.User) {
	year, err := queryInt(r, "year")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if year == 0 {
		year = int64(s.svc.Store().Now().In(domain.China).Year())
	}
	ps, err := s.svc.InspectionPlans(r.Context(), u, r.URL.Query().Get("org"), int(year))
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"plans": ps})
}

func (s *Server) createInspectionPlan(w http.ResponseWriter, r *http.Request, u domain.User) {
	var p domain.InspectionPlan
	if err := transport.Decode(w, r, &p); err != nil {
		s.error(w, r, err)
		return
	}
	p.ID = 0
	p, err := s.svc.PutInspectionPlan(r.Context(), u, p)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusCreated, p)
}

func (s *Server) listInspections(w http.ResponseWriter, r *http.Request, u domain.User) {
	ent, err1 := queryInt(r, "enterprise")
	after, err2 := queryInt(r, "after")
	limit, err3 := queryInt(r, "limit")
	if err := errors.Join(err1, err2, err3); err != nil {
		s.error(w, r, domain.Errorf(domain.EINVALID, "enterprise, after and limit must be whole numbers"))
		return
	}
	q := r.URL.Query()
	f := domain.InspectionFilter{Region: q.Get("region"), Org: q.Get("org"), EnterpriseID: ent, Status: q.Get("status"),
		Flagged: q.Get("flagged") == "true", After: after, Limit: int(limit)}
	if q.Has("from") || q.Has("to") {
		from, to, err := s.period(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f.From, f.To = from, to
	}
	list, err := s.svc.Inspections(r.Context(), u, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"inspections": list})
}

func (s *Server) scanIn(w http.ResponseWriter, r *http.Request, u domain.User) {
	var in domain.ScanIn
	if err := transport.Decode(w, r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	got, err := s.svc.ScanIn(r.Context(), u, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/inspections/"+strconv.FormatInt(got.ID, 10))
	transport.WriteJSON(w, http.StatusCreated, got)
}

func (s *Server) getInspection(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "inspection")
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, err := s.svc.Inspection(r.Context(), u, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, in)
}

func (s *Server) approveInspection(w http.ResponseWriter, r *http.Request, u domain.User) {
	s.decideInspection(w, r, u, true)
}

func (s *Server) refuseInspection(w http.ResponseWriter, r *http.Request, u domain.User) {
	s.decideInspection(w, r, u, false)
}

func (s *Server) decideInspection(w http.ResponseWriter, r *http.Request, u domain.User, approve bool) {
	id, err := idOf(r, "inspection")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var b struct {
		Note string `json:"note"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := s.svc.DecideInspection(r.Context(), u, id, approve, b.Note)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, in)
}

func (s *Server) finishInspection(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "inspection")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var b struct {
		Result   string                      `json:"result"`
		Findings []service.InspectionFinding `json:"findings"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := s.svc.FinishInspection(r.Context(), u, id, b.Result, b.Findings)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, in)
}

func (s *Server) rateInspection(w http.ResponseWriter, r *http.Request, u domain.User) {
	id, err := idOf(r, "inspection")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var b struct {
		Rating  int    `json:"rating"`
		Comment string `json:"comment"`
	}
	if err := transport.Decode(w, r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := s.svc.RateInspection(r.Context(), u, id, b.Rating, b.Comment)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, in)
}

func (s *Server) inspectionStats(w http.ResponseWriter, r *http.Request, u domain.User) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	rows, total, err := s.svc.InspectionStats(r.Context(), u, q.Get("region"), q.Get("by"), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"from": from.Format("2006-01-02"), "to": to.AddDate(0, 0, -1).Format("2006-01-02"), "rows": rows, "total": total})
}

func (s *Server) liaisonReport(w http.ResponseWriter, r *http.Request, u domain.User) {
	from, to, err := s.period(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rep, err := s.svc.Liaison(r.Context(), u, r.URL.Query().Get("region"), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, rep)
}
