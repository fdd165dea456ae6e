package importer_test

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/importer"
	"whistle/whistletest"
)

var ctx = context.Background()

func readDemoMatters(t *testing.T) []domain.Matter {
	t.Helper()
	f, err := os.Open("../demo/data/matters.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, err := importer.ReadMatters(f)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestReadDemoMatters(t *testing.T) {
	t.Parallel()
	ms := readDemoMatters(t)
	classes := map[string]int{}
	codes := map[string]bool{}
	for _, m := range ms {
		classes[m.Class]++
		if codes[m.Code] {
			t.Errorf("matter %s listed twice", m.Code)
		}
		codes[m.Code] = true
		if err := m.Validate(); err != nil {
			t.Errorf("matter %s: %v", m.Code, err)
		}
	}
	if len(ms) < 60 {
		t.Errorf("%d matters, want at least 60", len(ms))
	}
	if len(classes) < 8 {
		t.Errorf("%d classes (%v), want at least 8", len(classes), classes)
	}
	first := ms[0]
	want := domain.Matter{Code: "SR-001", Name: "暴露垃圾", Class: "市容环境", Category: "event", LeadOrg: "LY-CGJ",
		AckDeadline: domain.Deadline{N: 2, Unit: domain.UnitHour}, Deadline: domain.Deadline{N: 1, Unit: domain.UnitDay},
		Priority: 2, Public: true, Keywords: "垃圾 暴露垃圾 卫生 环卫", Description: first.Description, Comprehensive: true}
	if !reflect.DeepEqual(first, want) || first.Description == "" {
		t.Errorf("first matter %+v, want %+v", first, want)
	}
	t.Logf("%d matters in %d classes", len(ms), len(classes))
}

const header = "code,name,class,category,lead_org,ack_deadline,resolve_deadline,priority,public,keywords,description\n"
const goodRow = "SR-001,暴露垃圾,市容环境,event,LY-CGJ,2h,1d,2,true,垃圾,说明\n"

func TestReadMattersRefusesBadFiles(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body string
		want []string // what the message must say
	}{
		"empty":           {"", []string{"header"}},
		"missing column":  {strings.Replace(header, ",priority", "", 1) + "SR-001,暴露垃圾,市容环境,event,LY-CGJ,2h,1d,true,垃圾,说明\n", []string{"priority"}},
		"bad deadline":    {header + goodRow + "SR-002,垃圾满溢,市容环境,event,LY-CGJ,5x,1d,2,true,,\n", []string{"line 3", "5x"}},
		"bad resolve":     {header + goodRow + goodRow + "SR-003,垃圾,市容环境,event,LY-CGJ,2h,0d,2,true,,\n", []string{"line 4", "0d"}},
		"text priority":   {header + goodRow + "SR-002,垃圾满溢,市容环境,event,LY-CGJ,2h,1d,high,true,,\n", []string{"line 3", "priority"}},
		"priority range":  {header + "SR-002,垃圾满溢,市容环境,event,LY-CGJ,2h,1d,7,true,,\n", []string{"line 2", "priority"}},
		"bad public":      {header + "SR-002,垃圾满溢,市容环境,event,LY-CGJ,2h,1d,2,maybe,,\n", []string{"line 2", "public"}},
		"bad category":    {header + "SR-002,垃圾满溢,市容环境,thing,LY-CGJ,2h,1d,2,true,,\n", []string{"line 2", "category"}},
		"no lead org":     {header + "SR-002,垃圾满溢,市容环境,event,,2h,1d,2,true,,\n", []string{"line 2", "lead org"}},
		"bad route":       {strings.TrimSuffix(header, "\n") + ",routes\nSR-002,垃圾满溢,市容环境,event,LY-CGJ,2h,1d,2,true,,,431382-LT\n", []string{"line 2", "route"}},
		"ragged row":      {header + goodRow + "SR-002,垃圾满溢\n", []string{"line 3"}},
		"multiline field": {header + "SR-001,暴露垃圾,市容环境,event,LY-CGJ,2h,1d,2,true,垃圾,\"第一行\n第二行\"\nSR-002,垃圾满溢,市容环境,event,LY-CGJ,5x,1d,2,true,,\n", []string{"line 4"}},
	} {
		t.Run(name, func(t *testing.T) {
			ms, err := importer.ReadMatters(strings.NewReader(tc.body))
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("want invalid, got %v (%d matters)", err, len(ms))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestReadMattersColumnsByName(t *testing.T) {
	t.Parallel()
	// columns in another order, a BOM, no routes column, public left empty (true)
	body := "\ufeffname,code,lead_org,class,category,priority,ack_deadline,resolve_deadline,public,keywords,description\n" +
		"暴露垃圾,SR-001,LY-CGJ,市容环境,component,3,4h,5d,,k,d\n"
	ms, err := importer.ReadMatters(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Matter{{Code: "SR-001", Name: "暴露垃圾", Class: "市容环境", Category: "component", LeadOrg: "LY-CGJ",
		AckDeadline: domain.Deadline{N: 4, Unit: domain.UnitHour}, Deadline: domain.Deadline{N: 5, Unit: domain.UnitDay},
		Priority: 3, Public: true, Keywords: "k", Description: "d"}}
	if !reflect.DeepEqual(ms, want) {
		t.Fatalf("got %+v\nwant %+v", ms, want)
	}
}

func TestWriteReadMattersRoundTrip(t *testing.T) {
	t.Parallel()
	ms := readDemoMatters(t)
	// add the awkward cases: routes, a private matter, commas, quotes and newlines
	ms = append(ms, domain.Matter{Code: "X-1", Name: `名称, 带 "引号"`, Class: "测试", Category: "component", LeadOrg: "LY-CGJ",
		AckDeadline: domain.Deadline{N: 30, Unit: domain.UnitHour}, Deadline: domain.Deadline{N: 60, Unit: domain.UnitDay},
		Priority: 1, Public: false, Keywords: "a b", Description: "第一行\n第二行, 还有逗号",
		Routes: []domain.Route{{Region: "431382001", Org: "LT-ZFDD"}, {Region: "431382002", Org: "LT-SJS"}}})
	var buf bytes.Buffer
	if err := importer.WriteMatters(&buf, ms); err != nil {
		t.Fatal(err)
	}
	back, err := importer.ReadMatters(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ms, back) {
		for i := range ms {
			if i >= len(back) || !reflect.DeepEqual(ms[i], back[i]) {
				t.Fatalf("matter %d differs after the round trip:\nwrote %+v\nread  %+v", i, ms[i], back[min(i, len(back)-1)])
			}
		}
		t.Fatalf("%d matters written, %d read", len(ms), len(back))
	}
	// and writing what was read gives the same bytes
	var again bytes.Buffer
	if err := importer.WriteMatters(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != buf.String() {
		t.Fatal("writing the read catalog gives different bytes")
	}
}

// The catalog goes through the store: stored and read back equal, routes included, and
// a bad matter stores nothing.
func TestMattersThroughStore(t *testing.T) {
	t.Parallel()
	svc, _, _ := whistletest.Demo(t, 0)
	db := whistletest.StoreOf(svc)
	ms := readDemoMatters(t)
	sort.Slice(ms, func(i, j int) bool { return ms[i].Code < ms[j].Code }) // the store lists in code order
	stored, err := db.Matters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stored, ms) {
		t.Fatalf("stored catalog differs from the file: %d vs %d matters", len(stored), len(ms))
	}
	routed := ms[0]
	routed.Routes = []domain.Route{{Region: "431382001", Org: "LT-ZFDD"}}
	bad := ms[1]
	bad.LeadOrg = "NO-SUCH"
	err = db.PutMatters(ctx, []domain.Matter{routed, bad})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a matter with an unknown org: %v", err)
	}
	if got, _ := db.Matter(ctx, routed.Code); len(got.Routes) != 0 {
		t.Fatalf("a refused batch stored a route: %+v", got.Routes)
	}
	if err := db.PutMatters(ctx, []domain.Matter{routed}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Matter(ctx, routed.Code)
	if err != nil || !reflect.DeepEqual(got, routed) {
		t.Fatalf("routed matter read back %+v, %v", got, err)
	}
	if got.LeadOrgFor("431382001001") != "LT-ZFDD" || got.LeadOrgFor("431382002001") != routed.LeadOrg {
		t.Errorf("routing: %s / %s", got.LeadOrgFor("431382001001"), got.LeadOrgFor("431382002001"))
	}
}

func readShipped(t *testing.T, year string) []domain.CalendarDay {
	t.Helper()
	f, err := os.Open("calendars/cn-" + year + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	days, err := importer.ReadCalendar(f)
	if err != nil {
		t.Fatal(err)
	}
	return days
}

func TestReadCalendar2026(t *testing.T) {
	t.Parallel()
	days := readShipped(t, "2026")
	kinds := map[domain.DayKind]int{}
	byDate := map[string]domain.CalendarDay{}
	for _, d := range days {
		kinds[d.Kind]++
		if !strings.HasPrefix(d.Date, "2026-") {
			t.Errorf("%s is not in 2026", d.Date)
		}
		if _, dup := byDate[d.Date]; dup {
			t.Errorf("%s listed twice", d.Date)
		}
		byDate[d.Date] = d
	}
	if kinds[domain.Holiday] != 33 || kinds[domain.Workday] != 6 {
		t.Errorf("2026 has %d holidays and %d make-up days, want 33 and 6", kinds[domain.Holiday], kinds[domain.Workday])
	}
	for date, want := range map[string]domain.CalendarDay{
		"2026-01-01": {Date: "2026-01-01", Kind: domain.Holiday, Name: "元旦"},
		"2026-02-17": {Date: "2026-02-17", Kind: domain.Holiday, Name: "春节"},
		"2026-02-14": {Date: "2026-02-14", Kind: domain.Workday, Name: "春节调休上班"},
		"2026-10-07": {Date: "2026-10-07", Kind: domain.Holiday, Name: "国庆节"},
	} {
		if byDate[date] != want {
			t.Errorf("%s: %+v, want %+v", date, byDate[date], want)
		}
	}
	// every make-up working day is a weekend day, and the calendar counts it worked
	cal := domain.NewCalendar(days, nil)
	for _, d := range days {
		day, _ := time.ParseInLocation("2006-01-02", d.Date, domain.China)
		if d.Kind == domain.Workday {
			if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
				t.Errorf("make-up day %s is a %s", d.Date, wd)
			}
		}
		if cal.IsWorkday(day) != (d.Kind == domain.Workday) {
			t.Errorf("%s: IsWorkday %v for a %s", d.Date, cal.IsWorkday(day), d.Kind)
		}
	}
}

func TestReadCalendarRefusesBadDays(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"bad date":         "date,kind,name\n2026-02-30,holiday,x\n",
		"bad kind":         "date,kind,name\n2026-01-01,vacation,x\n",
		"weekday workday":  "date,kind,name\n2026-01-05,workday,x\n",
		"unclosed quoting": "date,kind,name\n\"2026-01-01,holiday,x\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := importer.ReadCalendar(strings.NewReader(body))
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("want invalid, got %v", err)
			}
		})
	}
	// the line reported is the file's, comments counted
	_, err := importer.ReadCalendar(strings.NewReader("# notice\n# more\ndate,kind,name\n2026-01-01,holiday,元旦\n2026-01-05,workday,x\n"))
	if err == nil || !strings.Contains(err.Error(), "line 5") {
		t.Errorf("error %v does not name line 5", err)
	}
	// comments and the header are skipped
	days, err := importer.ReadCalendar(strings.NewReader("# notice\ndate,kind,name\n# more\n2026-01-01,holiday\n"))
	if err != nil || len(days) != 1 || days[0].Date != "2026-01-01" {
		t.Fatalf("got %+v, %v", days, err)
	}
}

func TestSeedCalendarsKeepsEditedYears(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	if err := importer.SeedCalendars(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, year := range []string{"2025", "2026"} {
		y := 2025
		if year == "2026" {
			y = 2026
		}
		got, err := db.CalendarDays(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		if want := readShipped(t, year); !reflect.DeepEqual(got, want) {
			t.Fatalf("seeded %s: %d days, want %d", year, len(got), len(want))
		}
	}
	// an administrator edits 2026: one extra holiday, one holiday dropped
	edited := []domain.CalendarDay{{Date: "2026-01-01", Kind: domain.Holiday, Name: "元旦"}, {Date: "2026-03-03", Kind: domain.Holiday, Name: "本地节日"}}
	if err := db.PutCalendarYear(ctx, 2026, edited); err != nil {
		t.Fatal(err)
	}
	if err := importer.SeedCalendars(ctx, db); err != nil {
		t.Fatal(err)
	}
	got, _ := db.CalendarDays(ctx, 2026)
	if !reflect.DeepEqual(got, edited) {
		t.Fatalf("seeding again overwrote the edited 2026: %+v", got)
	}
	got25, _ := db.CalendarDays(ctx, 2025)
	if !reflect.DeepEqual(got25, readShipped(t, "2025")) {
		t.Fatalf("2025 changed")
	}
	// deadlines follow the edited calendar: Tue 3 Mar is now a holiday
	cal, err := db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mon := time.Date(2026, 3, 2, 9, 0, 0, 0, domain.China)
	if due := cal.Due(mon, domain.Deadline{N: 1, Unit: domain.UnitDay}); !due.Equal(time.Date(2026, 3, 4, 9, 0, 0, 0, domain.China)) {
		t.Errorf("1 working day from Mon 09:00 over an edited holiday: %v, want Wed 09:00", due)
	}
	// a day outside the year, or listed twice, is refused and changes nothing
	for _, bad := range [][]domain.CalendarDay{
		{{Date: "2027-01-01", Kind: domain.Holiday}},
		{{Date: "2026-05-01", Kind: domain.Holiday}, {Date: "2026-05-01", Kind: domain.Holiday}},
	} {
		if err := db.PutCalendarYear(ctx, 2026, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("PutCalendarYear(%v): %v", bad, err)
		}
	}
	if got, _ := db.CalendarDays(ctx, 2026); !reflect.DeepEqual(got, edited) {
		t.Fatalf("a refused edit changed 2026: %+v", got)
	}
}
