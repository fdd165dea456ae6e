package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A party school's joint class (混编培训班): trainees from several sources (schools or
// regions) who study, live and visit together, mixed into groups and rooms
// (mixing.go). The school's staff are officers of the school's org; the class belongs
// to that org and its region.

// Genders of trainees, as the rosters write them.
const (
	GenderMale   = "男"
	GenderFemale = "女"
)

// TrainingClass is one joint class.
type TrainingClass struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Org       string    `json:"org"`    // the school that runs it
	Region    string    `json:"region"` // where the school acts
	StartsOn  string    `json:"starts_on,omitempty"`
	EndsOn    string    `json:"ends_on,omitempty"`
	GroupSize int       `json:"group_size"` // mixing asked for: groups of at most
	RoomSize  int       `json:"room_size"`
	Seed      int64     `json:"seed"`
	MixedAt   time.Time `json:"mixed_at,omitzero"`
	Trainees  int       `json:"trainees"`
	Version   int       `json:"version"`
}

// Validate checks a class as filed or edited.
func (c *TrainingClass) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	switch {
	case c.Name == "" || len([]rune(c.Name)) > 100:
		return Invalidf("training.name", "班级名称必填，最多 100 字")
	case c.Org == "":
		return Invalidf("training.org", "须指明办班的党校（部门）")
	}
	for _, d := range []struct{ field, v string }{{"starts_on", c.StartsOn}, {"ends_on", c.EndsOn}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return Invalidf("training."+d.field, "%s 须为 YYYY-MM-DD 格式的日期", d.field)
		}
	}
	if c.StartsOn != "" && c.EndsOn != "" && c.EndsOn < c.StartsOn {
		return Invalidf("training.ends_on", "结业日期早于开班日期")
	}
	if c.GroupSize == 0 {
		c.GroupSize = 10
	}
	if c.RoomSize == 0 {
		c.RoomSize = 2
	}
	if c.GroupSize < 2 || c.GroupSize > 100 {
		return Invalidf("training.group_size", "每组人数须在 2 到 100 之间")
	}
	if c.RoomSize < 1 || c.RoomSize > 8 {
		return Invalidf("training.room_size", "每间房的人数须在 1 到 8 之间")
	}
	return nil
}

// Trainee is one person of a class; Group and Room are the mixing's (0: not mixed).
type Trainee struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source"` // 来源: the sending school or region
	Unit   string `json:"unit"`   // 单位
	Rank   string `json:"rank"`   // 职级
	Gender string `json:"gender"` // 男 / 女
	Age    int    `json:"age"`
	Field  string `json:"field"` // 领域
	Group  int    `json:"group"`
	Room   int    `json:"room"`
}

// Validate checks one trainee; the errors name the column as the roster heads it.
func (t *Trainee) Validate() error {
	t.Name, t.Source, t.Unit = strings.TrimSpace(t.Name), strings.TrimSpace(t.Source), strings.TrimSpace(t.Unit)
	t.Rank, t.Gender, t.Field = strings.TrimSpace(t.Rank), strings.TrimSpace(t.Gender), strings.TrimSpace(t.Field)
	switch t.Gender {
	case "M", "m", "male":
		t.Gender = GenderMale
	case "F", "f", "female":
		t.Gender = GenderFemale
	}
	switch {
	case t.Name == "" || len([]rune(t.Name)) > 50:
		return Invalidf("trainee.name", "「姓名」必填，最多 50 字")
	case t.Source == "" || len([]rune(t.Source)) > 50:
		return Invalidf("trainee.source", "「来源」必填（选派的党校或地区），最多 50 字")
	case t.Unit == "" || len([]rune(t.Unit)) > 100:
		return Invalidf("trainee.unit", "「单位」必填，最多 100 字")
	case len([]rune(t.Rank)) > 30:
		return Invalidf("trainee.rank", "「职级」最多 30 字")
	case t.Gender != GenderMale && t.Gender != GenderFemale:
		return Invalidf("trainee.gender", "「性别」须为「男」或「女」")
	case t.Age < 18 || t.Age > 80:
		return Invalidf("trainee.age", "「年龄」须为 18 到 80 之间的整数")
	case len([]rune(t.Field)) > 50:
		return Invalidf("trainee.field", "「领域」最多 50 字")
	}
	return nil
}

