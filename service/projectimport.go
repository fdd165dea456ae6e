package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// Projects imported from a table (项目导入, issue 22: "imported from XLSX or entered by
// hand"): the first sheet of an XLSX workbook or a UTF-8 CSV in the layout of the
// template, one project a row. As the registers' import: every row is checked and its
// mistakes reported by row and column in Chinese; the projects are written in one
// transaction only when no row has a mistake (nothing is written otherwise), each
// audited as a project entered by hand, and the import itself audited once.

// MaxProjectImport is the most projects one import enters.
const MaxProjectImport = 2000

// projectColumn is a column of the import: its heading, the field it fills, whether
// it must be filled, and what the template's note says of it.
type projectColumn struct {
	Heading, Key string
	Required     bool
	Hint         string
}

// ProjectImportColumns are the template's columns, in order.
var ProjectImportColumns = []projectColumn{
	{"项目名称", "name", true, "最长200字"},
	{"统一社会信用代码", "investor", true, "投资主体，须已在企业库登记"},
	{"行业", "industry", true, "如 制造业"},
	{"类型", "kind", true, "产业、基础设施或民生"},
	{"总投资（万元）", "total", true, "至多两位小数"},
	{"年度计划（万元）", "year_plan", false, "不超过总投资"},
	{"用地（亩）", "land", false, "至多两位小数"},
	{"地块编号", "parcel", false, ""},
	{"园区", "park", false, ""},
	{"区划代码", "region", true, "项目所在区划，须在本人管辖范围内"},
	{"重点级别", "priority", false, "省重点、市重点、区重点或留空"},
	{"服务等级", "tier", false, "普通、首席、金牌或VIP，留空为普通"},
	{"阶段", "stage", false, "留空为洽谈"},
	{"首席服务官", "leader", false, "登录名；首席、金牌、VIP项目必填"},
	{"金牌代办员", "agent", false, "登录名；金牌、VIP项目必填"},
}

// ProjectImportTemplate is the template to fill, as rows to download (XLSX or CSV):
// the headings, and a second row saying what each column holds, which the import skips.
func ProjectImportTemplate() [][]string {
	head, note := []string{}, []string{}
	for _, c := range ProjectImportColumns {
		head = append(head, c.Heading)
		n := c.Hint
		if c.Required {
			n = strings.TrimSuffix("必填；"+n, "；")
		}
		note = append(note, projectHintMark+n)
	}
	return [][]string{head, note}
}

// projectHintMark begins every cell of the template's note row.
const projectHintMark = "说明："

// ProjectImport is the outcome of an import: the rows read, the projects entered (none
// when any row has a mistake or on a preview) and the mistakes.
type ProjectImport struct {
	Rows     int               `json:"rows"`
	Written  bool              `json:"written"`
	Projects []int64           `json:"projects"`
	Errors   []domain.RowError `json:"errors"`
}

// errImportRejected ends the import's transaction without writing.
var errImportRejected = errors.New("import rejected")

// ImportProjects enters the projects of table (its first row the headings), for the
// administrators and leaders who enter projects by hand (PutProject); a row of a
// region outside theirs refuses the whole import (403), as the enterprises' import
// does. With preview, or when any row has a mistake, nothing is written; the latter
// is answered EINVALID with the mistakes in the result.
func (s *Service) ImportProjects(ctx context.Context, u domain.User, table [][]string, preview bool) (ProjectImport, error) {
	res := ProjectImport{Projects: []int64{}, Errors: []domain.RowError{}}
	if !u.Has(domain.RoleAdmin) && !u.Has(domain.RoleLeader) {
		return res, domain.Errorf(domain.EFORBIDDEN, "projects are entered by the administrators and leaders of their region")
	}
	rows, err := s.readProjectRows(ctx, u, table, &res)
	if err != nil {
		return res, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		for _, r := range rows {
			if id, err := tx.ProjectNamed(r.p.Name, r.p.Investor); err != nil {
				return err
			} else if id != 0 {
				res.fail(r.line, "项目名称", fmt.Sprintf("该投资主体已有同名项目（编号%d）", id))
				continue
			}
			p := r.p
			if err := logPut(ctx, s, tx, u, "project", &p.ID, tx.Project, func() error { return tx.PutProject(&p) }); err != nil {
				return err
			}
			if got, err := tx.Project(p.ID); err != nil {
				return err
			} else if got.InvestorName == "" {
				res.fail(r.line, "统一社会信用代码", "该投资主体未在企业库登记")
				continue
			}
			res.Projects = append(res.Projects, p.ID)
		}
		if preview || len(res.Errors) > 0 {
			return errImportRejected
		}
		return s.audit(ctx, tx, u, "project.import", "project/import", domain.Change{Facts: map[string]any{"rows": res.Rows, "projects": res.Projects}})
	})
	if errors.Is(err, errImportRejected) {
		res.Projects = []int64{}
		if len(res.Errors) > 0 {
			return res, domain.Errorf(domain.EINVALID, "%d 处错误，未导入任何项目", len(res.Errors))
		}
		return res, nil
	}
	res.Written = err == nil
	return res, err
}

