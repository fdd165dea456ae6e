package domain

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestHallValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		h    Hall
		want string // "" for valid, else a piece of the refusal
	}{
		{"district centre", Hall{Code: "LY-ZWFW", Name: "涟源市政务服务中心", Region: "431382", Kind: HallCentre}, ""},
		{"city centre", Hall{Code: "LD", Name: "娄底市政务服务中心", Region: "4313", Kind: HallCentre}, ""},
		{"street convenience", Hall{Code: "LT", Name: "蓝田街道便民服务中心", Region: "431382001", Kind: HallConvenience}, ""},
		{"community convenience", Hall{Code: "MG", Name: "民光社区便民服务中心", Region: "431382001001", Kind: HallConvenience}, ""},
		{"centre in a street", Hall{Code: "X", Name: "x", Region: "431382001", Kind: HallCentre}, "district or above"},
		{"convenience in a county", Hall{Code: "X", Name: "x", Region: "431382", Kind: HallConvenience}, "street (9 digits) or a community"},
		{"convenience in a grid", Hall{Code: "X", Name: "x", Region: "431382001001001", Kind: HallConvenience}, "not a grid"},
		{"unknown kind", Hall{Code: "X", Name: "x", Region: "431382", Kind: "office"}, "hall kind must be"},
		{"bad region", Hall{Code: "X", Name: "x", Region: "4313820", Kind: HallCentre}, "not a division code"},
		{"no code", Hall{Name: "x", Region: "431382", Kind: HallCentre}, "needs a code"},
		{"code with a space", Hall{Code: "A B", Name: "x", Region: "431382", Kind: HallCentre}, "needs a code"},
		{"no name", Hall{Code: "X", Name: "  ", Region: "431382", Kind: HallCentre}, "needs a code"},
	} {
		err := c.h.Validate()
		if (err == nil) != (c.want == "") || err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

var (
	lt    = Hall{ID: 1, Code: "LT", Name: "蓝田街道便民服务中心", Region: "431382001", Kind: HallConvenience, Active: true}
	shut  = Hall{ID: 2, Code: "OLD", Name: "旧大厅", Region: "431382002", Kind: HallConvenience}
	today = "2026-03-02"
)

func TestWindowValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		w    Window
		h    Hall
		want string
		then func(Window) bool // what validation completes
	}{
		{"region and set-up day default", Window{Code: "LT-01", Name: "综合窗口", Kind: WindowComprehensive, Active: true, Closed: "2026-01-01"}, lt, "",
			func(w Window) bool { return w.Region == "431382001" && w.SetUp == today && w.Closed == "" }},
		{"a community below the hall", Window{Code: "LT-02", Name: "x", Kind: WindowCannotDo, Region: "431382001001", SetUp: "2025-01-01", Active: true}, lt, "", nil},
		{"lists sorted without repeats", Window{Code: "LT-03", Name: "x", Kind: WindowSpecialised, SetUp: "2025-01-01", Active: true,
			Matters: []string{"FW-004", "FW-003", "FW-004"}, Staff: []int64{9, 3, 9}}, lt, "",
			func(w Window) bool {
				return strings.Join(w.Matters, ",") == "FW-003,FW-004" && len(w.Staff) == 2 && w.Staff[0] == 3
			}},
		{"closing day defaults to today", Window{Code: "LT-04", Name: "x", Kind: WindowComprehensive, SetUp: "2025-01-01"}, lt, "",
			func(w Window) bool { return w.Closed == today }},
		{"closed by an inactive hall's window", Window{Code: "OLD-1", Name: "x", Kind: WindowComprehensive, SetUp: "2025-01-01", Closed: "2025-06-01"}, shut, "", nil},
		{"region outside the hall", Window{Code: "LT-05", Name: "x", Kind: WindowComprehensive, Region: "431382002", SetUp: "2025-01-01", Active: true}, lt, "or one below it", nil},
		{"specialised without matters", Window{Code: "LT-06", Name: "x", Kind: WindowSpecialised, SetUp: "2025-01-01", Active: true}, lt, "lists the matters it accepts", nil},
		{"comprehensive with matters", Window{Code: "LT-07", Name: "x", Kind: WindowComprehensive, SetUp: "2025-01-01", Active: true, Matters: []string{"SR-001"}}, lt, "only a specialised window lists matters", nil},
		{"unknown kind", Window{Code: "LT-08", Name: "x", Kind: "vip", SetUp: "2025-01-01", Active: true}, lt, "kind must be", nil},
		{"bad set-up day", Window{Code: "LT-09", Name: "x", Kind: WindowComprehensive, SetUp: "2025-13-01", Active: true}, lt, "set_up must be", nil},
		{"open in an inactive hall", Window{Code: "OLD-2", Name: "x", Kind: WindowComprehensive, SetUp: "2025-01-01", Active: true}, shut, "hall OLD is inactive", nil},
		{"closed before set up", Window{Code: "LT-10", Name: "x", Kind: WindowComprehensive, SetUp: "2025-01-01", Closed: "2024-12-31"}, lt, "not before set_up", nil},
	} {
		w := c.w
		err := w.Validate(c.h, today)
		if (err == nil) != (c.want == "") || err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
			continue
		}
		if c.then != nil && !c.then(w) {
			t.Errorf("%s: completed to %+v", c.name, w)
		}
	}
}

