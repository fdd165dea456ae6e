package domain

import (
	"strings"
	"time"
)

// Checklist is an admin-defined checklist template. A community checklist (like the
// "八个一" of 蓝田街道) is worked through once a year per community, each item with
// evidence; a patrol checklist is answered item by item on every patrol.
type Checklist struct {
	ID    int64           `json:"id"`
	Code  string          `json:"code"`
	Name  string          `json:"name"`
	Kind  string          `json:"kind"` // community, patrol
	Items []ChecklistItem `json:"items"`
}

// ChecklistItem is one thing to do or check, and the evidence that shows it done.
type ChecklistItem struct {
	Code     string `json:"code"`
	Title    string `json:"title"`
	Evidence string `json:"evidence,omitempty"` // what evidence is expected
}

// ChecklistKinds are the kinds of template.
var ChecklistKinds = []string{"community", "patrol"}

// Validate checks a template: a code, a name, a kind, and 1..50 items with unique codes.
func (c *Checklist) Validate() error {
	c.Code, c.Name = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name)
	if c.Code == "" || len(c.Code) > 40 || c.Name == "" || len([]rune(c.Name)) > 200 {
		return Errorf(EINVALID, "a checklist needs a code (at most 40 characters) and a name")
	}
	if !oneOf(c.Kind, ChecklistKinds) {
		return Errorf(EINVALID, "kind must be community or patrol")
	}
	if len(c.Items) == 0 || len(c.Items) > 50 {
		return Errorf(EINVALID, "a checklist has 1 to 50 items")
	}
	seen := map[string]bool{}
	for i := range c.Items {
		it := &c.Items[i]
		it.Code, it.Title = strings.TrimSpace(it.Code), strings.TrimSpace(it.Title)
		if it.Code == "" || len(it.Code) > 40 || it.Title == "" || len(it.Title) > 500 || len(it.Evidence) > 500 {
			return Errorf(EINVALID, "item %d needs a code and a title", i+1)
		}
		if seen[it.Code] {
			return Errorf(EINVALID, "item code %q appears twice", it.Code)
		}
		seen[it.Code] = true
	}
	return nil
}

// Item finds an item by code.
func (c Checklist) Item(code string) (ChecklistItem, bool) {
	for _, it := range c.Items {
		if it.Code == code {
			return it, true
		}
	}
	return ChecklistItem{}, false
}

// ChecklistAnswer is one item answered on a patrol: fine, or not (with a note saying what).
type ChecklistAnswer struct {
	Item string `json:"item"`
	OK   bool   `json:"ok"`
	Note string `json:"note,omitempty"`
}

// CheckAnswers checks a patrol's answers against a patrol checklist: every item
// answered exactly once, and a note wherever an item is not fine.
func (c Checklist) CheckAnswers(answers []ChecklistAnswer) error {
	if c.Kind != "patrol" {
		return Errorf(EINVALID, "checklist %s is not a patrol checklist", c.Code)
	}
	got := map[string]bool{}
	for _, a := range answers {
		if _, ok := c.Item(a.Item); !ok {
			return Errorf(EINVALID, "checklist %s has no item %q", c.Code, a.Item)
		}
		if got[a.Item] {
			return Errorf(EINVALID, "item %q answered twice", a.Item)
		}
		if !a.OK && strings.TrimSpace(a.Note) == "" {
			return Errorf(EINVALID, "item %q is not fine: say what is wrong in its note", a.Item)
		}
		if len(a.Note) > 2000 {
			return Errorf(EINVALID, "note of item %q is too long", a.Item)
		}
		got[a.Item] = true
	}
	for _, it := range c.Items {
		if !got[it.Code] {
			return Errorf(EINVALID, "item %q (%s) is not answered", it.Code, it.Title)
		}
	}
	return nil
}

// ChecklistEntry records one item of a community checklist done, with its evidence.
type ChecklistEntry struct {
	ID        int64     `json:"id"`
	Checklist int64     `json:"checklist"`
	Region    string    `json:"region"`
	Year      int       `json:"year"`
	Item      string    `json:"item"`
	Evidence  string    `json:"evidence"`
	Photos    []string  `json:"photos"`
	UserID    int64     `json:"user_id"`
	At        time.Time `json:"at"`
}

