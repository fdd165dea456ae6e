package domain

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// MixCheck is one criterion of a mixing, scored 0–100 and explained.
type MixCheck struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Hard   bool   `json:"hard"`
	OK     bool   `json:"ok"`
	Score  int    `json:"score"`
	Detail string `json:"detail"`
}

// MixReport scores a placement: the hard rules (held or not) and the balance.
type MixReport struct {
	HardOK  bool       `json:"hard_ok"`
	Balance int        `json:"balance"` // mean of the soft scores
	Checks  []MixCheck `json:"checks"`
	Groups  int        `json:"groups"`
	Rooms   int        `json:"rooms"`
}

// ScoreMix scores trainees as placed (Group and Room from 1), with the class's room
// size and hand rules: after Mix, and again after every hand edit.
func ScoreMix(ts []Trainee, roomSize int, rules []MixRule) MixReport {
	groups := map[int][]Trainee{}
	rooms := map[int][]Trainee{}
	for _, t := range ts {
		groups[t.Group] = append(groups[t.Group], t)
		rooms[t.Room] = append(rooms[t.Room], t)
	}
	r := MixReport{Groups: len(groups), Rooms: len(rooms)}
	r.Checks = []MixCheck{
		checkSources(ts, groups),
		checkRoomGender(rooms, roomSize),
		checkRoomMixed(ts, rooms, roomSize),
		checkRules(ts, rules),
		checkUnits(ts, groups),
		checkBalance(ts, groups, "ranks", "职级均衡", func(t Trainee) string { return t.Rank }),
		checkBalance(ts, groups, "genders", "性别均衡", func(t Trainee) string { return t.Gender }),
		checkBalance(ts, groups, "ages", "年龄均衡", func(t Trainee) string { return AgeBand(t.Age) }),
		checkBalance(ts, groups, "fields", "领域均衡", func(t Trainee) string { return t.Field }),
	}
	r.HardOK = true
	soft, n := 0, 0
	for _, c := range r.Checks {
		if c.Hard {
			r.HardOK = r.HardOK && c.OK
		} else {
			soft += c.Score
			n++
		}
	}
	r.Balance = soft / n
	return r
}

func sortedKeys(m map[int][]Trainee) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

func countBy(ts []Trainee, f func(Trainee) string) map[string]int {
	m := map[string]int{}
	for _, t := range ts {
		m[f(t)]++
	}
	return m
}

