// Package demo loads the demo district: 湖南省娄底市涟源市蓝田街道 with its real
// communities, generated grids, the "1+N" departments, the matter catalog, a user for
// every role and a year of synthetic history.
package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/importer"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
)

//go:embed data/*.csv
var files embed.FS

// Street is the demo's street, 蓝田街道.
const Street = "431382001"

// County is the demo's county-level city, 涟源市: the region the installation serves.
const County = "431382"

// Password is every demo user's password; it is printed at start.
const Password = "whistle-demo"

// Login is one demo login, for printing.
type Login struct {
	Login, Role, Scope, Name string
}

// Loaded tells whether the demo is already in the database.
func Loaded(ctx context.Context, db *store.DB) bool {
	_, err := db.UserByLogin(ctx, "demo.dispatcher")
	return err == nil
}

// Load loads the demo unless it is there already, then returns the demo logins.
// cases is how many history cases to generate.
func Load(ctx context.Context, db *store.DB, cases int) ([]Login, error) {
	svc := service.New(db)
	if Loaded(ctx, db) {
		return logins, nil
	}
	if err := loadRegions(ctx, db); err != nil {
		return nil, err
	}
	if err := loadOrgs(ctx, db); err != nil {
		return nil, err
	}
	body, _ := files.ReadFile("data/matters.csv")
	ms, err := importer.ReadMatters(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if err := db.PutMatters(ctx, ms); err != nil {
		return nil, err
	}
	if err := db.PutSetting(ctx, service.GovernmentSetting, "涟源市人民政府"); err != nil { // 公众页面和回执的抬头
		return nil, err
	}
	// the demo serves 涟源市; 渌口区 is there for its projects only (service.InstallationSetting)
	if err := db.PutSetting(ctx, service.InstallationSetting, County); err != nil {
		return nil, err
	}
	if err := db.PutSetting(ctx, service.ProblemMatterSetting, "QY-007"); err != nil { // 联企干部走访收集问题
		return nil, err
	}
	if err := db.PutSetting(ctx, service.RiskMattersSetting, `{"lost_job":"LD-001","illness":"MZ-006","housing":"MZ-001","other":"MZ-001"}`); err != nil {
		return nil, err
	}
	if err := importer.SeedCalendars(ctx, db); err != nil {
		return nil, err
	}
	users, err := loadUsers(ctx, db, svc)
	if err != nil {
		return nil, err
	}
	if err := loadLinkages(ctx, db, users); err != nil {
		return nil, err
	}
	if err := History(ctx, db, ms, users, cases); err != nil {
		return nil, err
	}
	if err := LoadWindows(ctx, db, users); err != nil {
		return nil, err
	}
	if err := LoadGroups(ctx, db, users); err != nil {
		return nil, err
	}
	if err := Patrols(ctx, db, users); err != nil {
		return nil, err
	}
	if err := LoadProjects(ctx, db, users); err != nil {
		return nil, err
	}
	if err := LoadRectification(ctx, db, users); err != nil {
		return nil, err
	}
	if err := LoadKnowledge(ctx, db, users); err != nil {
		return nil, err
	}
	if err := LoadReplyTemplates(ctx, db, users); err != nil {
		return nil, err
	}
	if err := LoadAssessments(ctx, db, svc, users); err != nil {
		return nil, err
	}
	if err := LoadTraining(ctx, svc, users); err != nil {
		return nil, err
	}
	if err := LoadStaffing(ctx, db, svc, users); err != nil {
		return nil, err
	}
	// the history's words are indexed now, as at the end of any bulk load, rather
	// than by serve's indexer after the first searches
	if _, err := db.IndexAllWords(ctx); err != nil {
		return nil, err
	}
	if cases >= LandDemoFrom {
		if err := LoadLand(ctx, db, LandDemoHouseholds); err != nil {
			return nil, fmt.Errorf("land demo: %w", err)
		}
		return append(logins, landLogins...), nil
	}
	return logins, nil
}

func readCSV(name string) ([][]string, error) {
	body, err := files.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	var out [][]string
	if _, err := r.Read(); err != nil {
		return nil, err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", name, err)
		}
		out = append(out, rec)
	}
}

