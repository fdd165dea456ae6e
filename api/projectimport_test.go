package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/sheets"
)

// The projects' import through the API: the template downloads as XLSX and, filled in,
// imports; a table with a bad row answers 400 with every mistake and enters nothing.
func TestImportProjectsThroughTheAPI(t *testing.T) {
	h := hServer(t, 0)
	token := h.hLogin("lk.leader")
	status, raw, hdr := h.hRaw("GET", "/api/v1/projects/import/template", token, nil)
	if status != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("template: %d %s", status, hdr.Get("Content-Type"))
	}
	tmpl, err := sheets.ReadFirst(bytes.NewReader(raw), false)
	if err != nil || len(tmpl) != 2 {
		t.Fatalf("template: %v %v", tmpl, err)
	}
	row := func(name, investor, total string) []string {
		r := make([]string, len(tmpl[0]))
		for i, h := range tmpl[0] {
			r[i] = map[string]string{"项目名称": name, "统一社会信用代码": investor, "行业": "制造业", "类型": "产业", "总投资（万元）": total,
				"区划代码": "430212100", "服务等级": "普通", "园区": "渌口经济开发区"}[h]
		}
		return r
	}
	bad, err := sheets.Write("项目", [][]string{tmpl[0], tmpl[1], row("接口导入甲", demo.InvestorUSCC(20), "500"), row("接口导入乙", demo.InvestorUSCC(21), "五百")})
	if err != nil {
		t.Fatal(err)
	}
	status, raw, _ = h.hRaw("POST", "/api/v1/projects/import", token, bad)
	var got struct {
		Report struct {
			Written bool `json:"written"`
			Errors  []struct {
				Row     int    `json:"row"`
				Column  string `json:"column"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"report"`
	}
	if err := json.Unmarshal(raw, &got); status != http.StatusBadRequest || err != nil || len(got.Report.Errors) != 1 ||
		got.Report.Errors[0].Row != 4 || got.Report.Errors[0].Column != "总投资（万元）" || got.Report.Written {
		t.Fatalf("a bad table: %d %s", status, raw)
	}
	good, err := sheets.Write("项目", [][]string{tmpl[0], row("接口导入甲", demo.InvestorUSCC(20), "500"), row("接口导入乙", demo.InvestorUSCC(21), "500.5")})
	if err != nil {
		t.Fatal(err)
	}
	status, raw, _ = h.hRaw("POST", "/api/v1/projects/import", token, good)
	if status != http.StatusOK || !bytes.Contains(raw, []byte(`"written":true`)) {
		t.Fatalf("import: %d %s", status, raw)
	}
	_, list := h.hAs("lk.leader", "GET", "/api/v1/projects?region=430212&park=渌口经济开发区", nil)
	names := ""
	for _, p := range list["projects"].([]any) {
		names += p.(map[string]any)["name"].(string) + " "
	}
	if !strings.Contains(names, "接口导入甲") || !strings.Contains(names, "接口导入乙") {
		t.Errorf("the list after the import: %s", names)
	}
	if status, raw, _ := h.hRaw("POST", "/api/v1/projects/import", h.hLogin("lk.agent1"), good); status != http.StatusForbidden {
		t.Errorf("the agent imports: %d %s", status, raw)
	}
}
