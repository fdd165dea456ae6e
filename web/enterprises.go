package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/skip2/go-qrcode"

	"whistle/domain"
	"whistle/pdf"
	"whistle/transport"
)

// The enterprise registry's page: the enterprises a user may see, and for the registry's
// keepers and the enterprise itself the inspection code (企业赋码) as a QR image and an
// A4 PDF poster to print and put up at the entrance.

var enterpriseRoles = []domain.Role{domain.RoleAdmin, domain.RoleDispatcher, domain.RoleLeader, domain.RoleInspector, domain.RoleLiaison, domain.RoleEnterprise}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.enterprises", Path: "/enterprises", Roles: enterpriseRoles, Order: 58})
		a.Page("GET /enterprises", enterpriseRoles, a.enterprisesPage)
		a.Page("GET /enterprises/{id}/code.png", enterpriseRoles, a.enterpriseCodePNG)
		a.Page("GET /enterprises/{id}/poster.pdf", enterpriseRoles, a.enterprisePosterPDF)
	})
}

type enterprisesData struct {
	List    []*domain.Enterprise
	More    bool // there are more than the list shows
	Regions map[string]string
	Q       string
	XLSX    string         // the list as an Excel workbook, with its search
	Prints  map[int64]bool // the enterprises whose code this user may print (domain.PrintsCode)
}

// enterpriseRows is how many enterprises the list shows (and exports) at most.
const enterpriseRows = 500

func (a *App) enterprisesPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	v := r.URL.Query()
	d := enterprisesData{Q: v.Get("q"), XLSX: withQuery("/enterprises", url.Values{"q": {v.Get("q")}}, "format", "xlsx")}
	list, err := a.svc.Enterprises(r.Context(), q.User, domain.EnterpriseFilter{Q: d.Q, Limit: enterpriseRows + 1})
	if err != nil {
		return err
	}
	d.List, d.More, d.Prints = list[:min(len(list), enterpriseRows)], len(list) > enterpriseRows, map[int64]bool{}
	var codes []string
	for _, e := range d.List {
		codes = append(codes, e.Region)
		d.Prints[e.ID] = domain.PrintsCode(q.User, e) // the rule CodeToken holds the links to
	}
	if d.Regions, err = a.svc.RegionNames(r.Context(), codes); err != nil {
		return err
	}
	if v.Get("format") == "xlsx" {
		return transport.WriteTable(w, "enterprises", q.L.T("enterprises.title"), "xlsx", enterpriseTable(q.L, d))
	}
	return a.Render(w, q, http.StatusOK, "enterprises", d)
}

// enterpriseTable is the enterprises' list as spreadsheet rows, headings first.
func enterpriseTable(L *Locale, d enterprisesData) [][]string {
	rows := [][]string{{L.T("enterprises.name"), L.T("enterprises.uscc"), L.T("enterprises.region"), L.T("enterprises.industry"), L.T("enterprises.contact")}}
	for _, e := range d.List {
		region := d.Regions[e.Region]
		if region == "" {
			region = e.Region
		}
		rows = append(rows, []string{e.Name, e.USCC, region, L.Label("enterprises.industry", e.Industry), strings.TrimSpace(e.Contact + " " + e.Phone)})
	}
	return rows
}

// scanURL is the address an inspection code carries: the scan-in page with the token.
func scanURL(r *http.Request, token string) string {
	return siteURL(r) + "/inspect/scan?code=" + url.QueryEscape(token)
}

func (a *App) enterpriseQR(r *http.Request, q *Req, size int) (*domain.Enterprise, []byte, error) {
	id, err := transport.PathID(r, "id", "enterprise")
	if err != nil {
		return nil, nil, err
	}
	e, token, err := a.svc.CodeToken(r.Context(), q.User, id)
	if err != nil {
		return nil, nil, err
	}
	png, err := qrcode.Encode(scanURL(r, token), qrcode.Medium, size)
	return e, png, err
}

func (a *App) enterpriseCodePNG(w http.ResponseWriter, r *http.Request, q *Req) error {
	_, png, err := a.enterpriseQR(r, q, 512)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(png)
	return err
}

// enterprisePosterPDF makes the A4 poster of an enterprise's inspection code: title,
// name, the QR code, the code and address, and the rules of 扫码入企.
func (a *App) enterprisePosterPDF(w http.ResponseWriter, r *http.Request, q *Req) error {
	e, png, err := a.enterpriseQR(r, q, 1024)
	if err != nil {
		return err
	}
	poster := pdf.Poster{Title: q.L.T("enterprises.poster_title") + " " + e.Name, Heading: q.L.T("enterprises.poster_title"),
		Name: e.Name, QR: png, Code: q.L.T("enterprises.poster_uscc", e.USCC), Footer: q.L.T("enterprises.poster_version", e.CodeVersion)}
	if e.Address != "" {
		poster.Address = q.L.T("enterprises.poster_address", e.Address)
	}
	for _, k := range []string{"enterprises.poster_rule1", "enterprises.poster_rule2", "enterprises.poster_rule3"} {
		poster.Rules = append(poster.Rules, q.L.T(k))
	}
	doc, err := poster.Render()
	if errors.Is(err, pdf.ErrNoFont) {
		a.log.Error("poster pdf", "err", err)
		return domain.Errorf(domain.ENOTFOUND, "the PDF poster is not available on this server: no Chinese font installed")
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="inspection-code-`+e.USCC+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}