func loadRegions(ctx context.Context, db *store.DB) error {
	var regions []domain.Region
	rows, err := readCSV("lantian.csv")
	if err != nil {
		return err
	}
	for _, rec := range rows {
		level, err := domain.LevelOf(rec[0])
		if err != nil {
			return err
		}
		regions = append(regions, domain.Region{Code: rec[0], Name: rec[1], Level: level, Parent: domain.ParentCode(rec[0])})
	}
	grids, err := readCSV("grids.csv")
	if err != nil {
		return err
	}
	for _, rec := range grids {
		level, err := domain.LevelOf(rec[0])
		if err != nil {
			return err
		}
		lat, _ := strconv.ParseFloat(rec[4], 64)
		lon, _ := strconv.ParseFloat(rec[5], 64)
		regions = append(regions, domain.Region{Code: rec[0], Name: rec[1], Kind: rec[2], Level: level, Parent: rec[3], Lat: &lat, Lon: &lon, Polygon: rec[6]})
	}
	return db.PutRegions(ctx, regions)
}

func loadOrgs(ctx context.Context, db *store.DB) error {
	rows, err := readCSV("orgs.csv")
	if err != nil {
		return err
	}
	return db.Update(ctx, func(tx *store.Tx) error {
		for _, rec := range rows {
			if err := tx.PutOrg(domain.Org{Code: rec[0], Name: rec[1], Kind: rec[2], Region: rec[3]}); err != nil {
				return err
			}
		}
		return nil
	})
}

// logins are the demo users; officers of every other org are made too (officer.<org>).
var logins = []Login{
	{"demo.admin", "admin", "431382 涟源市", "系统管理员 王敏"},
	{"demo.leader", "leader", Street + " 蓝田街道", "街道党工委书记 李建国"},
	{"demo.dispatcher", "dispatcher", Street + " 蓝田街道", "街道调度员 陈静"},
	{"demo.county", "dispatcher", "431382 涟源市", "市级调度员 刘洋"},
	{"demo.other", "dispatcher", "431382002 六亩塘街道", "六亩塘街道调度员 赵磊"},
	{"demo.officer", "officer", "LY-CGJ 城市管理和综合执法局", "城管局承办人 周峰"},
	{"demo.officer2", "officer", "LY-YJJ 应急管理局", "应急局承办人 孙丽"},
	{"demo.grid", "grid_worker", DemoGrid + " 民光社区第1网格", "网格员 黄小红"},
	{"demo.building", "building_head", "431382001001001001 楼栋", "楼栋长 吴大伯"},
	{"demo.volunteer", "volunteer", "431382001001 民光社区", "志愿者 郑晓"},
	{"demo.liaison", "liaison", "LT-JDB 街道办", "联企干部 冯涛"},
	{"demo.helper", "helper", "431382001205 联兴村", "帮扶责任人 何芳"},
	{"demo.inspector", "inspector", "LY-SJJ 市场监督管理局", "执法人员 许强"},
	{"demo.enterprise", "enterprise", "", "涟源市蓝田机械制造有限公司"},
	{"demo.citizen", "citizen", "", "群众 张三"},
	{"demo.auditor", "auditor", "", "审计员 钱明"}, // reads the audit log
}

// grantOf turns a demo login's role and scope into a grant.
func grantOf(l Login) domain.Grant {
	g := domain.Grant{Role: domain.Role(l.Role)}
	code := ""
	if l.Scope != "" {
		fmt.Sscan(l.Scope, &code)
	}
	switch g.Role {
	case domain.RoleOfficer, domain.RoleLiaison:
		g.Org = code
	case domain.RoleInspector: // a county bureau's inspector: the registry of the county only
		g.Org, g.Region = code, County
	default:
		g.Region = code
	}
	return g
}