// projectRow is one row read: its line in the file (the headings are line 1).
type projectRow struct {
	line int
	p    domain.Project
}

func (r *ProjectImport) fail(line int, column, msg string) {
	if len(r.Errors) < domain.MaxRowErrors {
		r.Errors = append(r.Errors, domain.RowError{Row: line, Column: column, Message: msg})
	}
}

// readProjectRows checks every row of table on its own and against the others;
// what needs the stored projects is checked in the transaction.
func (s *Service) readProjectRows(ctx context.Context, u domain.User, table [][]string, res *ProjectImport) ([]projectRow, error) {
	col, err := importHeadings(table)
	if err != nil {
		return nil, err
	}
	var out []projectRow
	names, regions, users := map[string]int{}, map[string]bool{}, map[string]int64{}
	for n, rec := range table[1:] {
		line := n + 2
		get := func(key string) string {
			if i, ok := col[key]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if blank(rec) || strings.HasPrefix(get("name"), projectHintMark) {
			continue
		}
		if res.Rows++; res.Rows > MaxProjectImport {
			return nil, domain.Errorf(domain.EINVALID, "一次至多导入 %d 个项目", MaxProjectImport)
		}
		before := len(res.Errors)
		fail := func(key, msg string) { res.fail(line, headingOf(key), msg) }
		p := domain.Project{Name: get("name"), Investor: strings.ToUpper(get("investor")), Parcel: get("parcel"), Park: get("park"), Region: get("region")}
		if p.Name == "" || len([]rune(p.Name)) > 200 {
			fail("name", "必填，最长200字")
		} else if first, dup := names[p.Name+"\x00"+p.Investor]; dup {
			fail("name", fmt.Sprintf("与第%d行的项目相同", first))
		} else {
			names[p.Name+"\x00"+p.Investor] = line
		}
		if err := domain.ValidUSCC(p.Investor); err != nil {
			fail("investor", "不是有效的统一社会信用代码")
		}
		p.Industry = industryByName(get("industry"))
		if _, ok := domain.Industries[p.Industry]; !ok {
			fail("industry", fmt.Sprintf("未知行业「%s」", get("industry")))
		}
		p.Kind = domain.ProjectKind(byName(get("kind"), domain.ProjectKindNames))
		if !slices.Contains(domain.ProjectKinds, p.Kind) {
			fail("kind", "应为 产业、基础设施 或 民生")
		}
		for key, to := range map[string]*domain.Amount{"total": &p.Total, "year_plan": &p.YearPlan, "land": &p.Land} {
			if v := get(key); v != "" {
				a, err := domain.ParseAmount(strings.ReplaceAll(v, ",", ""))
				if err != nil {
					fail(key, "应为不为负、至多两位小数的数")
				}
				*to = a
			}
		}
		if p.YearPlan > p.Total {
			fail("year_plan", "年度计划不能超过总投资")
		}
		if len(p.Park) > 200 || len(p.Parcel) > 100 {
			fail("park", "园区或地块编号过长")
		}
		if ok, seen := regions[p.Region]; !seen {
			_, err := s.db.Region(ctx, p.Region)
			regions[p.Region] = err == nil
			if !regions[p.Region] {
				fail("region", fmt.Sprintf("区划代码「%s」不存在", p.Region))
			}
		} else if !ok {
			fail("region", fmt.Sprintf("区划代码「%s」不存在", p.Region))
		}
		if regions[p.Region] && !domain.RoleIn(u, &domain.Project{Region: p.Region}).Admin {
			return nil, domain.Errorf(domain.EFORBIDDEN, "row %d: projects of region %s are entered by its administrators and leaders", line, p.Region)
		}
		p.Priority = byName(get("priority"), domain.PriorityNames)
		if !slices.Contains(domain.Priorities, p.Priority) {
			fail("priority", "应为 省重点、市重点、区重点 或留空")
		}
		if p.Tier = domain.Tier(byName(get("tier"), domain.TierNames)); p.Tier == "" {
			p.Tier = domain.TierNormal
		} else if !slices.Contains(domain.Tiers, p.Tier) {
			fail("tier", "应为 普通、首席、金牌 或 VIP")
		}
		if p.Stage = domain.Stage(byName(get("stage"), domain.StageNames)); p.Stage != "" && p.Stage.Index() < 0 {
			fail("stage", fmt.Sprintf("「%s」不是项目阶段", get("stage")))
		}
		s.importPeople(ctx, &p, get, users, fail)
		if len(res.Errors) == before {
			if err := p.Validate(); err != nil { // what the checks above do not name
				res.fail(line, "", domain.ErrorMessage(err))
				continue
			}
			out = append(out, projectRow{line, p})
		}
	}
	if res.Rows == 0 {
		return nil, domain.Errorf(domain.EINVALID, "表格中没有项目")
	}
	return out, nil
}

// importHeadings finds the columns by their headings (or field names), refusing a
// table without the required ones.
func importHeadings(table [][]string) (map[string]int, error) {
	if len(table) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "表格为空：第一行应为列名（可下载导入模板）")
	}
	col := map[string]int{}
	for i, h := range table[0] {
		for _, c := range ProjectImportColumns {
			if headingKey(h) == headingKey(c.Heading) || headingKey(h) == c.Key {
				col[c.Key] = i
			}
		}
	}
	var missing []string
	for _, c := range ProjectImportColumns {
		if _, ok := col[c.Key]; !ok && c.Required {
			missing = append(missing, c.Heading)
		}
	}
	if len(missing) > 0 {
		return nil, domain.Errorf(domain.EINVALID, "列名行缺少：%s（可下载导入模板）", strings.Join(missing, "、"))
	}
	return col, nil
}

