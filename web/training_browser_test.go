package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTrainingInBrowser: the school (城管局's officer stands for it) opens a class,
// previews and imports a roster of 60 from two schools, mixes it into groups of 10 and
// rooms of 2 (every hard rule met, each criterion scored and explained), moves one
// trainee by hand and sees the class scored again (two groups of 9 and 11, the source
// rule still held), and prints the room list.
func TestTrainingInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	roster, err := trainingRoster(60)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := os.WriteFile(file, roster, 0o644); err != nil {
		t.Fatal(err)
	}
	b.login("demo.officer")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.open("/training")
	b.do(chromedp.SendKeys(chromedp.CSS(`#training-open input[name="name"]`), "株萍两地中青班混编培训"), chromedp.Click(chromedp.ID("training-open-do")))
	b.waitFor("the class page", `!!document.getElementById('training-import')`)
	b.do(chromedp.SetUploadFiles(chromedp.ID("training-file"), []string{file}), chromedp.Click(chromedp.ID("training-preview")))
	b.waitFor("the preview", `!!document.getElementById('training-import-ok')`)
	if got := b.text("#training-summary"); !strings.Contains(got, "学员 0 人") {
		t.Errorf("the preview wrote the roster: %q", got)
	}
	b.do(chromedp.SetUploadFiles(chromedp.ID("training-file"), []string{file}), chromedp.Click(chromedp.ID("training-import-do")))
	b.waitFor("the import", `document.getElementById('training-summary').innerText.includes('学员 60 人')`)
	b.do(chromedp.SetValue(chromedp.ID("training-seed"), "2026"), chromedp.Click(chromedp.ID("training-mix-do")))
	b.waitFor("the mixing", `!!document.getElementById('training-checks')`)
	if got := b.text("#training-verdict"); !strings.Contains(got, "硬性规则全部满足") {
		t.Errorf("after the mixing: %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll('#training-groups article.group').length`); n != 6 {
		t.Errorf("%d groups, want 6", n)
	}
	b.shot("mixed")
	before := b.text("#check-genders .score") + b.text("#check-units") + b.text("#check-ranks")
	// move the first trainee of group 1 to group 2
	first := eval[string](b, `document.querySelector('#group-1 li').dataset.id`)
	b.do(chromedp.SetValue(chromedp.ID("training-move-trainee"), first), chromedp.SetValue(chromedp.ID("training-move-group"), "2"),
		chromedp.Click(chromedp.ID("training-move-do")))
	b.waitFor("the move", `document.querySelectorAll('#group-1 li').length === 9 && document.querySelectorAll('#group-2 li').length === 11`)
	if !eval[bool](b, `!!document.querySelector('#group-2 li[data-id="`+first+`"]')`) {
		t.Error("the trainee is not in group 2")
	}
	if got := b.text(".flash"); !strings.Contains(got, "重新评分") {
		t.Errorf("the move's message: %q", got)
	}
	after := b.text("#check-genders .score") + b.text("#check-units") + b.text("#check-ranks")
	if before == after {
		t.Logf("the move left the scores as they were: %q", after)
	}
	if got := b.text("#check-sources"); !strings.Contains(got, "✓") {
		t.Errorf("sources after the move: %q", got)
	}
	b.shot("moved")
	b.do(chromedp.Click(chromedp.ID("print-rooms")))
	b.waitFor("the room list", `!!document.getElementById('print-rooms')`)
	rooms := eval[int](b, `document.querySelectorAll('#print-rooms tbody tr').length`)
	if rooms != 30 {
		t.Errorf("%d rooms for 60 trainees in rooms of 2", rooms)
	}
	if !eval[bool](b, `!!document.querySelector('[data-print]')`) {
		t.Error("no print button")
	}
	b.do(chromedp.EmulateViewport(900, 1200))
	b.shot("rooms")

	// the programme: a study visit by group 2, its attendance and its sign-in sheet
	b.do(chromedp.NavigateBack())
	b.waitFor("the class page", `!!document.getElementById('training-session-form')`)
	b.do(chromedp.SetValue(chromedp.CSS(`#training-session-form select[name="kind"]`), "visit"),
		chromedp.SendKeys(chromedp.CSS(`#training-session-form input[name="title"]`), "醴陵陶瓷产业调研"),
		chromedp.SetValue(chromedp.CSS(`#training-session-form input[name="starts_at"]`), "2026-11-18T14:00"),
		chromedp.SetValue(chromedp.CSS(`#training-session-form select[name="group"]`), "2"),
		chromedp.Submit(chromedp.CSS(`#training-session-form`)))
	b.waitFor("the visit", `!!document.querySelector('#training-sessions a')`)
	b.do(chromedp.Click(chromedp.CSS(`#training-sessions a`)))
	b.waitFor("the session page", `!!document.getElementById('attendance-form')`)
	if n := eval[int](b, `document.querySelectorAll('#attendance tbody tr').length`); n != 11 {
		t.Errorf("the visit of group 2 expects %d trainees, want 11", n)
	}
	eval[bool](b, `document.querySelectorAll('#attendance select').forEach((s, i) => s.value = i === 0 ? 'leave' : 'present') || true`)
	b.do(chromedp.Click(chromedp.ID("attendance-save")))
	b.waitFor("the marks", `document.getElementById('session-attendance').innerText.includes('90.9')`)
	b.shot("visit")
	b.do(chromedp.Click(chromedp.ID("session-print")))
	b.waitFor("the sign-in sheet", `document.querySelectorAll('#print-signin tbody tr').length === 11`)
	b.noConsoleErrors()
}