// Users are the demo's users by login, for generating history.
type Users map[string]domain.User

func loadUsers(ctx context.Context, db *store.DB, svc *service.Service) (Users, error) {
	out := Users{}
	hash, err := passhash.Hash(Password)
	if err != nil {
		return nil, err
	}
	put := func(login, name, phone string, g domain.Grant) error {
		u, err := db.PutUser(ctx, domain.User{Login: login, Name: name, Phone: phone, Grants: []domain.Grant{g}}, hash)
		out[login] = u
		return err
	}
	for i, l := range logins {
		g := grantOf(l)
		if l.Login == "demo.building" {
			g.Region = "431382001001001001"
		}
		if err := put(l.Login, l.Name, fmt.Sprintf("1387381%04d", 1000+i), g); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", l.Login, err)
		}
	}
	orgs, err := db.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for i, o := range orgs {
		if err := put("officer."+o.Code, o.Name+"承办人", fmt.Sprintf("1397381%04d", 2000+i), domain.Grant{Role: domain.RoleOfficer, Org: o.Code}); err != nil {
			return nil, err
		}
	}
	grids, err := db.RegionsAt(ctx, Street, 15)
	if err != nil {
		return nil, err
	}
	for i, g := range grids { // every other grid of the street has its own grid worker
		if g.Code == DemoGrid {
			continue
		}
		if err := put(gridLogin(g.Code), "网格员 "+g.Name, fmt.Sprintf("1367381%04d", 3000+i), domain.Grant{Role: domain.RoleGridWorker, Region: g.Code}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DemoGrid is demo.grid's grid, 民光社区第1网格.
const DemoGrid = "431382001001001"

// gridLogin is the login of the grid worker of a grid other than DemoGrid.
func gridLogin(grid string) string { return "grid." + grid }

// gridReporter is who reports a grid patrol's case at place: the grid worker of that
// grid (demo.grid in her own), so each grid worker's reports and "to verify" list stay
// in her grid; where the place has no grid worker (generated history outside the demo
// street), the dispatcher.
func gridReporter(users Users, place string) string {
	if strings.HasPrefix(place, DemoGrid) {
		return "demo.grid"
	}
	if len(place) >= 15 {
		if login := gridLogin(place[:15]); users[login].ID != 0 {
			return login
		}
	}
	return "demo.dispatcher"
}

// loadLinkages links the street's departments to its communities (联点: each
// community has a leader and departments answering for it, the "1+N" of 蓝田街道).
func loadLinkages(ctx context.Context, db *store.DB, users Users) error {
	communities, err := db.Children(ctx, Street)
	if err != nil {
		return err
	}
	orgs := []string{"LY-YJJ", "LY-ZJJ", "LY-XFJY", "LY-SJJ", "LY-CGJ", "LY-ZRJ", "LY-HBJ", "LY-JTJ", "LT-PCS", "LY-GDGS"}
	for i, c := range communities {
		ls := []domain.Linkage{
			{Kind: "community", UserID: users["demo.leader"].ID, Target: c.Code, From: "2025-01-01", Note: "联点领导"},
			{Kind: "community", Org: orgs[i%len(orgs)], Target: c.Code, From: "2025-01-01", Note: "联点部门"},
			{Kind: "community", Org: orgs[(i+3)%len(orgs)], Target: c.Code, From: "2025-01-01", Note: "联点部门"},
		}
		for _, l := range ls {
			if _, err := db.PutLinkage(ctx, l); err != nil {
				return err
			}
		}
	}
	_, err = db.PutLinkage(ctx, domain.Linkage{Kind: "enterprise", UserID: users["demo.liaison"].ID, Target: "91431382MA4L0DEMO1", From: "2025-03-01", Note: "涟源市蓝田机械制造有限公司"})
	return err
}
