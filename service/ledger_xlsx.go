package service

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"whistle/domain"
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
	f := excelize.NewFile()
	defer f.Close()
	if err := ledgerSummary(f, byRegion.Name, byRegion.From, byRegion.To, now, []ledgerBlock{
		{"社区（村）", byRegion.Rows, byRegion.Total}, {"隐患类别", byCategory.Rows, byCategory.Total}}); err != nil {
		return "", nil, err
	}
	if err := ledgerDetails(f, byRegion.Name, details, names, orgName, now); err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("%s安全隐患台账_%s_%s.xlsx", byRegion.Name, byRegion.From, byRegion.To), buf.Bytes(), nil
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

// ledgerStyles are the cell styles of a ledger sheet.
type ledgerStyles struct{ title, sub, head, cell, left, pct, foot int }

func newLedgerStyles(f *excelize.File) (ledgerStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	var st ledgerStyles
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	pctFmt := "0.0%"
	st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: "宋体"}, Alignment: center})
	st.sub = mk(&excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: &excelize.Alignment{Vertical: "center"}})
	st.head = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: "黑体"}, Alignment: center, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	st.cell = mk(&excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: center, Border: border})
	st.left = mk(&excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border})
	st.pct = mk(&excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, Alignment: center, Border: border, CustomNumFmt: &pctFmt})
	st.foot = mk(&excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}})
	return st, err
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// ledgerSummary writes the summary sheet: 汇总表.
func ledgerSummary(f *excelize.File, region, from, to string, now time.Time, blocks []ledgerBlock) error {
	const sheet = "隐患整治汇总表"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newLedgerStyles(f)
	if err != nil {
		return err
	}
	heads := []string{"序号", "", "排查发现隐患数（个）", "其中重大隐患（个）", "已整改销号（个）", "整改中（个）", "逾期未整改（个）", "整改率"}
	last := cell(len(heads), 1)
	f.MergeCell(sheet, "A1", last)
	f.SetCellValue(sheet, "A1", region+"安全隐患排查整治台账（汇总表）")
	f.SetCellStyle(sheet, "A1", last, st.title)
	f.SetRowHeight(sheet, 1, 36)
	f.MergeCell(sheet, "A2", "E2")
	f.SetCellValue(sheet, "A2", "填报单位："+region+"　　统计时段："+from+" 至 "+to)
	f.MergeCell(sheet, "F2", cell(len(heads), 2))
	f.SetCellValue(sheet, "F2", "填报日期："+now.Format("2006年1月2日"))
	f.SetCellStyle(sheet, "A2", cell(len(heads), 2), st.sub)
	row := 3
	for _, b := range blocks {
		heads[1] = b.head
		for i, h := range heads {
			f.SetCellValue(sheet, cell(i+1, row), h)
		}
		f.SetCellStyle(sheet, cell(1, row), cell(len(heads), row), st.head)
		f.SetRowHeight(sheet, row, 32)
		row++
		for i, r := range append(b.rows, b.total) {
			n := any(i + 1)
			if i == len(b.rows) {
				n = ""
			}
			vals := []any{n, r.Name, r.Found, r.Major, r.Rectified, r.Rectifying, r.Overdue, r.Rate}
			for c, v := range vals {
				f.SetCellValue(sheet, cell(c+1, row), v)
			}
			f.SetCellStyle(sheet, cell(1, row), cell(len(heads)-1, row), st.cell)
			f.SetCellStyle(sheet, cell(len(heads), row), cell(len(heads), row), st.pct)
			row++
		}
		row++
	}
	f.SetCellValue(sheet, cell(1, row), "说明：整改率＝已整改销号数÷排查发现隐患数；已整改指整改完成并经现场核查验收；逾期未整改指超过整改时限仍未完成整改。")
	f.MergeCell(sheet, cell(1, row), cell(len(heads), row))
	f.SetCellStyle(sheet, cell(1, row), cell(len(heads), row), st.foot)
	row += 2
	f.SetCellValue(sheet, cell(1, row), "填表人：")
	f.SetCellValue(sheet, cell(4, row), "审核人：")
	f.SetCellValue(sheet, cell(7, row), "分管领导：")
	f.SetCellStyle(sheet, cell(1, row), cell(len(heads), row), st.foot)
	widths := []float64{6, 22, 14, 14, 14, 12, 14, 10}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, wd)
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), Size: ptr(9)})
}

func ptr[T any](v T) *T { return &v }

// ledgerDetails writes the detail sheet: 隐患明细台账, one row per hazard.
func ledgerDetails(f *excelize.File, region string, hs []domain.Hazard, names, orgs map[string]string, now time.Time) error {
	const sheet = "隐患明细台账"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	st, err := newLedgerStyles(f)
	if err != nil {
		return err
	}
	heads := []string{"序号", "隐患编号", "发现时间", "所在社区（村）", "网格/地点", "隐患类别", "隐患等级", "隐患描述", "整改措施",
		"责任单位", "整改时限", "整改状态", "整改完成时间", "验收时间", "验收人"}
	last := cell(len(heads), 1)
	f.MergeCell(sheet, "A1", last)
	f.SetCellValue(sheet, "A1", region+"安全隐患排查整治明细台账")
	f.SetCellStyle(sheet, "A1", last, st.title)
	f.SetRowHeight(sheet, 1, 36)
	for i, h := range heads {
		f.SetCellValue(sheet, cell(i+1, 2), h)
	}
	f.SetCellStyle(sheet, "A2", cell(len(heads), 2), st.head)
	f.SetRowHeight(sheet, 2, 30)
	stateNames := map[string]string{"rectified": "已整改销号", "rectifying": "整改中", "overdue": "逾期未整改", "void": "已撤销"}
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(domain.China).Format("2006-01-02")
	}
	for i, h := range hs {
		row := i + 3
		deadline := h.Deadline.Add(-time.Second)
		state := domain.HazardState(h.Status, h.Deadline, now)
		if h.ResolvedAt != nil && !domain.HazardRectified(h.Status) && !h.ResolvedAt.After(h.Deadline) {
			state = "rectifying"
		}
		place := names[h.Region]
		if h.Address != "" {
			place = h.Address
		}
		vals := []any{i + 1, h.Number, h.FoundAt.Format("2006-01-02 15:04"), names[h.Region[:min(12, len(h.Region))]], place,
			domain.HazardCategoryNames[h.Category], domain.HazardLevelNames[h.Level], h.Title, h.Measures, orgs[h.Org],
			deadline.Format("2006-01-02"), stateNames[state], day(h.ResolvedAt), day(h.VerifiedAt), h.VerifiedBy}
		if err := f.SetSheetRow(sheet, cell(1, row), &vals); err != nil {
			return err
		}
	}
	if len(hs) > 0 {
		f.SetCellStyle(sheet, "A3", cell(len(heads), len(hs)+2), st.left)
	}
	if len(hs) == maxLedgerDetails { // say so rather than leave the reader to think the list is whole
		row := len(hs) + 3
		f.SetCellValue(sheet, cell(1, row), fmt.Sprintf("明细仅列本时段最早发现的 %d 条；请缩短统计时段或按社区分别导出。", maxLedgerDetails))
		f.MergeCell(sheet, cell(1, row), cell(len(heads), row))
		f.SetCellStyle(sheet, cell(1, row), cell(len(heads), row), st.foot)
	}
	widths := []float64{6, 18, 17, 16, 22, 11, 9, 26, 26, 24, 12, 12, 13, 12, 10}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, wd)
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.AutoFilter(sheet, "A2:"+cell(len(heads), len(hs)+2), nil)
}
