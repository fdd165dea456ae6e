package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"whistle/pdf"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
)

// trainingRoster is a roster of n trainees from the two schools of the seed.
func trainingRoster(n int) ([]byte, error) {
	rows := [][]string{domain.TraineeColumns}
	ranks := []string{"正处", "副处", "正科", "副科"}
	for i := 0; i < n; i++ {
		src := []string{"株洲市委党校", "萍乡市委党校"}[i%2]
		rows = append(rows, []string{fmt.Sprintf("%s学员%02d", src[:6], i+1), src, fmt.Sprintf("%s第%d局", src[:6], i%7), ranks[i%4],
			[]string{"男", "男", "女"}[i/2%3], fmt.Sprint(30 + i%20), []string{"党政", "经济", "政法"}[i%3]})
	}
	return sheets.Write("名册", rows)
}

// trainingThing makes a class of 城管局 (demo.officer) held in 蓝田街道, with a roster of
// 40, mixed, with a study visit of group 1, and gives the ids of the class and the visit.
func trainingThing(s *site) (string, string) {
	ctx, t := context.Background(), s.t
	officer := s.users["demo.officer"]
	c, err := s.svc.CreateTrainingClass(ctx, officer, domain.TrainingClass{Name: "页面矩阵混编班", Org: "LY-CGJ", Region: "431382001"})
	if err != nil {
		t.Fatal(err)
	}
	roster, err := trainingRoster(40)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ImportTrainees(ctx, officer, c.ID, roster, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.MixTrainingClass(ctx, officer, c.ID, service.MixIn{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	visit, err := s.svc.AddTrainingSession(ctx, officer, c.ID, domain.TrainingSession{Kind: domain.SessionVisit, Title: "醴陵陶瓷产业调研",
		StartsAt: "2026-11-18 14:00", Place: "醴陵经开区", Group: 1})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(c.ID), fmt.Sprint(visit.ID)
}

// TestTrainingSheets: the demo class's four sheets print as pages and as PDFs (where a
// Chinese font is installed), and an unknown sheet is 404.
func TestTrainingSheets(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("officer.LY-DWDX")
	status, body := c.get("/training")
	m := regexp.MustCompile(`href="/training/(\d+)"`).FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("the school's classes: %d", status)
	}
	base := "/training/" + m[1] + "/print/"
	for _, sheet := range []string{"roster", "groups", "rooms", "signin"} {
		if status, body := c.get(base + sheet); status != http.StatusOK || !strings.Contains(body, `data-sheet="`+sheet+`"`) {
			t.Errorf("%s: %d", sheet, status)
		}
		resp, err := c.http.Get(s.srv.URL + base + sheet + ".pdf")
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if _, ferr := pdf.Font(); ferr == nil && (resp.StatusCode != http.StatusOK || !bytes.HasPrefix(doc, []byte("%PDF-"))) {
			t.Errorf("%s.pdf: %d %.20q", sheet, resp.StatusCode, doc)
		}
	}
	if status, _ := c.get(base + "menu"); status != http.StatusNotFound {
		t.Errorf("an unknown sheet: %d", status)
	}
}