// importPeople reads a row's 首席服务官 and 金牌代办员 by login (users caches the
// logins looked up, 0 for none) and checks the tier names those it needs.
func (s *Service) importPeople(ctx context.Context, p *domain.Project, get func(string) string, users map[string]int64, fail func(key, msg string)) {
	for key, to := range map[string]*int64{"leader": &p.LeaderID, "agent": &p.AgentID} {
		login := strings.ToLower(get(key))
		if login == "" {
			continue
		}
		id, seen := users[login]
		if !seen {
			if x, err := s.db.UserByLogin(ctx, login); err == nil {
				id = x.ID
			}
			users[login] = id
		}
		if id == 0 {
			fail(key, fmt.Sprintf("没有登录名为「%s」的用户", login))
		}
		*to = id
	}
	if p.Tier != domain.TierNormal && get("leader") == "" {
		fail("leader", "首席、金牌、VIP项目须填写首席服务官")
	}
	if (p.Tier == domain.TierGold || p.Tier == domain.TierVIP) && get("agent") == "" {
		fail("agent", "金牌、VIP项目须填写金牌代办员")
	}
}

// headingKey is a heading as compared: without spaces, brackets in ASCII, lower case.
func headingKey(h string) string {
	h = strings.NewReplacer("\ufeff", "", " ", "", "\u3000", "", "（", "(", "）", ")").Replace(strings.TrimSpace(h))
	return strings.ToLower(h)
}

func headingOf(key string) string {
	for _, c := range ProjectImportColumns {
		if c.Key == key {
			return c.Heading
		}
	}
	return key
}

// byName is the code whose name is v, or v itself (a code, or nothing known).
func byName[K ~string](v string, names map[K]string) string {
	for k, n := range names {
		if v == n && v != "" {
			return string(k)
		}
	}
	return v
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
