package domain

import (
	"fmt"
	"strings"
)

// Level is a region's place in the tree. Administrative levels follow the national
// statistical codes (省2 市4 县6 乡镇街道9 村社区12); grids (网格) and micro-grids
// (微网格: 小区, 楼栋) are the platform's own, each adding three digits.
type Level string

const (
	LevelProvince  Level = "province"   // 省
	LevelCity      Level = "city"       // 市
	LevelCounty    Level = "county"     // 县/区
	LevelTown      Level = "town"       // 乡镇/街道
	LevelVillage   Level = "village"    // 村/社区
	LevelGrid      Level = "grid"       // 网格
	LevelMicroGrid Level = "micro_grid" // 微网格 (小区, 楼栋)
)

// codeLengths maps each level to the length of its codes; a code's length alone tells
// its level, and a parent's code is a prefix of its children's.
var codeLengths = []struct {
	n     int
	level Level
}{{2, LevelProvince}, {4, LevelCity}, {6, LevelCounty}, {9, LevelTown}, {12, LevelVillage}, {15, LevelGrid}, {18, LevelMicroGrid}}

// Region is a node of the division tree. Codes are prefix codes, so subtree membership
// is a range of codes and ancestors are the code's prefixes.
type Region struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Level   Level    `json:"level"`
	Parent  string   `json:"parent,omitempty"`
	Kind    string   `json:"kind,omitempty"` // 小区 / 楼栋 for micro-grids, free text
	Lat     *float64 `json:"lat,omitempty"`  // centroid
	Lon     *float64 `json:"lon,omitempty"`
	Polygon string   `json:"polygon,omitempty"` // GeoJSON Polygon or MultiPolygon
}

// StatCode is the 12-digit statistical code of an administrative region (padded with
// zeros, as the statistics bureau writes it); grids keep their own longer code.
func (r Region) StatCode() string {
	if len(r.Code) >= 12 {
		return r.Code
	}
	return r.Code + strings.Repeat("0", 12-len(r.Code))
}

// LevelOf tells the level of a code by its length.
func LevelOf(code string) (Level, error) {
	for _, c := range codeLengths {
		if len(code) == c.n {
			if !isDigits(code) {
				break
			}
			return c.level, nil
		}
	}
	return "", Errorf(EINVALID, "region code %q is not a division code (2, 4, 6, 9, 12 digits) or a grid code (15, 18 digits)", code)
}

// ParentCode tells the parent of a code, "" for a province.
func ParentCode(code string) string {
	prev := 0
	for _, c := range codeLengths {
		if len(code) == c.n {
			return code[:prev]
		}
		prev = c.n
	}
	return ""
}

// ChildCodeLength tells how long the codes of a region's children are, 0 below micro-grids.
func ChildCodeLength(code string) int {
	for i, c := range codeLengths {
		if len(code) == c.n && i+1 < len(codeLengths) {
			return codeLengths[i+1].n
		}
	}
	if code == "" {
		return 2
	}
	return 0
}

// Ancestors lists the codes above code, nearest last.
func Ancestors(code string) []string {
	var out []string
	for _, c := range codeLengths {
		if c.n < len(code) {
			out = append(out, code[:c.n])
		}
	}
	return out
}

// Within tells whether code lies in the subtree rooted at root ("" is the whole country).
func Within(code, root string) bool { return strings.HasPrefix(code, root) }

// SubtreeRange gives the half-open code range [lo, hi) of root's subtree, the form an
// index answers fastest. hi is root's successor among digit strings ("4319" → "432"),
// which orders the same under byte and linguistic collations; past the last code it is
// "A", above every digit.
func SubtreeRange(root string) (lo, hi string) {
	b := []byte(root)
	for len(b) > 0 && b[len(b)-1] == '9' {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return root, "A"
	}
	b[len(b)-1]++
	return root, string(b)
}

// NewChildCode makes the code of the n-th grid or micro-grid under parent.
func NewChildCode(parent string, n int) (string, error) {
	if n < 1 || n > 999 {
		return "", Errorf(EINVALID, "child number %d out of range 1..999", n)
	}
	if (len(parent) != 12 && len(parent) != 15) || !isDigits(parent) {
		return "", Errorf(EINVALID, "grids are made under a village/community (12 digits) or a grid (15 digits), not %q", parent)
	}
	return fmt.Sprintf("%s%03d", parent, n), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
