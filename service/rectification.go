package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"whistle/domain"
	"whistle/store"
)

// 督查整改: rectification lists, their items' progress, 销号 and figures, and the
// sweeper's flags of what fell due.

// CreateRectList makes a list owned by u over its region: leaders and administrators
// of the region make lists.
func (s *Service) CreateRectList(ctx context.Context, u domain.User, l domain.RectList) (domain.RectList, error) {
	if err := l.Validate(); err != nil {
		return l, err
	}
	if !domain.RectManages(u, l.Region) {
		return l, domain.Errorf(domain.EFORBIDDEN, "only the region's leaders and administrators make rectification lists")
	}
	if _, err := s.db.Region(ctx, l.Region); err != nil {
		return l, domain.Errorf(domain.EINVALID, "unknown region %q", l.Region)
	}
	l.OwnerID, l.OwnerName, l.CreatedAt = u.ID, u.Name, time.Time{}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertRectList(&l); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "rect_list.create", objectID("rect_list", l.ID), domain.Change{After: l})
	})
	return l, err
}

// RectLists lists the lists u reads, each with its figures as of today.
func (s *Service) RectLists(ctx context.Context, u domain.User) ([]domain.RectList, error) {
	ls, err := s.db.RectLists(ctx, domain.ReadScopes(u), domain.UserOrgs(u))
	if err != nil {
		return nil, err
	}
	day := domain.RectDay(s.now())
	for i := range ls {
		its, err := s.db.RectItems(ctx, store.RectItemFilter{ListID: ls[i].ID})
		if err != nil {
			return nil, err
		}
		for _, it := range its {
			ls[i].Figures.Count(it, day)
		}
	}
	return ls, nil
}

// RectListView is a list with its items, as of today.
type RectListView struct {
	List  domain.RectList   `json:"list"`
	Items []domain.RectItem `json:"items"`
	Day   string            `json:"day"`
}

// RectList reads a list u may read, with its items and figures; to anyone else it does
// not exist.
func (s *Service) RectList(ctx context.Context, u domain.User, id int64) (RectListView, error) {
	l, err := s.db.RectList(ctx, id)
	if err != nil {
		return RectListView{}, err
	}
	its, err := s.db.RectItems(ctx, store.RectItemFilter{ListID: id})
	if err != nil {
		return RectListView{}, err
	}
	if l.OwnerID != u.ID && !domain.RectReads(u, l.Region, itemOrgs(its)) { // who made it reads it (a staffing office its survey's)
		return RectListView{}, domain.Errorf(domain.ENOTFOUND, "rectification list %d not found", id)
	}
	v := RectListView{List: l, Items: its, Day: domain.RectDay(s.now())}
	for _, it := range its {
		v.List.Figures.Count(it, v.Day)
	}
	return v, nil
}

func itemOrgs(its []domain.RectItem) []string {
	var orgs []string
	for _, it := range its {
		if !slices.Contains(orgs, it.Org) {
			orgs = append(orgs, it.Org)
		}
	}
	return orgs
}

// AddRectItem adds an item (with its milestones) to a list: the list's owners do.
func (s *Service) AddRectItem(ctx context.Context, u domain.User, listID int64, it domain.RectItem) (domain.RectItem, error) {
	if err := it.Validate(); err != nil {
		return it, err
	}
	it.ListID, it.Status, it.CaseID, it.CreatedAt = listID, domain.RectOpen, 0, time.Time{}
	for i := range it.Milestones {
		it.Milestones[i].Done = ""
	}
	if _, err := s.RectList(ctx, u, listID); err != nil { // 404 to who does not read it
		return it, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		l, err := tx.RectList(listID)
		if err != nil {
			return err
		}
		if err := domain.RectMay(u, l.Region, it, domain.RectEdit); err != nil {
			return err
		}
		if !tx.OrgExists(it.Org) {
			return domain.Errorf(domain.EINVALID, "unknown org %q", it.Org)
		}
		if err := tx.InsertRectItem(&it); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, u, "rect_item.create", objectID("rect_item", it.ID), domain.Change{After: it}); err != nil {
			return err
		}
		return tx.AddRectEvent(it.ID, u.ID, domain.RectEdit, "")
	})
	return it, err
}

