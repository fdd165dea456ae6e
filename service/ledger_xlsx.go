package service

import (
	"context"
	"fmt"
	"time"

	"whistle/domain"
	"whistle/sheets"
)

// maxLedgerDetails bounds the detail sheet of one export.
const maxLedgerDetails = 50000

// HazardLedgerWorkbook makes the hazard ledger of region over [from, to) as an XLSX
// workbook in the layout street offices keep it: a summary sheet (by community, then by
// category) under a title and the period, with a signature line, and a detail sheet with
// one row per hazard. It answers a file name for the download and the workbook.
func (s *Service) HazardLedgerWorkbook(ctx context.Context, u domain.User, region string, from, to time.Time) (string, []byte, error) {
	byRegion, err := s.HazardLedger(ctx, u, region, "region", from, to)
	if err != nil {
		return "", nil, err
	}
	byCategory, err := s.HazardLedger(ctx, u, byRegion.Region, "category", from, to)
	if err != nil {
		return "", nil, err
	}
	details, err := s.HazardDetails(ctx, u, byRegion.Region, from, to, maxLedgerDetails)
	if err != nil {
		return "", nil, err
	}
	names, err := s.db.RegionNames(ctx, regionCodes(details))
	if err != nil {
		return "", nil, err
	}
	orgs, err := s.db.Orgs(ctx)
	if err != nil {
		return "", nil, err
	}
	orgName := map[string]string{}
	for _, o := range orgs {
		orgName[o.Code] = o.Name
	}
	now := s.now().In(domain.China)
	book := sheets.NewBook()
	defer book.Close()
	ledgerSummary(book.Sheet("隐患整治汇总表"), byRegion.Name, byRegion.From, byRegion.To, now, []ledgerBlock{
		{"社区（村）", byRegion.Rows, byRegion.Total}, {"隐患类别", byCategory.Rows, byCategory.Total}})
	ledgerDetails(book.Sheet("隐患明细台账"), byRegion.Name, details, names, orgName, now)
	body, err := book.Bytes()
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("%s安全隐患台账_%s_%s.xlsx", byRegion.Name, byRegion.From, byRegion.To), body, nil
}

func regionCodes(hs []domain.Hazard) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range hs {
		for _, c := range []string{h.Region, h.Region[:min(12, len(h.Region))]} {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

type ledgerBlock struct {
	head  string
	rows  []domain.LedgerRow
	total domain.LedgerRow
}

// ledgerSummary writes the summary sheet, 汇总表: a block of rows per breakdown, each
// with its total, under a title and the period, with a signature line.
func ledgerSummary(sh *sheets.Sheet, region, from, to string, now time.Time, blocks []ledgerBlock) {
	heads := []string{"序号", "", "巡逻检查（次）", "排查发现隐患数（个）", "其中重大隐患（个）", "已整改销号（个）", "整改中（个）", "逾期未整改（个）", "整改率"}
	n := len(heads)
	sh.Merge(1, 1, n, 1)
	sh.Set(1, 1, region+"安全隐患排查整治台账（汇总表）")
	sh.Style(1, 1, n, 1, sheets.Title)
	sh.RowHeight(1, 36)
	sh.Merge(1, 2, 6, 2)
	sh.Set(1, 2, "填报单位："+region+"　　统计时段："+from+" 至 "+to)
	sh.Merge(7, 2, n, 2)
	sh.Set(7, 2, "填报日期："+now.Format("2006年1月2日"))
	sh.Style(1, 2, n, 2, sheets.Subtitle)
	row := 3
	for _, b := range blocks {
		heads[1] = b.head
		for i, h := range heads {
			sh.Set(i+1, row, h)
		}
		sh.Style(1, row, n, row, sheets.Header)
		sh.RowHeight(row, 32)
		row++
		for i, r := range append(b.rows, b.total) {
			num := any(i + 1)
			if i == len(b.rows) {
				num = ""
			}
			sh.SetRow(1, row, []any{num, r.Name, r.Patrols, r.Found, r.Major, r.Rectified, r.Rectifying, r.Overdue})
			sh.Style(1, row, n-1, row, sheets.Cell)
			sh.Rate(n, row, r.Rate)
			row++
		}
		row++
	}
	sh.Set(1, row, "说明：巡逻检查次数按巡逻开始时间计入统计时段；整改率＝已整改销号数÷排查发现隐患数；已整改指整改完成并经现场核查验收；逾期未整改指超过整改时限仍未完成整改。")
	sh.Merge(1, row, n, row)
	sh.Style(1, row, n, row, sheets.Note)
	row += 2
	sh.Set(1, row, "填表人：")
	sh.Set(4, row, "审核人：")
	sh.Set(7, row, "分管领导：")
	sh.Style(1, row, n, row, sheets.Note)
	sh.ColWidths(6, 22, 12, 14, 14, 14, 12, 14, 10)
	sh.LandscapeA4()
}

// ledgerDetails writes the detail sheet, 隐患明细台账: one row per hazard.
func ledgerDetails(sh *sheets.Sheet, region string, hs []domain.Hazard, names, orgs map[string]string, now time.Time) {
	heads := []string{"序号", "隐患编号", "发现时间", "所在社区（村）", "网格/地点", "隐患类别", "隐患等级", "隐患描述", "整改措施",
		"责任单位", "整改时限", "整改状态", "整改完成时间", "验收时间", "验收人"}
	n := len(heads)
	sh.Merge(1, 1, n, 1)
	sh.Set(1, 1, region+"安全隐患排查整治明细台账")
	sh.Style(1, 1, n, 1, sheets.Title)
	sh.RowHeight(1, 36)
	for i, h := range heads {
		sh.Set(i+1, 2, h)
	}
	sh.Style(1, 2, n, 2, sheets.Header)
	sh.RowHeight(2, 30)
	stateNames := map[string]string{"rectified": "已整改销号", "rectifying": "整改中", "overdue": "逾期未整改", "void": "已撤销"}
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(domain.China).Format("2006-01-02")
	}
	for i, h := range hs {
		deadline := h.Deadline.Add(-time.Second)
		state := domain.HazardState(h.Status, h.Deadline, now)
		if h.ResolvedAt != nil && !domain.HazardRectified(h.Status) && !h.ResolvedAt.After(h.Deadline) {
			state = "rectifying"
		}
		place := names[h.Region]
		if h.Address != "" {
			place = h.Address
		}
		sh.SetRow(1, i+3, []any{i + 1, h.Number, h.FoundAt.Format("2006-01-02 15:04"), names[h.Region[:min(12, len(h.Region))]], place,
			domain.HazardCategoryNames[h.Category], domain.HazardLevelNames[h.Level], h.Title, h.Measures, orgs[h.Org],
			deadline.Format("2006-01-02"), stateNames[state], day(h.ResolvedAt), day(h.VerifiedAt), h.VerifiedBy})
	}
	if len(hs) > 0 {
		sh.Style(1, 3, n, len(hs)+2, sheets.Text)
	}
	if len(hs) == maxLedgerDetails { // say so rather than leave the reader to think the list is whole
		row := len(hs) + 3
		sh.Set(1, row, fmt.Sprintf("明细仅列本时段最早发现的 %d 条；请缩短统计时段或按社区分别导出。", maxLedgerDetails))
		sh.Merge(1, row, n, row)
		sh.Style(1, row, n, row, sheets.Note)
	}
	sh.ColWidths(6, 18, 17, 16, 22, 11, 9, 26, 26, 24, 12, 12, 13, 12, 10)
	sh.FreezeRows(2)
	sh.AutoFilter(1, 2, n, len(hs)+2)
}