// Validate checks an entry's evidence against its template.
func (e *ChecklistEntry) Validate(c Checklist) error {
	if c.Kind != "community" {
		return Errorf(EINVALID, "checklist %s is answered on patrols, not item by item", c.Code)
	}
	if _, ok := c.Item(e.Item); !ok {
		return Errorf(EINVALID, "checklist %s has no item %q", c.Code, e.Item)
	}
	e.Evidence = strings.TrimSpace(e.Evidence)
	if e.Evidence == "" || len(e.Evidence) > 5000 {
		return Errorf(EINVALID, "evidence is required: say what was done (at most 5000 characters)")
	}
	if lvl, err := LevelOf(e.Region); err != nil || lvl != LevelVillage {
		return Errorf(EINVALID, "region must be a community (12 digits)")
	}
	if e.Photos == nil {
		e.Photos = []string{}
	}
	return ValidPhotos(e.Photos)
}

// ChecklistProgress is how far one community is with a community checklist in a year.
type ChecklistProgress struct {
	Region string         `json:"region"`
	Name   string         `json:"name,omitempty"`
	Year   int            `json:"year"`
	Done   int            `json:"done"`
	Total  int            `json:"total"`
	Items  []ItemProgress `json:"items"`
}

// ItemProgress is one item of a community's progress: done when it has evidence.
type ItemProgress struct {
	Code     string     `json:"code"`
	Title    string     `json:"title"`
	Done     bool       `json:"done"`
	At       *time.Time `json:"at,omitempty"`
	Evidence string     `json:"evidence,omitempty"`
}

// Progress folds a community's entries (latest per item wins) into its progress.
func (c Checklist) Progress(region string, year int, entries []ChecklistEntry) ChecklistProgress {
	p := ChecklistProgress{Region: region, Year: year, Total: len(c.Items), Items: []ItemProgress{}}
	latest := map[string]ChecklistEntry{}
	for _, e := range entries {
		if e.Region == region && e.Year == year && e.Checklist == c.ID {
			if l, ok := latest[e.Item]; !ok || e.At.After(l.At) {
				latest[e.Item] = e
			}
		}
	}
	for _, it := range c.Items {
		ip := ItemProgress{Code: it.Code, Title: it.Title}
		if e, ok := latest[it.Code]; ok {
			at := e.At
			ip.Done, ip.At, ip.Evidence = true, &at, e.Evidence
			p.Done++
		}
		p.Items = append(p.Items, ip)
	}
	return p
}

// EightOnes is the "八个一" set of 蓝田街道 for a community: each linked department and
// community works through these once a year, each with its evidence.
var EightOnes = Checklist{Code: "8x1", Name: "安全发展“八个一”", Kind: "community", Items: []ChecklistItem{
	{"meeting", "组织一次专题研判会商，确定重点区域、领域", "会议纪要、签到表"},
	{"duty", "明确一套责任机制", "责任分工文件"},
	{"log", "建立一个安全发展巡查记录", "巡查记录台账"},
	{"plan", "明确一个重点区域或领域应急响应预案", "应急预案文本"},
	{"training", "开展一次相应区域的宣传培训屋场会", "屋场会照片、签到表"},
	{"board", "发布一套公示牌", "公示牌照片"},
	{"supplies", "强化一批对应的应急物资装备", "物资清单、照片"},
	{"drill", "开展一次有针对性的应急演练", "演练方案、照片"},
}}

// SafetyPatrol is the patrol checklist of a community safety patrol (安全生产巡查).
var SafetyPatrol = Checklist{Code: "patrol-safety", Name: "社区安全生产巡查", Kind: "patrol", Items: []ChecklistItem{
	{"fire_lane", "消防通道畅通，无堵塞占用", ""},
	{"extinguisher", "消防设施完好有效", ""},
	{"ebike", "无电动车楼道停放、飞线充电", ""},
	{"wiring", "无私拉乱接电线", ""},
	{"gas", "燃气管道、阀门、软管完好", ""},
	{"building", "房屋、外墙无开裂脱落", ""},
	{"slope", "边坡、山塘等无险情", ""},
	{"signs", "安全警示标识齐全", ""},
}}
