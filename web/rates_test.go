package web

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"whistle/api"
	"whistle/domain"
)

// TestOneRateEverywhere reads the same rates from the API (a fraction), the ledger page
// (percent with one decimal) and the XLSX ledger (the fraction under 0.0%) for hazards
// made from nothing in a month of their own: three fire hazards, two rectified (2/3:
// 0.667, 66.7% — rounded half-up, not cut to 66.6), one gas hazard not rectified
// (0, 0.0%), four in all with two rectified (0.5, 50.0%); a category with nothing found,
// and every row of an empty period, has no rate at all (null, —, —), never 0%.
func TestOneRateEverywhere(t *testing.T) {
	s := newSite(t, 0)
	ctx := t.Context()
	s.clock.Set(s.clock.Now().AddDate(0, 1, 0)) // past the demo's hazards
	day := s.clock.Now().In(domain.China).Format("2006-01-02")
	grid, disp, officer := s.user("demo.grid"), s.user("demo.dispatcher"), s.user("officer.LY-XFJY")
	act := s.act
	for i, category := range []string{"fire", "fire", "fire", "gas"} {
		h, err := s.svc.ReportHazard(ctx, grid, domain.HazardFinding{Matter: "AQ-001", Category: category, Title: "消防通道堵塞", Region: "431382001001001", Level: "general"})
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 { // rectified: resolved and verified on site
			act(disp, h.CaseID, domain.Command{Action: domain.ActAccept})
			act(disp, h.CaseID, domain.Command{Action: domain.ActDispatch, Org: "LY-XFJY"})
			act(officer, h.CaseID, domain.Command{Action: domain.ActAcknowledge})
			act(officer, h.CaseID, domain.Command{Action: domain.ActResolve, Result: "已整改"})
			act(grid, h.CaseID, domain.Command{Action: domain.ActVerify, Note: "现场核查"})
		}
	}
	rest := httptest.NewServer(api.New(s.svc, slog.New(slog.DiscardHandler)))
	t.Cleanup(rest.Close)
	token := apiToken(t, rest.URL, "demo.leader")
	c := s.client()
	c.login("demo.leader")
	// the ledger lists every category: those with nothing found have no rate
	none := map[string][2]string{"合计": {"null", "—"}}
	for _, name := range domain.HazardCategoryNames {
		none[name] = [2]string{"null", "—"}
	}
	want := maps.Clone(none)
	want["消防安全"], want["燃气安全"], want["合计"] = [2]string{"0.667", "66.7%"}, [2]string{"0", "0.0%"}, [2]string{"0.5", "50.0%"}
	empty := s.clock.Now().AddDate(0, 0, 7).In(domain.China).Format("2006-01-02")
	for _, period := range []struct {
		query string
		want  map[string][2]string
	}{
		{"region=431382001&from=" + day + "&to=" + day, want},
		{"region=431382001&from=" + empty + "&to=" + empty, none},
	} {
		fromAPI := ledgerRatesFromAPI(t, rest.URL, token, period.query)
		_, page := c.get("/ledgers/hazards?by=category&" + period.query)
		fromPage := ledgerRatesFromPage(t, page)
		fromXLSX := ledgerRatesFromXLSX(t, rest.URL, token, period.query)
		if len(fromAPI) != len(period.want) || len(fromPage) != len(period.want) {
			t.Errorf("%s: API %v, page %v; want %v", period.query, fromAPI, fromPage, period.want)
		}
		for name, w := range period.want {
			got := [4]string{fromAPI[name], fromPage[name], fromXLSX[name][0], fromXLSX[name][1]}
			xlsxRaw := w[0]
			if w[0] == "null" {
				xlsxRaw = "—" // no number to hold: the cell says so as the page does
			}
			if got != [4]string{w[0], w[1], xlsxRaw, w[1]} {
				t.Errorf("%s %s: API %s, page %s, XLSX holds %s shown %s; want %s and %s everywhere", period.query, name, got[0], got[1], got[2], got[3], w[0], w[1])
			}
		}
	}
}

// ledgerRatesFromAPI reads each row's rate by category, as the JSON writes it.
func ledgerRatesFromAPI(t *testing.T, base, token, query string) map[string]string {
	t.Helper()
	body := apiGet(t, base, token, "/api/v1/ledgers/hazards?by=category&"+query)
	var l struct {
		Rows []struct {
			Name string
			Rate json.RawMessage
		}
		Total struct {
			Name string
			Rate json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	out := map[string]string{l.Total.Name: string(l.Total.Rate)}
	for _, r := range l.Rows {
		out[r.Name] = string(r.Rate)
	}
	return out
}

// ledgerRatesFromPage reads each row's rate cell, the last of its row, by its name.
func ledgerRatesFromPage(t *testing.T, page string) map[string]string {
	t.Helper()
	table := byID(parseHTML(t, page), "ledger-table")
	if table == nil {
		t.Fatal("no ledger table")
	}
	out := map[string]string{}
	for _, tr := range all(table, is(atom.Tr)) {
		cells := all(tr, func(n *html.Node) bool { return n.DataAtom == atom.Td || n.DataAtom == atom.Th })
		if len(all(tr, is(atom.Td))) == 0 {
			continue // the head
		}
		name := text(cells[0])
		if name == "合计" || name == "Total" {
			name = "合计"
		}
		out[name] = text(cells[len(cells)-1])
	}
	return out
}

// ledgerRatesFromXLSX reads the rate column of the summary sheet's category block by
// name: what the cell holds, and what it shows under its number format.
func ledgerRatesFromXLSX(t *testing.T, base, token, query string) map[string][2]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(apiGet(t, base, token, "/api/v1/ledgers/hazards.xlsx?"+query)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "隐患整治汇总表"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]string{}
	col := "" // the rate's column, found by its heading
	for i, row := range rows {
		if j := slices.Index(row, "整改率"); j >= 0 {
			col, _ = excelize.ColumnNumberToName(j + 1)
			continue
		}
		if len(row) < 2 || col == "" {
			continue
		}
		cell := col + strconv.Itoa(i+1)
		raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(sheet, cell)
		out[row[1]] = [2]string{raw, shown} // the category block comes last, its total too
		if _, err := strconv.ParseFloat(raw, 64); err == nil {
			style, _ := f.GetCellStyle(sheet, cell)
			if st, err := f.GetStyle(style); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
				t.Errorf("%s %s holds a rate without the 0.0%% format", cell, row[1])
			}
		}
	}
	return out
}

func apiGet(t *testing.T, base, token, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	return body
}