// EditRectItem changes an open item's terms (problem, measures, responsible org and
// person, deadline): the list's owners do, and the change is audited. Milestones,
// progress and status are the item's record and change by their own acts.
func (s *Service) EditRectItem(ctx context.Context, u domain.User, id int64, terms domain.RectItem) (RectItemView, error) {
	v, err := s.RectItem(ctx, u, id) // 404 to who does not read it
	if err != nil {
		return v, err
	}
	terms.Deadline = strings.TrimSpace(terms.Deadline)
	terms.Milestones = nil
	if err := terms.Validate(); err != nil {
		return v, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		it, l, err := s.rectItemTx(tx, id)
		if err != nil {
			return err
		}
		if err := domain.RectMay(u, l.Region, it, domain.RectEdit); err != nil {
			return err
		}
		if !tx.OrgExists(terms.Org) {
			return domain.Invalidf("rect.org", "unknown org %q", terms.Org)
		}
		before := it
		it.Problem, it.Measures, it.Org, it.Person, it.Deadline = terms.Problem, terms.Measures, terms.Org, terms.Person, terms.Deadline
		if err := tx.UpdateRectItem(it); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, u, "rect_item.edit", objectID("rect_item", id), domain.Change{Before: before, After: it}); err != nil {
			return err
		}
		return tx.AddRectEvent(id, u.ID, domain.RectEdit, domain.RectChanges(before, it))
	})
	if err != nil {
		return v, err
	}
	return s.RectItem(ctx, u, id)
}

// RectItemView is an item with its list, evidence and events.
type RectItemView struct {
	List   domain.RectList    `json:"list"`
	Item   domain.RectItem    `json:"item"`
	Events []domain.RectEvent `json:"events"`
	// what u may do to it now
	MayReport bool `json:"may_report"`
	MayApply  bool `json:"may_apply"`
	MayDecide bool `json:"may_decide"`
	MayRaise  bool `json:"may_raise_case"`
	MayEdit   bool `json:"may_edit"`
	Overdue   bool `json:"overdue"`
}

// RectItem reads an item u may read, with its evidence and events.
func (s *Service) RectItem(ctx context.Context, u domain.User, id int64) (RectItemView, error) {
	its, err := s.db.RectItems(ctx, store.RectItemFilter{ID: id})
	if err != nil {
		return RectItemView{}, err
	}
	if len(its) == 0 {
		return RectItemView{}, domain.Errorf(domain.ENOTFOUND, "rectification item %d not found", id)
	}
	v := RectItemView{Item: its[0]}
	if v.List, err = s.db.RectList(ctx, v.Item.ListID); err != nil {
		return v, err
	}
	if !domain.RectReads(u, v.List.Region, []string{v.Item.Org}) {
		return RectItemView{}, domain.Errorf(domain.ENOTFOUND, "rectification item %d not found", id)
	}
	if v.Item.Evidence, err = s.db.RectEvidence(ctx, id, 0); err != nil {
		return v, err
	}
	if v.Events, err = s.db.RectEvents(ctx, id); err != nil {
		return v, err
	}
	may := func(a domain.RectAction) bool { return domain.RectMay(u, v.List.Region, v.Item, a) == nil }
	v.MayReport, v.MayApply, v.MayDecide, v.MayRaise = may(domain.RectProgress), may(domain.RectApply), may(domain.RectApprove), may(domain.RectRaiseCase)
	v.MayEdit = may(domain.RectEdit)
	v.Overdue = v.Item.Overdue(domain.RectDay(s.now()))
	return v, nil
}

// RectReport is what the responsible org sends with progress or a 销号 application:
// its account, the milestones met today, and files (documents, photos) as evidence.
type RectReport struct {
	Progress   string   `json:"progress"`
	Milestones []int64  `json:"milestones"`
	Files      []Upload `json:"-"`
}

// ReportRectProgress records the responsible org's progress on an item.
func (s *Service) ReportRectProgress(ctx context.Context, u domain.User, id int64, r RectReport) (RectItemView, error) {
	return s.rectAct(ctx, u, id, domain.RectProgress, r)
}

// ApplyRect applies for 销号 of an item with its evidence: the item must hold at least
// one document or photo once this application's files are added.
func (s *Service) ApplyRect(ctx context.Context, u domain.User, id int64, r RectReport) (RectItemView, error) {
	return s.rectAct(ctx, u, id, domain.RectApply, r)
}