var (
	general  = Matter{Code: "SR-001", Name: "暴露垃圾", Comprehensive: true}
	property = Matter{Code: "FW-004", Name: "不动产登记办证难"}
	compW    = Window{ID: 11, HallID: 1, Code: "LT-01", Name: "综合窗口", Kind: WindowComprehensive, Region: "431382001", SetUp: "2025-01-01", Active: true}
	cannotW  = Window{ID: 12, HallID: 1, Code: "LT-BC", Name: "办不成事反映窗口", Kind: WindowCannotDo, Region: "431382001", SetUp: "2025-01-01", Active: true}
	specW    = Window{ID: 13, HallID: 1, Code: "LT-BDC", Name: "不动产专窗", Kind: WindowSpecialised, Region: "431382001", SetUp: "2025-01-01", Active: true, Matters: []string{"FW-004"}}
)

func TestWindowTakes(t *testing.T) {
	later := compW
	later.SetUp = "2026-03-03"
	closed := compW
	closed.Active, closed.Closed = false, "2026-03-01"
	for _, c := range []struct {
		name   string
		w      Window
		region string
		ch     Channel
		m      Matter
		want   string
	}{
		{"comprehensive takes a comprehensive matter", compW, "431382001001001", "window", general, ""},
		{"comprehensive refuses another matter", compW, "431382001001", "window", property, "not marked for comprehensive acceptance"},
		{"specialised takes its matter", specW, "431382001", "window", property, ""},
		{"specialised refuses others", specW, "431382001", "window", general, "not one of the matters"},
		{"cannot_do takes any matter by its channel", cannotW, "431382001001", CannotDo, property, ""},
		{"cannot_do refuses the window channel", cannotW, "431382001001", "window", general, "takes only 办不成事 cases"},
		{"办不成事 only through a cannot_do window", compW, "431382001001", CannotDo, general, "comes through a cannot_do window"},
		{"not set up yet", later, "431382001", "window", general, "is not open"},
		{"closed", closed, "431382001", "window", general, "is not open"},
		{"outside the window's region", compW, "431382002001", "window", general, "serves region 431382001"},
	} {
		err := c.w.Takes(c.region, c.ch, c.m, today)
		if (err == nil) != (c.want == "") || err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want)) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestNoWindowGiven(t *testing.T) {
	other := compW
	other.Code, other.Region = "LMT-01", "431382002"
	if err := NoWindowGiven(nil, "431382001001", "window", general, today); err != nil {
		t.Errorf("no windows serving: %v, want the case to go without one", err)
	}
	if err := NoWindowGiven([]Window{other}, "431382001001", "window", general, today); err != nil {
		t.Errorf("only another street's window: %v, want none required", err)
	}
	err := NoWindowGiven([]Window{compW, cannotW, specW}, "431382001001", "window", property, today)
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "that accept it: LT-BDC（不动产专窗）") || strings.Contains(ErrorMessage(err), "LT-01") {
		t.Errorf("windows serving: %v, want a refusal naming the specialised window only", err)
	}
	err = NoWindowGiven([]Window{compW, specW}, "431382001001", CannotDo, general, today)
	if !strings.Contains(ErrorMessage(err), "none accepts") || !strings.Contains(ErrorMessage(err), "LT-01") || !strings.Contains(ErrorMessage(err), "LT-BDC") {
		t.Errorf("no window fits: %v, want every open window named", err)
	}
}

func rate(f float64) *float64 { return &f }

