package api_test

import (
	"fmt"
	"net/http"

	"whistle/domain"
	"whistle/sheets"
)

// seesTraining: the roles that see a class in scope (its school's officers, the
// region's administrators and leaders).
const seesTraining = "admin leader officer"

// rosterOf is a roster of n trainees from two schools.
func rosterOf(e *mxEnv, n int) []byte {
	rows := [][]string{domain.TraineeColumns}
	for i := 0; i < n; i++ {
		rows = append(rows, []string{fmt.Sprintf("矩阵学员%d", i+1), []string{"株洲市委党校", "萍乡市委党校"}[i%2], fmt.Sprintf("单位%d", i%5), "正科",
			[]string{"男", "女"}[i/2%2], fmt.Sprint(30 + i), "党政"})
	}
	b, err := sheets.Write("名册", rows)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// trainingClass makes the matrix's class: LY-CGJ's, held in 蓝田街道, with a roster of
// 20, mixed, with a lecture; {training} is its id, {trainee} its first trainee and
// {session} the lecture.
func (e *mxEnv) trainingClass() {
	c := e.must(e.admin, "POST", "/api/v1/training/classes", map[string]any{"name": "矩阵混编班", "org": "LY-CGJ", "region": "431382001"}, http.StatusCreated)
	e.things["training"] = id(c, "id")
	status, body := e.do(mxCall{method: "POST", path: "/api/v1/training/classes/" + e.things["training"] + "/trainees", token: e.admin,
		contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: rosterOf(e, 20)})
	if status != http.StatusOK {
		e.t.Fatalf("setting up: roster: %d %s", status, body)
	}
	v := e.must(e.admin, "POST", "/api/v1/training/classes/"+e.things["training"]+"/mix", map[string]any{"seed": 1}, http.StatusOK)
	e.things["trainee"] = id(v["trainees"].([]any)[0].(map[string]any), "id")
	ses := e.must(e.admin, "POST", "/api/v1/training/classes/"+e.things["training"]+"/sessions",
		map[string]any{"kind": "lecture", "title": "湘赣边区域合作专题", "starts_at": "2026-11-17 08:30"}, http.StatusCreated)
	e.things["session"] = id(ses, "id")
}

// previewRoster previews a roster for the matrix's class.
func previewRoster(e *mxEnv, _ *mxWho) mxCall {
	return mxCall{path: "/api/v1/training/classes/" + e.things["training"] + "/trainees?preview=true",
		contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: rosterOf(e, 4)}
}