func sortedNames(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// within tells whether c is the floor or ceiling of the share want.
func within(c int, want float64) bool {
	return float64(c) >= math.Floor(want+1e-9) && float64(c) <= math.Ceil(want-1e-9)
}

func percent(ok, all int) int {
	if all == 0 {
		return 100
	}
	return ok * 100 / all
}

func firstFew(xs []string) string {
	if len(xs) > 3 {
		return strings.Join(xs[:3], "；") + fmt.Sprintf(" 等 %d 处", len(xs))
	}
	return strings.Join(xs, "；")
}

func checkSources(ts []Trainee, groups map[int][]Trainee) MixCheck {
	total := countBy(ts, func(t Trainee) string { return t.Source })
	c := MixCheck{Key: "sources", Name: "来源对等", Hard: true}
	var bad []string
	ok := 0
	for _, g := range sortedKeys(groups) {
		in := countBy(groups[g], func(t Trainee) string { return t.Source })
		good := true
		for _, src := range sortedNames(total) {
			want := float64(total[src]*len(groups[g])) / float64(len(ts))
			if !within(in[src], want) {
				good = false
				bad = append(bad, fmt.Sprintf("第 %d 组 %s %d 人（按比例应为 %.1f）", g, src, in[src], want))
			}
		}
		if good {
			ok++
		}
	}
	c.OK, c.Score = len(bad) == 0, percent(ok, len(groups))
	var parts []string
	for _, src := range sortedNames(total) {
		parts = append(parts, fmt.Sprintf("%s %d 人", src, total[src]))
	}
	c.Detail = fmt.Sprintf("全班 %s；%d 个组中 %d 个组各来源人数与比例相差不到 1 人", strings.Join(parts, "、"), len(groups), ok)
	if len(bad) > 0 {
		c.Detail += "。不符：" + firstFew(bad)
	}
	return c
}

func checkRoomGender(rooms map[int][]Trainee, size int) MixCheck {
	c := MixCheck{Key: "rooms_gender", Name: "同住同性别", Hard: true}
	var bad []string
	for _, r := range sortedKeys(rooms) {
		g := countBy(rooms[r], func(t Trainee) string { return t.Gender })
		if len(g) > 1 {
			bad = append(bad, fmt.Sprintf("%d 号房男女混住", r))
		}
		if len(rooms[r]) > size {
			bad = append(bad, fmt.Sprintf("%d 号房住 %d 人，超过每间 %d 人", r, len(rooms[r]), size))
		}
	}
	c.OK, c.Score = len(bad) == 0, percent(len(rooms)-len(bad), len(rooms))
	c.Detail = fmt.Sprintf("%d 间房，每间至多 %d 人、同一性别", len(rooms), size)
	if len(bad) > 0 {
		c.Detail += "。不符：" + firstFew(bad)
	}
	return c
}

func checkRoomMixed(ts []Trainee, rooms map[int][]Trainee, size int) MixCheck {
	c := MixCheck{Key: "rooms_mixed", Name: "同住不同来源", Hard: true}
	minimum := 0
	for _, g := range Genders {
		var of []Trainee
		for _, t := range ts {
			if t.Gender == g {
				of = append(of, t)
			}
		}
		cnt := countBy(of, func(t Trainee) string { return t.Source })
		var counts []int
		for _, v := range cnt {
			counts = append(counts, v)
		}
		minimum += MinUnmixedRooms(counts, size)
	}
	unmixed, shared := 0, 0
	var bad []string
	for _, r := range sortedKeys(rooms) {
		if len(rooms[r]) < 2 {
			continue
		}
		shared++
		if len(countBy(rooms[r], func(t Trainee) string { return t.Source })) == 1 {
			unmixed++
			bad = append(bad, fmt.Sprintf("%d 号房同为%s", r, rooms[r][0].Source))
		}
	}
	c.OK = unmixed <= minimum
	c.Score = percent(shared-unmixed, shared)
	c.Detail = fmt.Sprintf("%d 间合住房中 %d 间来自不同来源；人数所限，至少 %d 间只能同来源", shared, shared-unmixed, minimum)
	if unmixed > 0 {
		c.Detail += "：" + firstFew(bad)
	}
	return c
}

func checkRules(ts []Trainee, rules []MixRule) MixCheck {
	c := MixCheck{Key: "rules", Name: "手工规则", Hard: true}
	by := map[int64]Trainee{}
	for _, t := range ts {
		by[t.ID] = t
	}
	var bad []string
	for _, r := range rules {
		a, b := by[r.A], by[r.B]
		switch {
		case r.Kind == RuleTogether && a.Group != b.Group:
			bad = append(bad, fmt.Sprintf("%s 与 %s 应同组", a.Name, b.Name))
		case r.Kind == RuleApart && (a.Group == b.Group || a.Room == b.Room):
			bad = append(bad, fmt.Sprintf("%s 与 %s 应分开", a.Name, b.Name))
		}
	}
	c.OK, c.Score = len(bad) == 0, percent(len(rules)-len(bad), len(rules))
	c.Detail = fmt.Sprintf("%d 条规则，%d 条满足", len(rules), len(rules)-len(bad))
	if len(bad) > 0 {
		c.Detail += "。不符：" + firstFew(bad)
	}
	return c
}

func pairs(c int) int { return c * (c - 1) / 2 }

func checkUnits(ts []Trainee, groups map[int][]Trainee) MixCheck {
	c := MixCheck{Key: "units", Name: "单位分散"}
	total := countBy(ts, func(t Trainee) string { return t.Unit })
	g := len(groups)
	least, worst := 0, 0
	for _, m := range total {
		a, b := m/g, m%g
		least += b*pairs(a+1) + (g-b)*pairs(a)
		worst += pairs(m)
	}
	have := 0
	var bad []string
	for _, k := range sortedKeys(groups) {
		in := countBy(groups[k], func(t Trainee) string { return t.Unit })
		for _, u := range sortedNames(in) {
			if in[u] > 1 {
				have += pairs(in[u])
				bad = append(bad, fmt.Sprintf("第 %d 组 %s %d 人", k, u, in[u]))
			}
		}
	}
	c.Score = 100
	if have > least && worst > least {
		c.Score = 100 - (have-least)*100/(worst-least)
	}
	c.Detail = fmt.Sprintf("同组同单位 %d 对，人数所限至少 %d 对", have, least)
	if len(bad) > 0 {
		c.Detail += "：" + firstFew(bad)
	}
	return c
}

func checkBalance(ts []Trainee, groups map[int][]Trainee, key, name string, f func(Trainee) string) MixCheck {
	c := MixCheck{Key: key, Name: name}
	total := countBy(ts, f)
	cells, ok := 0, 0
	worst, worstText := 0.0, ""
	for _, g := range sortedKeys(groups) {
		in := countBy(groups[g], f)
		for _, v := range sortedNames(total) {
			want := float64(total[v]*len(groups[g])) / float64(len(ts))
			cells++
			if within(in[v], want) {
				ok++
			}
			if d := math.Abs(float64(in[v]) - want); d > worst+1e-9 {
				worst = d
				worstText = fmt.Sprintf("第 %d 组%s %d 人，按比例应为 %.1f", g, labelOf(v), in[v], want)
			}
		}
	}
	c.Score = percent(ok, cells)
	c.Detail = fmt.Sprintf("%d 个类别 × %d 个组，%d 格与全班比例相差不到 1 人", len(total), len(groups), ok)
	if worst >= 1 {
		c.Detail += "；相差最多：" + worstText
	}
	return c
}

func labelOf(v string) string {
	if v == "" {
		return "（未填）"
	}
	return v
}

// MoveTrainee moves one trainee to another group by hand (to a group from 1 to
// groups); the placement is then scored again.
func MoveTrainee(ts []Trainee, id int64, group, groups int) error {
	if group < 1 || group > groups {
		return Invalidf("mix.group", "组号须在 1 到 %d 之间", groups)
	}
	for i := range ts {
		if ts[i].ID == id {
			if ts[i].Group == 0 {
				return Errorf(ECONFLICT, "班级尚未混编")
			}
			ts[i].Group = group
			return nil
		}
	}
	return Errorf(ENOTFOUND, "本班没有编号为 %d 的学员", id)
}

// SwapRooms exchanges two trainees' rooms by hand; rooms stay one gender.
func SwapRooms(ts []Trainee, a, b int64) error {
	ia, ib := -1, -1
	for i := range ts {
		switch ts[i].ID {
		case a:
			ia = i
		case b:
			ib = i
		}
	}
	if ia < 0 || ib < 0 {
		return Errorf(ENOTFOUND, "本班没有这两名学员")
	}
	if ts[ia].Gender != ts[ib].Gender {
		return Invalidf("mix.room", "房间须同性别：%s 与 %s 性别不同，不能互换房间", ts[ia].Name, ts[ib].Name)
	}
	ts[ia].Room, ts[ib].Room = ts[ib].Room, ts[ia].Room
	return nil
}

// MixGroup is one group of a mixed class, for lists and print.
type MixGroup struct {
	No       int
	Trainees []Trainee
	Sources  string // "株洲市委党校 5、萍乡市委党校 5"
	Men      int
	Women    int
	MeanAge  float64
}

// MixRoom is one room of a mixed class.
type MixRoom struct {
	No       int
	Gender   string
	Trainees []Trainee
}

// MixGroups lists a placement's groups in order, each with its trainees by source then
// name.
func MixGroups(ts []Trainee) []MixGroup {
	by := map[int][]Trainee{}
	for _, t := range ts {
		if t.Group > 0 {
			by[t.Group] = append(by[t.Group], t)
		}
	}
	var out []MixGroup
	for _, no := range sortedKeys(by) {
		g := MixGroup{No: no, Trainees: by[no]}
		sort.SliceStable(g.Trainees, func(i, j int) bool { return g.Trainees[i].Source < g.Trainees[j].Source })
		age := 0
		for _, t := range g.Trainees {
			age += t.Age
			if t.Gender == GenderMale {
				g.Men++
			} else {
				g.Women++
			}
		}
		g.MeanAge = float64(age) / float64(len(g.Trainees))
		cnt := countBy(g.Trainees, func(t Trainee) string { return t.Source })
		var parts []string
		for _, s := range sortedNames(cnt) {
			parts = append(parts, fmt.Sprintf("%s %d", s, cnt[s]))
		}
		g.Sources = strings.Join(parts, "、")
		out = append(out, g)
	}
	return out
}

// MixRooms lists a placement's rooms in order.
func MixRooms(ts []Trainee) []MixRoom {
	by := map[int][]Trainee{}
	for _, t := range ts {
		if t.Room > 0 {
			by[t.Room] = append(by[t.Room], t)
		}
	}
	var out []MixRoom
	for _, no := range sortedKeys(by) {
		out = append(out, MixRoom{No: no, Gender: by[no][0].Gender, Trainees: by[no]})
	}
	return out
}