func TestNewWindowReport(t *testing.T) {
	closedEarly := Window{ID: 14, HallID: 1, Code: "LT-OLD", Name: "旧窗口", Kind: WindowComprehensive, Region: "431382001", SetUp: "2024-01-01", Closed: "2025-06-01"}
	closedLate := Window{ID: 15, HallID: 1, Code: "LT-GONE", Name: "撤销窗口", Kind: WindowComprehensive, Region: "431382001", SetUp: "2024-01-01", Closed: "2026-02-10"}
	future := Window{ID: 16, HallID: 1, Code: "LT-NEW", Name: "新窗口", Kind: WindowComprehensive, Region: "431382001", SetUp: "2026-04-01", Active: true}
	idle := Window{ID: 21, HallID: 3, Code: "MG-01", Name: "综合窗口", Kind: WindowComprehensive, Region: "431382001001", SetUp: "2026-02-28", Active: true}
	mg := Hall{ID: 3, Code: "MG", Name: "民光社区便民服务中心", Region: "431382001001", Kind: HallConvenience, Active: true}
	empty := Hall{ID: 4, Code: "EMPTY", Name: "空大厅", Region: "431382001002", Kind: HallConvenience, Active: true}
	gone := Hall{ID: 5, Code: "GONE", Name: "撤销大厅", Region: "431382001003", Kind: HallConvenience}
	figures := map[int64]WindowFigures{
		11: {Received: 4, Resolved: 3, ResolvedOnTime: 2, Visited: 2, Satisfied: 1, BasicallySatisfied: 1},
		12: {Received: 2, CannotDo: 2, Resolved: 1, ResolvedOnTime: 1, Visited: 1},
		15: {Received: 1},
	}
	rep := NewWindowReport("431382001", "2026-02-01", "2026-03-31", []Hall{mg, gone, lt, empty},
		[]Window{specW, closedEarly, closedLate, future, idle, cannotW, compW}, figures)
	got := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	var codes []string
	for _, w := range rep.Windows {
		codes = append(codes, w.Code)
	}
	// the street's hall first (region order), its windows by kind then code; the
	// window closed before the period and the one set up after it are left out; the
	// inactive hall without windows too
	if strings.Join(codes, " ") != "LT-01 LT-GONE LT-BC LT-BDC MG-01" {
		t.Errorf("windows listed: %v", codes)
	}
	if len(rep.Halls) != 3 || rep.Halls[0].Code != "LT" || rep.Halls[1].Code != "MG" || rep.Halls[2].Code != "EMPTY" {
		t.Fatalf("halls: %s", got(rep.Halls))
	}
	if want := (WindowsSetUp{Total: 3, Comprehensive: 1, CannotDo: 1, Specialised: 1}); rep.Halls[0].Windows != want {
		t.Errorf("LT set up %+v, want %+v (LT-GONE closed in the period)", rep.Halls[0].Windows, want)
	}
	lt := rep.Halls[0].WindowFigures
	if lt.Received != 7 || lt.CannotDo != 2 || lt.Resolved != 4 || lt.ResolvedOnTime != 3 || lt.Visited != 3 ||
		got(lt.OnTimeRate) != got(rate(0.75)) || got(lt.SatisfactionRate) != got(Ratio(2, 3)) {
		t.Errorf("LT figures %s", got(lt))
	}
	idleRow := rep.Windows[4]
	if !idleRow.Open || idleRow.Received != 0 || idleRow.OnTimeRate != nil || idleRow.SatisfactionRate != nil {
		t.Errorf("a window that took no case: %s, want set up with zeros and null rates", got(idleRow))
	}
	if rep.Windows[1].Open || rep.Windows[1].Received != 1 {
		t.Errorf("closed in the period: %s, want listed with its case, not set up", got(rep.Windows[1]))
	}
	if want := (WindowsSetUp{Total: 4, Comprehensive: 2, CannotDo: 1, Specialised: 1}); rep.Total.Windows != want || rep.Total.Received != 7 ||
		got(rep.Total.SatisfactionRate) != got(Ratio(2, 3)) || rep.Halls[2].Received != 0 || rep.Halls[2].Windows.Total != 0 {
		t.Errorf("total %s, empty hall %s", got(rep.Total), got(rep.Halls[2]))
	}
}

func TestWindowTallyIsTheRollups(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, China)
	due, early, late := at.Add(24*time.Hour), at.Add(3*time.Hour), at.Add(48*time.Hour)
	for _, c := range []struct {
		name string
		c    Case
		want WindowFigures
	}{
		{"received only", Case{Channel: "window", Status: StatusReported, CreatedAt: at}, WindowFigures{Received: 1}},
		{"办不成事 resolved on time, basically satisfied", Case{Channel: CannotDo, Status: StatusClosed, CreatedAt: at, ResolveDue: &due, ResolvedAt: &early,
			Satisfaction: BasicallySatisfied}, WindowFigures{Received: 1, CannotDo: 1, Resolved: 1, ResolvedOnTime: 1, Visited: 1, BasicallySatisfied: 1}},
		{"resolved late, dissatisfied", Case{Channel: "window", Status: StatusVerified, CreatedAt: at, ResolveDue: &due, ResolvedAt: &late,
			Satisfaction: Dissatisfied}, WindowFigures{Received: 1, Resolved: 1, Visited: 1}},
	} {
		if got := WindowTally(&c.c); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