// rectAct is progress or an application: files are stored first, then checked and
// recorded in one transaction.
func (s *Service) rectAct(ctx context.Context, u domain.User, id int64, act domain.RectAction, r RectReport) (RectItemView, error) {
	if len([]rune(r.Progress)) > 5000 {
		return RectItemView{}, domain.Errorf(domain.EINVALID, "progress is longer than 5000 characters")
	}
	if _, err := s.RectItem(ctx, u, id); err != nil { // 404 before reading any upload
		return RectItemView{}, err
	}
	files, err := s.storeUploads(ctx, r.Files)
	if err != nil {
		return RectItemView{}, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		it, l, err := s.rectItemTx(tx, id)
		if err != nil {
			return err
		}
		if err := domain.RectMay(u, l.Region, it, act); err != nil {
			return err
		}
		for _, a := range files {
			e := domain.RectEvidence{ItemID: id, SHA256: a.SHA256, Name: a.Name, ContentType: a.ContentType, Size: a.Size, ThumbSHA256: a.ThumbSHA256, UploadedBy: u.ID}
			if err := tx.AddRectEvidence(&e); err != nil {
				return err
			}
		}
		for _, m := range r.Milestones {
			if err := tx.SetRectMilestoneDone(id, m, domain.RectDay(s.now())); err != nil {
				return err
			}
		}
		if r.Progress != "" {
			it.Progress = r.Progress
		}
		if act == domain.RectApply {
			if ev, err := s.db.RectEvidence(ctx, id, 0); err != nil || len(ev)+len(files) == 0 {
				if err == nil {
					err = domain.Errorf(domain.EINVALID, "files: 申请销号 needs evidence, a document or a photo")
				}
				return err
			}
			now := s.now()
			it.AppliedAt, it.Reason = &now, ""
		}
		it.Status = act.Next(it.Status)
		if err := tx.UpdateRectItem(it); err != nil {
			return err
		}
		if act == domain.RectApply {
			owners, err := tx.Dispatchers(l.Region)
			if err != nil {
				return err
			}
			tx.NotifyAbout(append(owners, l.OwnerID), "rect_apply", fmt.Sprintf("整改清单「%s」第 %d 项申请销号", l.Title, it.Seq))
		}
		return tx.AddRectEvent(id, u.ID, act, r.Progress)
	})
	if err != nil {
		return RectItemView{}, err
	}
	return s.RectItem(ctx, u, id)
}

// rectItemTx reads an item and its list in tx.
func (s *Service) rectItemTx(tx *store.Tx, id int64) (domain.RectItem, domain.RectList, error) {
	it, err := tx.RectItem(id)
	if err != nil {
		return it, domain.RectList{}, err
	}
	l, err := tx.RectList(it.ListID)
	return it, l, err
}

// DecideRect approves (销号) or returns, with its reason, an item applied for: the
// list's owners decide, and the responsible org hears of it.
func (s *Service) DecideRect(ctx context.Context, u domain.User, id int64, approve bool, reason string) (RectItemView, error) {
	act := domain.RectApprove
	if !approve {
		act = domain.RectReturn
		if reason == "" {
			return RectItemView{}, domain.Errorf(domain.EINVALID, "reason is required to return an item")
		}
	}
	if len([]rune(reason)) > 2000 {
		return RectItemView{}, domain.Errorf(domain.EINVALID, "reason is longer than 2000 characters")
	}
	if _, err := s.RectItem(ctx, u, id); err != nil {
		return RectItemView{}, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		it, l, err := s.rectItemTx(tx, id)
		if err != nil {
			return err
		}
		if err := domain.RectMay(u, l.Region, it, act); err != nil {
			return err
		}
		it.Status, it.Reason = act.Next(it.Status), reason
		msg := "已销号"
		if approve {
			now := s.now()
			it.ClosedAt = &now
		} else {
			msg = "被退回：" + reason
		}
		if err := tx.UpdateRectItem(it); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, u, "rect_item."+string(act), objectID("rect_item", id), domain.Change{After: map[string]string{"status": string(it.Status), "reason": reason}}); err != nil {
			return err
		}
		officers, err := tx.Officers([]string{it.Org})
		if err != nil {
			return err
		}
		tx.NotifyAbout(officers, "rect_"+string(act), fmt.Sprintf("整改清单「%s」第 %d 项%s", l.Title, it.Seq, msg))
		return tx.AddRectEvent(id, u.ID, act, reason)
	})
	if err != nil {
		return RectItemView{}, err
	}
	return s.RectItem(ctx, u, id)
}

