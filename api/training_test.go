package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/sheets"
)

// A class through the API as the demo's school would use it: the template, a roster
// with a wrong row refused with its row and column (nothing written), a preview, the
// import, the mixing (every hard rule held), a hand move scored again, a room swap
// of a man and a woman refused, and a session with its attendance.
func TestTrainingThroughTheAPI(t *testing.T) {
	h := hServer(t, 0)
	school := h.hLogin("officer.LY-DWDX")
	status, raw, hdr := h.hRaw("GET", "/api/v1/training/roster-template", school, nil)
	if tmpl, err := sheets.ReadFirst(bytes.NewReader(raw), false); status != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") ||
		err != nil || len(tmpl) != 2 || strings.Join(tmpl[0], " ") != strings.Join(domain.TraineeColumns, " ") {
		t.Fatalf("template: %d %v", status, err)
	}
	status, c := h.hDo("POST", "/api/v1/training/classes", school, map[string]any{"name": "接口混编班", "org": "LY-DWDX"})
	if status != http.StatusCreated {
		t.Fatalf("open: %d %v", status, c)
	}
	base := fmt.Sprintf("/api/v1/training/classes/%d", int64(c["id"].(float64)))
	rows := [][]string{domain.TraineeColumns}
	for i := 0; i < 30; i++ {
		rows = append(rows, []string{fmt.Sprintf("接口学员%02d", i), []string{"株洲市委党校", "萍乡市委党校"}[i%2], fmt.Sprintf("单位%d", i%6), "正科",
			[]string{"男", "女"}[i/2%2], fmt.Sprint(30 + i), "党政"})
	}
	bad, _ := sheets.Write("名册", append(rows, []string{"错行", "株洲市委党校", "某局", "正科", "男", "150", ""}))
	status, raw, _ = h.hRaw("POST", base+"/trainees", school, bad)
	var refused struct {
		Report struct {
			Written bool
			Errors  []domain.RowError
		}
	}
	if err := json.Unmarshal(raw, &refused); status != http.StatusBadRequest || err != nil || refused.Report.Written ||
		len(refused.Report.Errors) != 1 || refused.Report.Errors[0].Row != 32 || refused.Report.Errors[0].Column != "年龄" {
		t.Fatalf("a wrong row: %d %s", status, raw)
	}
	good, _ := sheets.Write("名册", rows)
	if status, got := h.hDo("POST", base+"/trainees?preview=true", school, good); status != http.StatusOK || got["written"] != false {
		t.Fatalf("preview: %d %v", status, got)
	}
	if status, got := h.hDo("GET", base, school, nil); status != http.StatusOK || len(got["trainees"].([]any)) != 0 {
		t.Fatalf("the preview wrote: %v", got["trainees"])
	}
	if status, got := h.hDo("POST", base+"/trainees", school, good); status != http.StatusOK || got["written"] != true {
		t.Fatalf("import: %d %v", status, got)
	}
	status, v := h.hDo("POST", base+"/mix", school, map[string]any{"group_size": 10, "room_size": 2, "seed": 5})
	if status != http.StatusOK || v["report"].(map[string]any)["hard_ok"] != true {
		t.Fatalf("mix: %d %v", status, v["report"])
	}
	ts := v["trainees"].([]any)
	first := ts[0].(map[string]any)
	to := int(first["group"].(float64))%3 + 1
	status, moved := h.hDo("POST", base+"/moves", school, map[string]any{"trainee": first["id"], "group": to})
	if status != http.StatusOK || fmt.Sprint(moved["report"]) == fmt.Sprint(v["report"]) {
		t.Fatalf("move: %d, scores unchanged: %v", status, moved["report"])
	}
	var man, woman any
	for _, x := range ts {
		if x := x.(map[string]any); x["gender"] == "男" {
			man = x["id"]
		} else {
			woman = x["id"]
		}
	}
	if status, got := h.hDo("POST", base+"/moves", school, map[string]any{"trainee": man, "swap_room_with": woman}); status != http.StatusBadRequest {
		t.Errorf("a man and a woman swapped rooms: %d %v", status, got)
	}
	status, ses := h.hDo("POST", base+"/sessions", school, map[string]any{"kind": "visit", "title": "安源调研", "starts_at": "2026-11-18 08:30", "group": 1})
	if status != http.StatusCreated {
		t.Fatalf("a visit: %d %v", status, ses)
	}
	sesPath := fmt.Sprintf("%s/sessions/%d", base, int64(ses["id"].(float64)))
	status, d := h.hDo("GET", sesPath, school, nil)
	if status != http.StatusOK {
		t.Fatalf("the visit: %d %v", status, d)
	}
	one := d["expected"].([]any)[0].(map[string]any)["id"]
	if status, got := h.hDo("PUT", sesPath+"/attendance", school, map[string]any{"marks": map[string]string{fmt.Sprint(one): "late"}}); status != http.StatusOK ||
		got["session"].(map[string]any)["attendance"].(map[string]any)["rate"] == nil {
		t.Fatalf("attendance: %d %v", status, got)
	}
}
