package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// 大综窗: the service halls (政务服务中心 of a district, 便民服务中心 of a street or a
// community) and their windows. A window is a thing of its own, set up on a day, so a
// district counts the windows it has (one that has taken no case included) and what
// each received. A comprehensive window (综合窗口) accepts every matter the catalogue
// marks 无差别综合受理; a specialised window (专业窗口) the matters it lists; a 办不成事
// window takes any matter, by the cannot_do_window channel only.

// HallKind is what sort of hall it is.
type HallKind string

const (
	HallCentre      HallKind = "service_centre"     // 政务服务中心: a district's (or a city's) hall
	HallConvenience HallKind = "convenience_centre" // 便民服务中心: a street's or a community's
)

// HallKinds lists the kinds of hall.
var HallKinds = []HallKind{HallCentre, HallConvenience}

// HallKindNames are the kinds of hall in the reports' words.
var HallKindNames = map[HallKind]string{HallCentre: "政务服务中心", HallConvenience: "便民服务中心"}

// Hall is a service hall in a region.
type Hall struct {
	ID     int64    `json:"id"`
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Region string   `json:"region"`
	Kind   HallKind `json:"kind"`
	Active bool     `json:"active"`
}

// validRef tells whether a hall's or a window's code is a short reference: letters,
// digits, '-' and '_', 1 to 32 of them.
func validRef(code string) bool {
	if code == "" || len(code) > 32 {
		return false
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Validate checks a hall: a code, a name, and a kind that fits its region's level (a
// 政务服务中心 serves a district or above, a 便民服务中心 a street or a community).
func (h *Hall) Validate() error {
	h.Code, h.Name = strings.TrimSpace(h.Code), strings.TrimSpace(h.Name)
	if !validRef(h.Code) || h.Name == "" || len(h.Name) > 200 {
		return Errorf(EINVALID, "a hall needs a code (1-32 letters, digits, - or _) and a name of at most 200 bytes")
	}
	level, err := LevelOf(h.Region)
	if err != nil {
		return Errorf(EINVALID, "hall %s: %s", h.Code, ErrorMessage(err))
	}
	switch h.Kind {
	case HallCentre:
		if len(h.Region) > 6 {
			return Errorf(EINVALID, "hall %s: a service_centre (政务服务中心) serves a district or above (a code of 6 digits or fewer), not a %s", h.Code, level)
		}
	case HallConvenience:
		if level != LevelTown && level != LevelVillage {
			return Errorf(EINVALID, "hall %s: a convenience_centre (便民服务中心) serves a street (9 digits) or a community (12 digits), not a %s", h.Code, level)
		}
	default:
		return Errorf(EINVALID, "hall kind must be service_centre (政务服务中心) or convenience_centre (便民服务中心)")
	}
	return nil
}

// WindowKind is what a window accepts.
type WindowKind string

const (
	WindowComprehensive WindowKind = "comprehensive" // 综合窗口
	WindowCannotDo      WindowKind = "cannot_do"     // 办不成事反映窗口
	WindowSpecialised   WindowKind = "specialised"   // 专业窗口
)

// WindowKinds lists the kinds of window, in the order reports give them.
var WindowKinds = []WindowKind{WindowComprehensive, WindowCannotDo, WindowSpecialised}

// WindowKindNames are the kinds of window in the reports' words.
var WindowKindNames = map[WindowKind]string{WindowComprehensive: "综合窗口", WindowCannotDo: "办不成事反映窗口", WindowSpecialised: "专业窗口"}

// Window is one window of a hall.
type Window struct {
	ID      int64      `json:"id"`
	HallID  int64      `json:"hall_id"`
	Code    string     `json:"code"` // unique in the installation: how a filing names it
	Name    string     `json:"name"`
	Kind    WindowKind `json:"kind"`
	Region  string     `json:"region"`  // the hall's region or one below it: the cases it takes lie there
	Staff   []int64    `json:"staff"`   // users (dispatchers) who sit at it
	Matters []string   `json:"matters"` // the matters a specialised window accepts
	Active  bool       `json:"active"`
	SetUp   string     `json:"set_up"`           // YYYY-MM-DD, the day it opened
	Closed  string     `json:"closed,omitempty"` // YYYY-MM-DD, the day it stopped (inactive only)
}

// Validate checks a window of hall h and completes it: the hall's region when it names
// none, today when it gives no set-up day, its lists sorted without repeats, and the day it closed (today, when it is made
// inactive without one). An active window needs an active hall.
func (w *Window) Validate(h Hall, today string) error {
	w.Code, w.Name = strings.TrimSpace(w.Code), strings.TrimSpace(w.Name)
	if !validRef(w.Code) || w.Name == "" || len(w.Name) > 200 {
		return Errorf(EINVALID, "a window needs a code (1-32 letters, digits, - or _) and a name of at most 200 bytes")
	}
	if !slices.Contains(WindowKinds, w.Kind) {
		return Errorf(EINVALID, "window %s: kind must be comprehensive (综合窗口), cannot_do (办不成事反映窗口) or specialised (专业窗口)", w.Code)
	}
	if w.Region == "" {
		w.Region = h.Region
	}
	if _, err := LevelOf(w.Region); err != nil || !Within(w.Region, h.Region) {
		return Errorf(EINVALID, "window %s: region %q is not hall %s's region %s or one below it", w.Code, w.Region, h.Code, h.Region)
	}
	if w.SetUp == "" {
		w.SetUp = today
	}
	if !validDate(w.SetUp) {
		return Errorf(EINVALID, "window %s: set_up must be the day it opened, YYYY-MM-DD", w.Code)
	}
	slices.Sort(w.Matters)
	w.Matters = slices.Compact(w.Matters)
	slices.Sort(w.Staff)
	w.Staff = slices.Compact(w.Staff)
	switch {
	case w.Kind == WindowSpecialised && len(w.Matters) == 0:
		return Errorf(EINVALID, "window %s: a specialised window (专业窗口) lists the matters it accepts", w.Code)
	case w.Kind != WindowSpecialised && len(w.Matters) > 0:
		return Errorf(EINVALID, "window %s: only a specialised window lists matters; a comprehensive window takes every matter marked comprehensive, a cannot_do window any matter by the cannot_do_window channel", w.Code)
	case len(w.Matters) > 1000 || len(w.Staff) > 100:
		return Errorf(EINVALID, "window %s: at most 1000 matters and 100 staff", w.Code)
	}
	return w.settleState(h, today)
}

// settleState keeps the active flag and the closing day in step.
func (w *Window) settleState(h Hall, today string) error {
	if w.Active {
		if !h.Active {
			return Errorf(EINVALID, "window %s: hall %s is inactive; activate the hall before opening windows in it", w.Code, h.Code)
		}
		w.Closed = ""
		return nil
	}
	if w.Closed == "" {
		w.Closed = max(today, w.SetUp)
	}
	if !validDate(w.Closed) || w.Closed < w.SetUp {
		return Errorf(EINVALID, "window %s: closed must be a day YYYY-MM-DD not before set_up", w.Code)
	}
	return nil
}

// OpenOn tells whether the window is set up on day (YYYY-MM-DD): opened by then and
// not closed yet.
func (w Window) OpenOn(day string) bool {
	return w.SetUp <= day && (w.Closed == "" || day < w.Closed)
}

// Label names the window in a message: its code and name.
func (w Window) Label() string { return w.Code + "（" + w.Name + "）" }

// IsWindowChannel tells whether ch is a window's: 综合受理 or 办不成事.
func IsWindowChannel(ch Channel) bool { return ch == "window" || ch == CannotDo }

// Accepts tells whether w accepts a case of matter m by channel ch: a 办不成事 case comes
// through a cannot_do window, which takes nothing else; a comprehensive window takes
// the matters marked comprehensive, a specialised one those it lists.
func (w Window) Accepts(m Matter, ch Channel) error {
	switch {
	case ch == CannotDo && w.Kind != WindowCannotDo:
		return Errorf(EINVALID, "a 办不成事 case comes through a cannot_do window; %s is a %s window", w.Label(), w.Kind)
	case ch == CannotDo:
		return nil
	case w.Kind == WindowCannotDo:
		return Errorf(EINVALID, "window %s takes only 办不成事 cases (channel cannot_do_window)", w.Label())
	case w.Kind == WindowComprehensive && !m.Comprehensive:
		return Errorf(EINVALID, "window %s does not accept matter %s %s: it is not marked for comprehensive acceptance (无差别综合受理)", w.Label(), m.Code, m.Name)
	case w.Kind == WindowSpecialised && !slices.Contains(w.Matters, m.Code):
		return Errorf(EINVALID, "window %s does not accept matter %s %s: it is not one of the matters this specialised window lists", w.Label(), m.Code, m.Name)
	}
	return nil
}

// Takes checks that a case in region, of matter m, by channel ch may be filed through w
// on day: the window is open, serves the region and accepts the matter by the channel.
func (w Window) Takes(region string, ch Channel, m Matter, day string) error {
	if !w.Active || !w.OpenOn(day) {
		return Errorf(EINVALID, "window %s is not open on %s (set up %s, closed %q)", w.Label(), day, w.SetUp, w.Closed)
	}
	if !Within(region, w.Region) {
		return Errorf(EINVALID, "window %s serves region %s; the case lies in %s", w.Label(), w.Region, region)
	}
	return w.Accepts(m, ch)
}

// maxListed bounds the windows a refusal names.
const maxListed = 20

// NoWindowGiven decides a window case filed without naming its window. Where windows
// serve the region (open on day), the window is required: the refusal names those that
// would take the case (or, if none would, every open one). Where none serve it (an
// installation that has set up no windows there yet) the case goes without one.
func NoWindowGiven(serving []Window, region string, ch Channel, m Matter, day string) error {
	var open, fit []string
	for _, w := range serving {
		if !w.Active || !w.OpenOn(day) || !Within(region, w.Region) {
			continue
		}
		open = append(open, w.Label())
		if w.Accepts(m, ch) == nil {
			fit = append(fit, w.Label())
		}
	}
	if len(open) == 0 {
		return nil
	}
	list, what := fit, "that accept it"
	if len(fit) == 0 {
		list, what = open, "open there (none accepts this matter by this channel)"
	}
	more := ""
	if len(list) > maxListed {
		list, more = list[:maxListed], fmt.Sprintf(" and %d more", len(list)-maxListed)
	}
	return Errorf(EINVALID, "region %s has windows set up: name the window the case came through (window: its code or id); windows %s: %s%s",
		region, what, strings.Join(list, ", "), more)
}

// WindowFigures are what windows received in a period: the cases received there and,
// of those, the 办不成事 ones, those resolved (on time) and those visited (satisfied,
// basically satisfied), with the rates as fractions, null when nothing divides.
type WindowFigures struct {
	Received           int64    `json:"received"`
	CannotDo           int64    `json:"cannot_do"`
	Resolved           int64    `json:"resolved"`
	ResolvedOnTime     int64    `json:"resolved_on_time"`
	Visited            int64    `json:"visited"`
	Satisfied          int64    `json:"satisfied"`
	BasicallySatisfied int64    `json:"basically_satisfied"`
	OnTimeRate         *float64 `json:"on_time_rate"`      // resolved on time / resolved
	SatisfactionRate   *float64 `json:"satisfaction_rate"` // (satisfied + basically) / visited
}

// WindowTally is one case's contribution to its window's figures: the statistics
// rollup's own tally (Case.Rollup), so a window's figures agree with every other
// statistic about the same cases. The store's query by window counts the same way, and
// a test holds the two together.
func WindowTally(c *Case) WindowFigures {
	_, t := c.Rollup()
	return WindowFigures{Received: t.Received, CannotDo: t.CannotDo, Resolved: t.Resolved, ResolvedOnTime: t.ResolvedOnTime,
		Visited: t.Visited, Satisfied: t.Satisfied, BasicallySatisfied: t.BasicallySatisfied}
}

// Add counts o's cases in f.
func (f *WindowFigures) Add(o WindowFigures) {
	f.Received += o.Received
	f.CannotDo += o.CannotDo
	f.Resolved += o.Resolved
	f.ResolvedOnTime += o.ResolvedOnTime
	f.Visited += o.Visited
	f.Satisfied += o.Satisfied
	f.BasicallySatisfied += o.BasicallySatisfied
}

// Finish computes the rates as every statistic does (Stats.Finish).
func (f *WindowFigures) Finish() {
	s := Stats{Resolved: f.Resolved, ResolvedOnTime: f.ResolvedOnTime, Visited: f.Visited, Satisfied: f.Satisfied,
		BasicallySatisfied: f.BasicallySatisfied}
	s.Finish()
	f.OnTimeRate, f.SatisfactionRate = s.OnTimeRate, s.SatisfactionRate
}

// WindowsSetUp counts windows set up on a day, in all and by kind.
type WindowsSetUp struct {
	Total         int `json:"total"`
	Comprehensive int `json:"comprehensive"`
	CannotDo      int `json:"cannot_do"`
	Specialised   int `json:"specialised"`
}

func (s *WindowsSetUp) add(k WindowKind) {
	s.Total++
	switch k {
	case WindowComprehensive:
		s.Comprehensive++
	case WindowCannotDo:
		s.CannotDo++
	case WindowSpecialised:
		s.Specialised++
	}
}

func (s *WindowsSetUp) addAll(o WindowsSetUp) {
	s.Total += o.Total
	s.Comprehensive += o.Comprehensive
	s.CannotDo += o.CannotDo
	s.Specialised += o.Specialised
}

// WindowRow is one window's line of the report.
type WindowRow struct {
	ID     int64      `json:"id"`
	HallID int64      `json:"hall_id"`
	Code   string     `json:"code"`
	Name   string     `json:"name"`
	Kind   WindowKind `json:"kind"`
	Region string     `json:"region"`
	SetUp  string     `json:"set_up"`
	Closed string     `json:"closed,omitempty"`
	Open   bool       `json:"open"` // set up on the period's last day
	WindowFigures
}

// HallRow is one hall's line: its windows set up on the period's last day and the sum
// of its windows' figures.
type HallRow struct {
	Hall
	Windows WindowsSetUp `json:"windows"`
	WindowFigures
}

// WindowTotal is the report's total over its halls.
type WindowTotal struct {
	Windows WindowsSetUp `json:"windows"`
	WindowFigures
}

// WindowReport is the 大综窗 statistics of the halls in a region for a period of days.
type WindowReport struct {
	Region  string      `json:"region"`
	From    string      `json:"from"` // first day
	To      string      `json:"to"`   // last day, inclusive
	Halls   []HallRow   `json:"halls"`
	Windows []WindowRow `json:"windows"` // hall by hall, in the halls' order
	Total   WindowTotal `json:"total"`
}

// NewWindowReport lays out the report from the halls of the region, their windows and
// each window's figures for the period from to last (days, inclusive). A window is
// listed when it was set up on some day of the period or received cases in it, with
// zeros when it took none; it counts as set up when it is on the period's last day. A
// hall is listed when it is active or has a listed window.
func NewWindowReport(region, from, last string, halls []Hall, windows []Window, figures map[int64]WindowFigures) WindowReport {
	rep := WindowReport{Region: region, From: from, To: last, Halls: []HallRow{}, Windows: []WindowRow{}}
	halls = slices.Clone(halls)
	slices.SortFunc(halls, func(a, b Hall) int { return cmp.Or(cmp.Compare(a.Region, b.Region), cmp.Compare(a.Code, b.Code)) })
	byHall := map[int64][]Window{}
	for _, w := range windows {
		byHall[w.HallID] = append(byHall[w.HallID], w)
	}
	for _, h := range halls {
		row := HallRow{Hall: h}
		ws := byHall[h.ID]
		slices.SortFunc(ws, func(a, b Window) int {
			return cmp.Or(cmp.Compare(slices.Index(WindowKinds, a.Kind), slices.Index(WindowKinds, b.Kind)), cmp.Compare(a.Code, b.Code))
		})
		listed := 0
		for _, w := range ws {
			f := figures[w.ID]
			if f.Received == 0 && !(w.SetUp <= last && (w.Closed == "" || w.Closed > from)) {
				continue
			}
			wr := WindowRow{ID: w.ID, HallID: h.ID, Code: w.Code, Name: w.Name, Kind: w.Kind, Region: w.Region, SetUp: w.SetUp,
				Closed: w.Closed, Open: w.OpenOn(last), WindowFigures: f}
			if wr.Open {
				row.Windows.add(w.Kind)
			}
			wr.Finish()
			row.Add(f)
			rep.Windows = append(rep.Windows, wr)
			listed++
		}
		if listed == 0 && !h.Active {
			continue
		}
		row.Finish()
		rep.Total.Windows.addAll(row.Windows)
		rep.Total.Add(row.WindowFigures)
		rep.Halls = append(rep.Halls, row)
	}
	rep.Total.Finish()
	return rep
}
