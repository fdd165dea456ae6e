package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/skip2/go-qrcode"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
	"whistle/transport"
)

func (s *Server) listEnterprises(w http.ResponseWriter, r *http.Request, u domain.User) error {
	after, limit, err := queryPage(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := domain.EnterpriseFilter{Region: q.Get("region"), Industry: q.Get("industry"), Q: q.Get("q"), After: after, Limit: limit}
	if q.Get("linked") == "me" {
		f.Liaison = u.ID
	}
	es, err := s.svc.Enterprises(r.Context(), u, f)
	next := enterprisePages.next(limit, len(es), func() int64 { return es[len(es)-1].ID })
	return reply(w, http.StatusOK, map[string]any{"enterprises": es, "next": next}, err)
}

func (s *Server) createEnterprise(w http.ResponseWriter, r *http.Request, u domain.User) error {
	return create("/api/v1/enterprises/", func(e *domain.Enterprise) int64 { return e.ID },
		func(ctx context.Context, u domain.User, b enterpriseBody) (*domain.Enterprise, error) {
			return s.saveEnterprise(ctx, u, 0, b)
		})(w, r, u)
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

func (s *Server) saveEnterprise(ctx context.Context, u domain.User, id int64, b enterpriseBody) (*domain.Enterprise, error) {
	return s.svc.PutEnterprise(ctx, u, domain.Enterprise{ID: id, USCC: b.USCC, Name: b.Name, Address: b.Address, Region: b.Region,
		Industry: b.Industry, Size: b.Size, Contact: b.Contact, Phone: b.Phone, AccountID: b.AccountID})
}

// maxImport is the largest enterprise table accepted.
const maxImport = 8 << 20

// importEnterprises takes a CSV (text/csv) or XLSX body; a bad row stores nothing and
// the answer lists every bad row.
func (s *Server) importEnterprises(w http.ResponseWriter, r *http.Request, u domain.User) error {
	body, err := readBody(w, r, maxImport, "table")
	if err != nil {
		return err
	}
	table, err := readTable(r.Header.Get("Content-Type"), body)
	if err != nil {
		return err
	}
	res, err := s.svc.ImportEnterprises(r.Context(), u, table)
	if err != nil || len(res.Errors) == 0 {
		return reply(w, http.StatusOK, res, err)
	}
	var msg []string
	for i, e := range res.Errors {
		if i == 20 {
			msg = append(msg, fmt.Sprintf("and %d more", len(res.Errors)-20))
			break
		}
		msg = append(msg, fmt.Sprintf("row %d: %s", e.Row, e.Message))
	}
	return domain.Errorf(domain.EINVALID, "%d rows are wrong; nothing was imported. %s", len(res.Errors), strings.Join(msg, "; "))
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

// codeOf reads the inspection code of the enterprise the path names.
func (s *Server) codeOf(r *http.Request, u domain.User) (*domain.Enterprise, string, error) {
	id, err := transport.PathID(r, "id", "enterprise")
	if err != nil {
		return nil, "", err
	}
	return s.svc.CodeToken(r.Context(), u, id)
}

func (s *Server) enterpriseCode(w http.ResponseWriter, r *http.Request, u domain.User) error {
	e, token, err := s.codeOf(r, u)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK, map[string]any{"enterprise_id": e.ID, "version": e.CodeVersion, "token": token, "url": codeURL(r, token)}, nil)
}

// codeImage answers the enterprise's inspection code as draw draws it from the
// enterprise and the address its QR carries, never cached.
func (s *Server) codeImage(contentType string, draw func(e *domain.Enterprise, url string) ([]byte, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, u domain.User) error {
		e, token, err := s.codeOf(r, u)
		if err != nil {
			return err
		}
		body, err := draw(e, codeURL(r, token))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
		return nil
	}
}

// qrPNG draws a QR code as a 512-pixel PNG.
func qrPNG(_ *domain.Enterprise, url string) ([]byte, error) {
	return qrcode.Encode(url, qrcode.Medium, 512)
}

// qrSVG draws a QR code as SVG: one path of unit squares, scalable for print.
func qrSVG(_ *domain.Enterprise, url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, err
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
	return []byte(b.String()), nil
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

// poster is the printable poster of an enterprise's inspection code: an A4 HTML page
// the browser prints, the QR inline SVG so it prints sharp.
func poster(e *domain.Enterprise, url string) ([]byte, error) {
	svg, err := qrSVG(e, url)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = posterPage.Execute(&b, map[string]any{"E": e, "SVG": template.HTML(svg)})
	return b.Bytes(), err
}

func (s *Server) listInspectionPlans(w http.ResponseWriter, r *http.Request, u domain.User) error {
	year, err := s.queryYear(r)
	if err != nil {
		return err
	}
	ps, err := s.svc.InspectionPlans(r.Context(), u, r.URL.Query().Get("org"), year)
	return reply(w, http.StatusOK, map[string]any{"plans": ps}, err)
}

func (s *Server) createInspectionPlan(ctx context.Context, u domain.User, p domain.InspectionPlan) (domain.InspectionPlan, error) {
	p.ID = 0
	return s.svc.PutInspectionPlan(ctx, u, p)
}

func (s *Server) listInspections(w http.ResponseWriter, r *http.Request, u domain.User) error {
	ent, err1 := queryInt(r, "enterprise")
	after, limit, err2 := queryPage(r)
	from, to, _, err3 := s.periodIf(r)
	if err := firstErr(err1, err2, err3); err != nil {
		return err
	}
	q := r.URL.Query()
	ins, err := s.svc.Inspections(r.Context(), u, domain.InspectionFilter{Region: q.Get("region"), Org: q.Get("org"), EnterpriseID: ent,
		Status: q.Get("status"), Flagged: q.Get("flagged") == "true", From: from, To: to, After: after, Limit: limit})
	return reply(w, http.StatusOK, map[string]any{"inspections": ins}, err)
}

// noteBody carries a note with a decision.
type noteBody struct {
	Note string `json:"note"`
}

// decideInspection approves or refuses an inspection.
func (s *Server) decideInspection(approve bool) func(context.Context, domain.User, int64, noteBody) (*domain.Inspection, error) {
	return func(ctx context.Context, u domain.User, id int64, b noteBody) (*domain.Inspection, error) {
		return s.svc.DecideInspection(ctx, u, id, approve, b.Note)
	}
}

// finishBody is an inspection's result and findings.
type finishBody struct {
	Result   string                      `json:"result"`
	Findings []service.InspectionFinding `json:"findings"`
}

func (s *Server) finishInspection(ctx context.Context, u domain.User, id int64, b finishBody) (*domain.Inspection, error) {
	return s.svc.FinishInspection(ctx, u, id, b.Result, b.Findings)
}

// rateBody is the enterprise's rating of an inspection.
type rateBody struct {
	Rating  int    `json:"rating"`
	Comment string `json:"comment"`
}

func (s *Server) rateInspection(ctx context.Context, u domain.User, id int64, b rateBody) (*domain.Inspection, error) {
	return s.svc.RateInspection(ctx, u, id, b.Rating, b.Comment)
}

func (s *Server) inspectionStats(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rows, total, err := s.svc.InspectionStats(r.Context(), u, q.Get("region"), q.Get("by"), from, to)
	return reply(w, http.StatusOK, map[string]any{"from": from.Format("2006-01-02"), "to": lastDay(to), "rows": rows, "total": total}, err)
}

func (s *Server) liaisonReport(w http.ResponseWriter, r *http.Request, u domain.User) error {
	from, to, err := s.period(r)
	if err != nil {
		return err
	}
	rep, err := s.svc.Liaison(r.Context(), u, r.URL.Query().Get("region"), from, to)
	return reply(w, http.StatusOK, rep, err)
}

// enterpriseRoutes registers the enterprise registry, inspection codes, inspections by
// code, liaison visits and the liaison report.
func (s *Server) enterpriseRoutes() {
	s.authed("GET /api/v1/enterprises", s.listEnterprises)
	s.authed("POST /api/v1/enterprises", s.createEnterprise)
	s.authed("POST /api/v1/enterprises/import", s.importEnterprises)
	s.authed("GET /api/v1/enterprises/{id}", byID("enterprise", s.svc.Enterprise))
	s.authed("PUT /api/v1/enterprises/{id}", writeID("enterprise", http.StatusOK, s.saveEnterprise))
	s.authed("GET /api/v1/enterprises/{id}/code", s.enterpriseCode)
	s.authed("GET /api/v1/enterprises/{id}/code.png", s.codeImage("image/png", qrPNG))
	s.authed("GET /api/v1/enterprises/{id}/code.svg", s.codeImage("image/svg+xml", qrSVG))
	s.authed("GET /api/v1/enterprises/{id}/poster", s.codeImage("text/html; charset=utf-8", poster))
	s.authed("POST /api/v1/enterprises/{id}/code/revoke", byID("enterprise", s.svc.RevokeCode))
	s.authed("GET /api/v1/enterprises/{id}/visits", byID("enterprise", keyed("visits", s.svc.Visits)))
	s.authed("POST /api/v1/enterprises/{id}/visits", writeID("enterprise", http.StatusCreated, s.svc.RecordVisit))
	s.authed("GET /api/v1/inspection-plans", s.listInspectionPlans)
	s.authed("POST /api/v1/inspection-plans", write(http.StatusCreated, s.createInspectionPlan))
	s.authed("GET /api/v1/inspections", s.listInspections)
	s.authed("POST /api/v1/inspections/scan", create("/api/v1/inspections/", func(in *domain.Inspection) int64 { return in.ID }, s.svc.ScanIn))
	s.authed("GET /api/v1/inspections/stats", s.inspectionStats)
	s.authed("GET /api/v1/inspections/{id}", byID("inspection", s.svc.Inspection))
	s.authed("POST /api/v1/inspections/{id}/approve", writeID("inspection", http.StatusOK, s.decideInspection(true)))
	s.authed("POST /api/v1/inspections/{id}/refuse", writeID("inspection", http.StatusOK, s.decideInspection(false)))
	s.authed("POST /api/v1/inspections/{id}/finish", writeID("inspection", http.StatusOK, s.finishInspection))
	s.authed("POST /api/v1/inspections/{id}/rate", writeID("inspection", http.StatusOK, s.rateInspection))
	s.authed("GET /api/v1/reports/liaison", s.liaisonReport)
	s.admin("GET /api/v1/settings/liaison", get(s.liaisonSettings))
	s.admin("PUT /api/v1/settings/liaison", write(http.StatusOK, s.putLiaisonSettings))
}

// liaisonSettings is what an installation chooses for liaison work: the matter a
// problem filed without one goes under.
type liaisonSettingsBody struct {
	ProblemMatter string `json:"problem_matter"`
}

func (s *Server) liaisonSettings(ctx context.Context, _ domain.User) (liaisonSettingsBody, error) {
	code, err := s.svc.ProblemMatter(ctx)
	return liaisonSettingsBody{code}, err
}

func (s *Server) putLiaisonSettings(ctx context.Context, u domain.User, b liaisonSettingsBody) (liaisonSettingsBody, error) {
	if err := s.svc.SetProblemMatter(ctx, u, b.ProblemMatter); err != nil {
		return liaisonSettingsBody{}, err
	}
	return s.liaisonSettings(ctx, u)
}