// RaiseRectCase files a case from an item through the ordinary intake (the filing's own
// rule decides who may file by which channel) and links it to the item.
func (s *Service) RaiseRectCase(ctx context.Context, u domain.User, id int64, n domain.NewCase) (RectItemView, error) {
	v, err := s.RectItem(ctx, u, id)
	if err != nil {
		return v, err
	}
	if err := domain.RectMay(u, v.List.Region, v.Item, domain.RectRaiseCase); err != nil {
		return v, err
	}
	if n.Title == "" {
		p := []rune(v.Item.Problem)
		n.Title = string(p[:min(len(p), 100)]) // the problem's start
	}
	if n.Region == "" {
		n.Region = v.List.Region
	}
	if n.Description == "" {
		n.Description = fmt.Sprintf("整改清单「%s」第 %d 项：%s\n整改措施：%s", v.List.Title, v.Item.Seq, v.Item.Problem, v.Item.Measures)
	}
	n.Channel = "supervision" // the item's own rule (RectMay) authorised the filer
	c, err := s.file(ctx, u, n, domain.OnRect)
	if err != nil {
		return v, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		it, _, err := s.rectItemTx(tx, id)
		if err != nil {
			return err
		}
		if it.CaseID != 0 {
			return domain.Errorf(domain.ECONFLICT, "item %d has raised a case already", it.Seq)
		}
		it.CaseID = c.ID
		if err := tx.UpdateRectItem(it); err != nil {
			return err
		}
		return tx.AddRectEvent(id, u.ID, domain.RectRaiseCase, c.Number)
	})
	if err != nil {
		return v, err
	}
	return s.RectItem(ctx, u, id)
}

// OpenRectEvidence opens an evidence file (or its thumbnail) for who may read its item.
func (s *Service) OpenRectEvidence(ctx context.Context, u domain.User, id int64, thumb bool) (domain.Attachment, io.ReadSeekCloser, error) {
	es, err := s.db.RectEvidence(ctx, 0, id)
	if err != nil || len(es) == 0 {
		if err == nil {
			err = domain.Errorf(domain.ENOTFOUND, "evidence %d not found", id)
		}
		return domain.Attachment{}, nil, err
	}
	e := es[0]
	if _, err := s.RectItem(ctx, u, e.ItemID); err != nil {
		return domain.Attachment{}, nil, domain.Errorf(domain.ENOTFOUND, "evidence %d not found", id)
	}
	a := domain.Attachment{ID: e.ID, SHA256: e.SHA256, Name: e.Name, ContentType: e.ContentType, Size: e.Size, ThumbSHA256: e.ThumbSHA256, CreatedAt: e.CreatedAt}
	return s.openFiled(ctx, a, thumb, "evidence")
}

// openFiled opens a file a row describes (or its thumbnail), a file missing from the
// store answered as what's id not found.
func (s *Service) openFiled(ctx context.Context, a domain.Attachment, thumb bool, what string) (domain.Attachment, io.ReadSeekCloser, error) {
	a, f, err := s.openBlob(ctx, a, thumb)
	if errors.Is(err, os.ErrNotExist) {
		err = domain.Errorf(domain.ENOTFOUND, "%s %d is missing from the store", what, a.ID)
	}
	return a, f, err
}

// RectFiguresReport is the rectification figures of a region as of a day, by list or by
// responsible org.
type RectFiguresReport struct {
	Region string               `json:"region"`
	Day    string               `json:"day"`
	By     string               `json:"by"`
	Rows   []domain.RectFigures `json:"rows"`
	Total  domain.RectFigures   `json:"total"`
}

// RectFigures counts, as of the end of day (YYYY-MM-DD; "" today), the items of the
// lists in region's subtree by list or by org: items, closed, overdue, 整改销号率 and
// 阶段性销号率. An event counts from the day it happened, so a past day reads the same
// later. It is the source the assessment (考核) reads 销号率 from.
func (s *Service) RectFigures(ctx context.Context, u domain.User, region, by, day string) (RectFiguresReport, error) {
	region, err := domain.ReportRegion(u, region, "rectification figures")
	if err != nil {
		return RectFiguresReport{}, err
	}
	if day == "" {
		day = domain.RectDay(s.now())
	}
	if _, err := time.Parse("2006-01-02", day); err != nil {
		return RectFiguresReport{}, domain.Errorf(domain.EINVALID, "day must be a date YYYY-MM-DD")
	}
	if by == "" {
		by = "list"
	}
	if by != "list" && by != "org" {
		return RectFiguresReport{}, domain.Errorf(domain.EINVALID, "by must be list or org")
	}
	return s.rectFigures(ctx, region, by, day)
}

