package domain

import "testing"

func TestSearchKnowledge(t *testing.T) {
	all := []Knowledge{
		{ID: 1, Matter: "MZ-006", Title: "灵活就业人员社保缴费", Body: "可在湖南智慧人社App或社区服务中心缴纳", Phones: "12333"},
		{ID: 2, Matter: "GY-005", Title: "天然气开户报装", Body: "携带房产证和身份证到燃气公司营业厅办理"},
		{ID: 3, Title: "12345热线受理范围", Body: "非紧急类政务服务诉求"},
	}
	ids := func(ks []Knowledge) []int64 {
		var out []int64
		for _, k := range ks {
			out = append(out, k.ID)
		}
		return out
	}
	for _, tc := range []struct {
		text, matter string
		want         []int64
	}{
		{"社保怎么缴费", "", []int64{1}},
		{"想开通天然气", "", []int64{2}},
		{"", "GY-005", []int64{2}},
		{"缴费", "GY-005", []int64{2, 1}},
		{"天气", "", nil},
	} {
		if got := ids(SearchKnowledge(all, tc.text, tc.matter, 5)); !equalIDs(got, tc.want) {
			t.Errorf("%q %q: %v, want %v", tc.text, tc.matter, got, tc.want)
		}
	}
	if a := all[0].Answer(); a != "可在湖南智慧人社App或社区服务中心缴纳（电话：12333）" {
		t.Errorf("answer %q", a)
	}
	bad := Knowledge{Title: " ", Body: "x"}
	if ErrorCode(bad.Validate()) != EINVALID {
		t.Error("an entry without a title")
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
