package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/service"
	"whistle/sheets"
)

// postFile sends a multipart form with the table as its file and mode, with the last
// CSRF token seen.
func (c *client) postFile(path, mode string, table []byte) (int, string, string) {
	c.s.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("_csrf", c.csrf)
	mw.WriteField("mode", mode)
	fw, _ := mw.CreateFormFile("table", "projects.xlsx")
	fw.Write(table)
	mw.Close()
	resp, err := c.http.Post(c.s.srv.URL+path, mw.FormDataContentType(), &b)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// The project list offers the import to a leader, not to an agent; a table with a bad
// row is reported row by row and enters nothing, the corrected one is imported.
func TestProjectImportPage(t *testing.T) {
	s := newSite(t, 0)
	agent := s.client()
	agent.login("lk.agent1")
	if status, body := agent.get("/projects"); status != http.StatusOK || strings.Contains(body, `id="project-import"`) {
		t.Fatalf("the agent's list: %d, offers the import %v", status, strings.Contains(body, `id="project-import"`))
	}
	leader := s.client()
	leader.login("lk.leader")
	if status, body := leader.get("/projects"); status != http.StatusOK || !strings.Contains(body, `id="project-import"`) {
		t.Fatalf("the leader's list: %d without the import", status)
	}
	head := service.ProjectImportTemplate()[0]
	row := func(name, total string) []string {
		r := make([]string, len(head))
		for i, h := range head {
			r[i] = map[string]string{"项目名称": name, "统一社会信用代码": demo.InvestorUSCC(30), "行业": "制造业", "类型": "产业",
				"总投资（万元）": total, "区划代码": "430212100"}[h]
		}
		return r
	}
	book := func(rows ...[]string) []byte {
		b, err := sheets.Write("项目", append([][]string{head}, rows...))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	status, _, body := leader.postFile("/projects/import", "import", book(row("网页导入项目", "800"), row("", "八百")))
	if status != http.StatusBadRequest || !strings.Contains(body, `id="project-import-errors"`) || !strings.Contains(body, "总投资（万元）") ||
		!strings.Contains(body, "必填") {
		t.Fatalf("a bad table: %d", status)
	}
	if _, list := leader.get("/projects?region=430212"); strings.Contains(list, "网页导入项目") {
		t.Fatal("a bad table entered a project")
	}
	if status, _, body := leader.postFile("/projects/import", "preview", book(row("网页导入项目", "800"))); status != http.StatusOK ||
		!strings.Contains(body, `id="project-import-ok"`) {
		t.Fatalf("preview: %d", status)
	}
	status, loc, _ := leader.postFile("/projects/import", "import", book(row("网页导入项目", "800")))
	if status != http.StatusSeeOther || loc != "/projects/import?imported=1" {
		t.Fatalf("import: %d %s", status, loc)
	}
	if _, body := leader.get(loc); !strings.Contains(body, `id="project-import-done"`) {
		t.Error("the page after the import says nothing of it")
	}
	if _, list := leader.get("/projects?region=430212"); !strings.Contains(list, "网页导入项目") {
		t.Error("the imported project is not listed")
	}
}
