package domain

import (
	"testing"
	"time"
)

func TestChecklistValidate(t *testing.T) {
	for _, c := range []Checklist{EightOnes, SafetyPatrol} {
		c.Items = append([]ChecklistItem(nil), c.Items...)
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.Code, err)
		}
	}
	if len(EightOnes.Items) != 8 {
		t.Errorf("八个一 has %d items", len(EightOnes.Items))
	}
	for name, c := range map[string]Checklist{
		"no code":    {Name: "x", Kind: "patrol", Items: []ChecklistItem{{"a", "A", ""}}},
		"bad kind":   {Code: "x", Name: "x", Kind: "yearly", Items: []ChecklistItem{{"a", "A", ""}}},
		"no items":   {Code: "x", Name: "x", Kind: "patrol"},
		"dup item":   {Code: "x", Name: "x", Kind: "patrol", Items: []ChecklistItem{{"a", "A", ""}, {"a", "B", ""}}},
		"item title": {Code: "x", Name: "x", Kind: "patrol", Items: []ChecklistItem{{"a", " ", ""}}},
	} {
		if ErrorCode(c.Validate()) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}

func TestChecklistCheckAnswers(t *testing.T) {
	c := Checklist{Code: "p", Kind: "patrol", Items: []ChecklistItem{{"a", "A", ""}, {"b", "B", ""}}}
	for _, tc := range []struct {
		name string
		ans  []ChecklistAnswer
		ok   bool
	}{
		{"all fine", []ChecklistAnswer{{Item: "a", OK: true}, {Item: "b", OK: true}}, true},
		{"not fine with note", []ChecklistAnswer{{Item: "a", OK: true}, {Item: "b", Note: "堵塞"}}, true},
		{"not fine without note", []ChecklistAnswer{{Item: "a", OK: true}, {Item: "b"}}, false},
		{"missing item", []ChecklistAnswer{{Item: "a", OK: true}}, false},
		{"unknown item", []ChecklistAnswer{{Item: "a", OK: true}, {Item: "b", OK: true}, {Item: "c", OK: true}}, false},
		{"twice", []ChecklistAnswer{{Item: "a", OK: true}, {Item: "a", OK: true}, {Item: "b", OK: true}}, false},
	} {
		if err := c.CheckAnswers(tc.ans); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if EightOnes.CheckAnswers(nil) == nil {
		t.Error("a community checklist is not answered on patrols")
	}
}

func TestChecklistProgress(t *testing.T) {
	c := EightOnes
	c.ID = 1
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, China)
	entries := []ChecklistEntry{
		{Checklist: 1, Region: "431382001001", Year: 2026, Item: "meeting", Evidence: "old", At: t0},
		{Checklist: 1, Region: "431382001001", Year: 2026, Item: "meeting", Evidence: "new", At: t0.Add(time.Hour)},
		{Checklist: 1, Region: "431382001001", Year: 2026, Item: "drill", Evidence: "演练", At: t0},
		{Checklist: 1, Region: "431382001001", Year: 2025, Item: "board", Evidence: "last year", At: t0},
		{Checklist: 1, Region: "431382001002", Year: 2026, Item: "board", Evidence: "other community", At: t0},
		{Checklist: 2, Region: "431382001001", Year: 2026, Item: "duty", Evidence: "other checklist", At: t0},
	}
	p := c.Progress("431382001001", 2026, entries)
	if p.Done != 2 || p.Total != 8 || !p.Items[0].Done || p.Items[0].Evidence != "new" || p.Items[1].Done {
		t.Errorf("progress %+v", p)
	}
	e := ChecklistEntry{Item: "drill", Evidence: "演练照片", Region: "431382001001"}
	if err := e.Validate(c); err != nil {
		t.Error(err)
	}
	for name, bad := range map[string]ChecklistEntry{
		"no evidence":   {Item: "drill", Region: "431382001001"},
		"unknown item":  {Item: "party", Evidence: "x", Region: "431382001001"},
		"not community": {Item: "drill", Evidence: "x", Region: "431382001"},
	} {
		if ErrorCode(bad.Validate(c)) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}
