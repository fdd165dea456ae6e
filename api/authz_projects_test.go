package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"

	"whistle/domain"
)

// The matrix's investment project: a gold project of 联兴村 whose investor is the
// matrix's enterprise (its account the in-scope enterprise user), its 首席服务官 the
// in-scope leader and its 金牌代办员 the in-scope liaison cadre, with an item filed at
// 城管局 (the in-scope officer's department).
func (e *mxEnv) projects() {
	th := e.things
	e.must(e.admin, "PUT", "/api/v1/projects/catalogue/MX-P1", mxApprovalItem("MX-P1"), http.StatusOK)
	p := e.must(e.admin, "POST", "/api/v1/projects", e.projectBody(), http.StatusCreated)
	th["project"] = id(p, "id")
	e.must(e.token(in(domain.RoleLiaison)), "POST", "/api/v1/projects/"+th["project"]+"/items", map[string]any{"code": "MX-P1"}, http.StatusCreated)
}

func mxApprovalItem(string) map[string]any {
	return map[string]any{"name": "矩阵测试审批", "stage": "signed", "org": "LY-CGJ", "statutory_days": 5, "promised_days": 3}
}

func (e *mxEnv) projectBody() map[string]any {
	return map[string]any{"name": "联兴矩阵农业项目", "investor": e.things["uscc"], "industry": "agriculture", "kind": "industry",
		"total": "1000.50", "year_plan": "300", "land": "12.5", "region": mxVillage, "tier": "gold",
		"leader_id": e.who[in(domain.RoleLeader)].id, "agent_id": e.who[in(domain.RoleLiaison)].id}
}

// putProject changes the project at the version it is at.
func putProject(e *mxEnv, _ *mxWho) mxCall {
	p := e.must(e.admin, "GET", "/api/v1/projects/"+e.things["project"], nil, http.StatusOK)["project"].(map[string]any)
	b := e.projectBody()
	b["version"] = p["version"]
	return mxCall{path: "/api/v1/projects/" + e.things["project"], body: jsonBody(b)}
}

// applyNewItem files an item of a catalogue entry made for the call.
func applyNewItem(e *mxEnv, _ *mxWho) mxCall {
	code := e.once("projectCode", func() any {
		code := fmt.Sprintf("MX-Q%d", e.num())
		e.must(e.admin, "PUT", "/api/v1/projects/catalogue/"+code, mxApprovalItem(code), http.StatusOK)
		return code
	}).(string)
	return mxCall{path: "/api/v1/projects/" + e.things["project"] + "/items", body: jsonBody(map[string]any{"code": code})}
}

// acceptNewItem accepts an item just filed by the agent.
func acceptNewItem(e *mxEnv, _ *mxWho) mxCall {
	item := e.once("projectItem", func() any {
		code := fmt.Sprintf("MX-R%d", e.num())
		e.must(e.admin, "PUT", "/api/v1/projects/catalogue/"+code, mxApprovalItem(code), http.StatusOK)
		return id(e.must(e.token(in(domain.RoleLiaison)), "POST", "/api/v1/projects/"+e.things["project"]+"/items",
			map[string]any{"code": code}, http.StatusCreated), "id")
	}).(string)
	return mxCall{path: "/api/v1/projects/items/" + item + "/actions", body: jsonBody(map[string]any{"action": "accept"})}
}

// projectFileForm is a photo as a stage's document, in a multipart form.
func projectFileForm() (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("stage", "signed")
	part, _ := mw.CreateFormFile("file", "合同.png")
	part.Write(mxPNG())
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// addProjectFile keeps a stage's document of the matrix's project.
func addProjectFile(e *mxEnv, _ *mxWho) mxCall {
	ct, body := projectFileForm()
	return mxCall{path: "/api/v1/projects/" + e.things["project"] + "/files", contentType: ct, body: body}
}

// projectFile reads a document the administrator kept once.
func projectFile(e *mxEnv, _ *mxWho) mxCall {
	file := e.once("projectFile", func() any {
		ct, body := projectFileForm()
		status, raw := e.do(mxCall{method: "POST", path: "/api/v1/projects/" + e.things["project"] + "/files", contentType: ct, body: body, token: e.admin})
		var f struct{ ID int64 }
		if err := json.Unmarshal(raw, &f); status != http.StatusCreated || err != nil {
			e.t.Fatalf("setting up: a project file: %d %s", status, raw)
		}
		return strconv.FormatInt(f.ID, 10)
	}).(string)
	return mxCall{path: "/api/v1/projects/files/" + file}
}

// putKnowledgeEntry changes an entry the administrator added for the call, at its version.
func putKnowledgeEntry(e *mxEnv, _ *mxWho) mxCall {
	k := e.must(e.admin, "POST", "/api/v1/knowledge", map[string]any{"title": "矩阵条目", "body": "答复"}, http.StatusCreated)
	return mxCall{path: "/api/v1/knowledge/" + id(k, "id"), body: jsonBody(map[string]any{"title": "矩阵条目", "body": "新的答复", "version": k["version"]})}
}

// replyTemplateOf is a new result template of the in-scope officer's org, made by the
// administrator.
func replyTemplateOf(e *mxEnv) map[string]any {
	return e.must(e.admin, "POST", "/api/v1/reply-templates", map[string]any{"org": "LY-CGJ", "use": "result", "title": "矩阵常用语", "body": "已办结"}, http.StatusCreated)
}

func putReplyTemplateRow(e *mxEnv, _ *mxWho) mxCall {
	t := replyTemplateOf(e)
	return mxCall{path: "/api/v1/reply-templates/" + id(t, "id"), body: jsonBody(map[string]any{"org": "LY-CGJ", "use": "result", "title": "矩阵常用语", "body": "已办结。", "version": t["version"]})}
}

func deleteReplyTemplateRow(e *mxEnv, _ *mxWho) mxCall {
	t := replyTemplateOf(e)
	return mxCall{path: "/api/v1/reply-templates/" + id(t, "id") + "?version=1"}
}