// TraineeColumns are the roster's columns, as the import reads and the export writes.
var TraineeColumns = []string{"姓名", "来源", "单位", "职级", "性别", "年龄", "领域"}

// RowErrorText is a roster problem as one line: row, column, message.
func RowErrorText(e RowError) string {
	if e.Column == "" {
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行「%s」列：%s", e.Row, e.Column, e.Message)
}

// ParseTrainees reads a roster sheet: a header row naming the columns (in any order;
// 姓名 来源 单位 性别 年龄 needed), then one trainee a row. Every problem is reported
// by row and column; blank rows are skipped.
func ParseTrainees(rows [][]string) ([]Trainee, []RowError) {
	if len(rows) == 0 {
		return nil, []RowError{{Row: 1, Message: "表格是空的：第一行须为表头（" + strings.Join(TraineeColumns, "、") + "）"}}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	var errs []RowError
	for _, need := range []string{"姓名", "来源", "单位", "性别", "年龄"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, RowError{Row: 1, Column: need, Message: "表头缺少这一列"})
		}
	}
	if errs != nil {
		return nil, errs
	}
	get := func(r []string, name string) string {
		if i, ok := col[name]; ok && i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	var out []Trainee
	for n, r := range rows[1:] {
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		row := n + 2
		t := Trainee{Name: get(r, "姓名"), Source: get(r, "来源"), Unit: get(r, "单位"), Rank: get(r, "职级"),
			Gender: get(r, "性别"), Field: get(r, "领域")}
		age := get(r, "年龄")
		if a, err := strconv.Atoi(strings.TrimSuffix(age, "岁")); err == nil {
			t.Age = a
		} else {
			errs = append(errs, RowError{Row: row, Column: "年龄", Message: fmt.Sprintf("「%s」不是整数", age)})
			continue
		}
		if err := t.Validate(); err != nil {
			errs = append(errs, RowError{Row: row, Column: columnOf(err), Message: ErrorMessage(err)})
			continue
		}
		out = append(out, t)
	}
	if len(out) > MaxTrainees {
		errs = append(errs, RowError{Row: len(rows), Message: fmt.Sprintf("一个班最多 %d 名学员", MaxTrainees)})
	}
	return out, errs
}

// MaxTrainees bounds a class.
const MaxTrainees = 5000

func columnOf(err error) string {
	keys := map[string]string{"trainee.name": "姓名", "trainee.source": "来源", "trainee.unit": "单位",
		"trainee.rank": "职级", "trainee.gender": "性别", "trainee.age": "年龄", "trainee.field": "领域"}
	if e, ok := err.(*Error); ok {
		return keys[e.Key]
	}
	return ""
}

// TrainingManages tells whether u runs class c: the school's officers, and the
// administrators of the region it is held in.
func TrainingManages(u User, c TrainingClass) bool {
	for _, g := range u.Grants {
		if g.Role == RoleOfficer && g.Org == c.Org || g.Role == RoleAdmin && Within(c.Region, g.Region) {
			return true
		}
	}
	return false
}

// TrainingReads tells whether u sees class c: who runs it, and the region's leaders.
func TrainingReads(u User, c TrainingClass) bool {
	if TrainingManages(u, c) {
		return true
	}
	for _, g := range u.Grants {
		if g.Role == RoleLeader && Within(c.Region, g.Region) {
			return true
		}
	}
	return false
}

// TrainingRole tells whether u's role ever sees classes: officers, leaders and
// administrators.
func TrainingRole(u User) bool {
	return u.Has(RoleOfficer) || u.Has(RoleLeader) || u.Has(RoleAdmin)
}