func (s *Service) rectFigures(ctx context.Context, region, by, day string) (RectFiguresReport, error) {
	rep := RectFiguresReport{Region: region, Day: day, By: by, Rows: []domain.RectFigures{}}
	its, err := s.db.RectItems(ctx, store.RectItemFilter{Region: region})
	if err != nil {
		return rep, err
	}
	names := map[string]string{}
	if by == "list" {
		ls, err := s.db.RectLists(ctx, []string{region}, nil)
		if err != nil {
			return rep, err
		}
		for _, l := range ls {
			names[fmt.Sprint(l.ID)] = l.Title
		}
	} else {
		orgs, err := s.db.Orgs(ctx)
		if err != nil {
			return rep, err
		}
		for _, o := range orgs {
			names[o.Code] = o.Name
		}
	}
	rows, order := map[string]*domain.RectFigures{}, []string{}
	for _, it := range its {
		key := it.Org
		if by == "list" {
			key = fmt.Sprint(it.ListID)
		}
		if rows[key] == nil {
			rows[key] = &domain.RectFigures{Key: key, Name: names[key]}
			order = append(order, key)
		}
		rows[key].Count(it, day)
	}
	for _, k := range order {
		if rows[k].Items > 0 {
			rep.Rows = append(rep.Rows, *rows[k])
			rep.Total.Sum(*rows[k])
		}
	}
	rep.Total.Key, rep.Total.Name = "total", "合计"
	return rep, nil
}

// SweepRect flags, once, the items past their deadline and not closed and the
// milestones past their due day and not met, and tells the responsible org's officers.
// The conditional UPDATE is the claim: two sweepers flag each once.
func (s *Service) SweepRect(ctx context.Context) (int, error) {
	n := 0
	for {
		found := 0
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			due, err := tx.DueRect(domain.RectDay(s.now()), SweepBatch)
			if err != nil {
				return err
			}
			found = len(due)
			for _, d := range due {
				mine, err := tx.FlagRect(d)
				if err != nil {
					return err
				}
				if !mine {
					continue // another sweeper flagged it
				}
				officers, err := tx.Officers([]string{d.Org})
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("整改清单「%s」第 %d 项逾期未销号", d.ListTitle, d.Seq)
				if d.MilestoneID != 0 {
					msg = fmt.Sprintf("整改清单「%s」第 %d 项的阶段节点「%s」已到期未完成", d.ListTitle, d.Seq, d.Name)
				}
				tx.NotifyAbout(officers, "rect_overdue", msg)
				n++
			}
			return nil
		})
		if err != nil || found < SweepBatch {
			return n, err
		}
	}
}

// RectTable is the figures as a table for a workbook: one line per list or org and the
// total, rates in percent.
func RectTable(rep RectFiguresReport) [][]string {
	rows := [][]string{{fmt.Sprintf("督查整改销号统计（截至 %s）", rep.Day)},
		{"名称", "整改事项", "已销号", "逾期未销号", "到期节点", "按期完成节点", "整改销号率", "阶段性销号率"}}
	line := func(f domain.RectFigures) []string {
		return []string{f.Name, fmt.Sprint(f.Items), fmt.Sprint(f.Closed), fmt.Sprint(f.Overdue), fmt.Sprint(f.MilestonesDue),
			fmt.Sprint(f.MilestonesMet), domain.PercentText(f.ClosedRate), domain.PercentText(f.MilestoneRate)}
	}
	for _, f := range rep.Rows {
		rows = append(rows, line(f))
	}
	return append(rows, line(rep.Total))
}

// RectItemsTable is a list's items as a table for a workbook (整改台账).
func RectItemsTable(v RectListView, orgs map[string]string) [][]string {
	rows := [][]string{{fmt.Sprintf("%s（%s %s，截至 %s）", v.List.Title, domain.RectSourceNames[v.List.Source], v.List.SourceRef, v.Day)},
		{"序号", "问题", "整改措施", "责任单位", "责任人", "整改时限", "阶段节点", "状态", "销号日期", "整改进展"}}
	for _, it := range v.Items {
		var ms []string
		for _, m := range it.Milestones {
			done := "未完成"
			if m.Done != "" {
				done = "完成于 " + m.Done
			}
			ms = append(ms, fmt.Sprintf("%s（%s，%s）", m.Name, m.Due, done))
		}
		closed := ""
		if it.ClosedAt != nil {
			closed = domain.RectDay(*it.ClosedAt)
		}
		status := domain.RectStatusNames[it.Status]
		if it.Overdue(v.Day) {
			status += "（逾期）"
		}
		rows = append(rows, []string{fmt.Sprint(it.Seq), it.Problem, it.Measures, orgs[it.Org], it.Person, it.Deadline,
			strings.Join(ms, "；"), status, closed, it.Progress})
	}
	return rows
}
