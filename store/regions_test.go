package store_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/importer"
	"whistle/whistletest"
)

// shippedDivisions writes a national division folder (the china-division layout the
// importer reads, villages gzipped) of the regions the binary ships: the demo district's
// real codes and names (demo/data/lantian.csv, 2023 division codes), with the real
// divisions beside its line that an import under 涟源市 must leave out: another county of
// 娄底市, another city of 湖南, another province. It gives the folder and the codes of
// the county's towns and villages. The whole country is imported by the benchmarks.
func shippedDivisions(t *testing.T) (dir string, towns, villages []string) {
	t.Helper()
	f, err := os.Open("../demo/data/lantian.csv")
	if err != nil {
		t.Fatalf("the shipped regions: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("the shipped regions: %v", err)
	}
	files := map[string][]string{
		"provinces.csv": {"code,name", "11,北京市"},
		"cities.csv":    {"code,name,provinceCode", "1101,市辖区,11", "4301,长沙市,43"},
		"areas.csv":     {"code,name,cityCode,provinceCode", "110101,东城区,1101,11", "430102,芙蓉区,4301,43", "431381,冷水江市,4313,43"},
		"streets.csv": {"code,name,areaCode,provinceCode,cityCode", "110101001,东华门街道,110101,11,1101", "430102001,文艺路街道,430102,43,4301",
			"431381001,冷水江街道,431381,43,4313"},
		"villages.csv": {"code,name,streetCode,provinceCode,cityCode,areaCode", "110101001001,多福巷社区居委会,110101001,11,1101,110101",
			"430102001001,识字里社区居委会,430102001,43,4301,430102", "431381001001,锑都社区居委会,431381001,43,4313,431381"},
	}
	for _, rec := range rows[1:] {
		code, name := rec[0], rec[1]
		switch len(code) {
		case 2:
			files["provinces.csv"] = append(files["provinces.csv"], code+","+name)
		case 4:
			files["cities.csv"] = append(files["cities.csv"], code+","+name+","+code[:2])
		case 6:
			files["areas.csv"] = append(files["areas.csv"], code+","+name+","+code[:4]+","+code[:2])
		case 9:
			files["streets.csv"] = append(files["streets.csv"], code+","+name+","+code[:6]+","+code[:2]+","+code[:4])
			towns = append(towns, code)
		case 12:
			files["villages.csv"] = append(files["villages.csv"], code+","+name+","+code[:9]+","+code[:2]+","+code[:4]+","+code[:6])
			villages = append(villages, code)
		}
	}
	dir = t.TempDir()
	for name, lines := range files {
		body := []byte(strings.Join(lines, "\n") + "\n")
		if name == "villages.csv" { // as the national data ships it
			var zipped bytes.Buffer
			zw := gzip.NewWriter(&zipped)
			zw.Write(body)
			zw.Close()
			name, body = name+".gz", zipped.Bytes()
		}
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(towns) == 0 || len(villages) == 0 {
		t.Fatalf("the shipped regions hold %d towns and %d villages", len(towns), len(villages))
	}
	return dir, towns, villages
}

func TestImportRegionsUnderCounty(t *testing.T) {
	t.Parallel()
	const county = "431382" // 涟源市
	divisionDir, towns, villages := shippedDivisions(t)
	want := 1 + 1 + 1 + len(towns) + len(villages)

	db, _ := whistletest.DB(t)
	start := time.Now()
	n, err := importer.Regions(ctx, db, divisionDir, county)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d regions under %s in %v", n, county, time.Since(start))
	if n != want {
		t.Errorf("import reports %d regions, want 1+1+1+%d towns+%d villages = %d", n, len(towns), len(villages), want)
	}
	total, err := db.CountRegions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if total != want {
		t.Errorf("%d regions stored, want %d", total, want)
	}
	for root, wantN := range map[string]int{"43": want, "4313": want - 1, county: want - 2, "431382001": 1 + countPrefix(villages, "431382001"), "11": 0, "4301": 0} {
		if got, err := db.CountRegions(ctx, root); err != nil || got != wantN {
			t.Errorf("CountRegions(%s) = %d, %v; want %d", root, got, err, wantN)
		}
	}

	// the tree: provinces, children, ancestors
	top, err := db.Children(ctx, "")
	if err != nil || len(top) != 1 || top[0].Code != "43" || top[0].Name != "湖南省" || top[0].Level != domain.LevelProvince {
		t.Fatalf("Children(\"\") = %+v, %v", top, err)
	}
	kids, err := db.Children(ctx, county)
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != len(towns) {
		t.Fatalf("%d towns under %s, want %d", len(kids), county, len(towns))
	}
	for i, k := range kids {
		if k.Code != towns[i] || k.Parent != county || k.Level != domain.LevelTown {
			t.Errorf("town %d: %+v, want code %s", i, k, towns[i])
		}
		if i > 0 && kids[i-1].Code >= k.Code {
			t.Errorf("children not in code order: %s before %s", kids[i-1].Code, k.Code)
		}
	}
	street, err := db.Region(ctx, "431382001")
	if err != nil || street.Name != "蓝田街道" {
		t.Fatalf("431382001 = %+v, %v", street, err)
	}
	lantianVillages, _ := db.Children(ctx, "431382001")
	if len(lantianVillages) != countPrefix(villages, "431382001") || len(lantianVillages) == 0 {
		t.Errorf("%d villages under 蓝田街道, want %d", len(lantianVillages), countPrefix(villages, "431382001"))
	}
	anc, err := db.Ancestors(ctx, lantianVillages[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range anc {
		codes = append(codes, a.Code)
	}
	if strings.Join(codes, ",") != "43,4313,431382,431382001" {
		t.Errorf("ancestors of %s: %v", lantianVillages[0].Code, codes)
	}
	if anc, err := db.Ancestors(ctx, "43"); err != nil || len(anc) != 0 {
		t.Errorf("a province has ancestors: %v (%v)", anc, err)
	}
	// nothing outside the county's line: no other city of Hunan, no other province
	for _, code := range []string{"11", "4301", "431381", "430102"} {
		_, err := db.Region(ctx, code)
		wantCode(t, err, domain.ENOTFOUND)
	}

	// a bad --under is refused before anything is read
	_, err = importer.Regions(ctx, db, divisionDir, "4313x2")
	wantCode(t, err, domain.EINVALID)
}

func countPrefix(codes []string, prefix string) int {
	n := 0
	for _, c := range codes {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// writeDivisions writes a tiny division folder; villages is the body of villages.csv.
func writeDivisions(t *testing.T, villages string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"provinces.csv": "code,name\n43,湖南省\n",
		"cities.csv":    "code,name,provinceCode\n4313,娄底市,43\n",
		"areas.csv":     "code,name,cityCode,provinceCode\n431382,涟源市,4313,43\n",
		"streets.csv":   "code,name,areaCode,provinceCode,cityCode\n431382001,蓝田街道,431382,43,4313\n431382002,六亩塘街道,431382,43,4313\n",
		"villages.csv":  "code,name,streetCode,provinceCode,cityCode,areaCode\n" + villages,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportRegionsIdempotentAndAtomic(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	good := writeDivisions(t, "431382001001,民光社区,431382001,43,4313,431382\n")
	for i := 0; i < 2; i++ { // importing again is idempotent
		if n, err := importer.Regions(ctx, db, good, ""); err != nil || n != 6 {
			t.Fatalf("good import #%d: %d, %v", i+1, n, err)
		}
		if n, err := db.CountRegions(ctx, ""); err != nil || n != 6 {
			t.Fatalf("after import #%d: %d regions (%v), want 6", i+1, n, err)
		}
	}
	// a re-import with --under keeps what lies outside and updates names inside
	renamed := writeDivisions(t, "431382001001,民光社区居委会,431382001,43,4313,431382\n")
	if n, err := importer.Regions(ctx, db, renamed, "431382001"); err != nil || n != 5 {
		t.Fatalf("import under 431382001: %d, %v; want 43, 4313, 431382, 431382001 and its village", n, err)
	}
	if r, _ := db.Region(ctx, "431382001001"); r.Name != "民光社区居委会" {
		t.Errorf("re-import did not update the name: %+v", r)
	}
	if kids, _ := db.Children(ctx, "431382001"); len(kids) != 1 || kids[0].Parent != "431382001" || kids[0].Level != domain.LevelVillage {
		t.Errorf("children after re-import: %+v", kids)
	}
	if n, err := db.CountRegions(ctx, ""); err != nil || n != 6 {
		t.Fatalf("after re-import under a street: %d regions (%v), want 6", n, err)
	}
	for name, villages := range map[string]string{
		"bad code":     "431382001002,建中社区,431382001,43,4313,431382\n43138200100X,坏,431382001,43,4313,431382\n",
		"grid code":    "431382001002,建中社区,431382001,43,4313,431382\n431382001002001,网格,431382001,43,4313,431382\n",
		"missing name": "431382001002,建中社区,431382001,43,4313,431382\n431382001003\n",
		"bad quoting":  "431382001002,建中社区,431382001,43,4313,431382\n431382001003,\"未闭合,431382001\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeDivisions(t, villages)
			_, err := importer.Regions(ctx, db, dir, "")
			if err == nil {
				t.Fatal("a bad row was accepted")
			}
			if msg := err.Error(); !strings.Contains(msg, "villages.csv") || !strings.Contains(msg, "line 3") {
				t.Errorf("error %q does not name the file and line 3", msg)
			}
			if n, err := db.CountRegions(ctx, ""); err != nil || n != 6 {
				t.Errorf("%d regions after a failed import (%v), want the 6 from before", n, err)
			}
			if _, err := db.Region(ctx, "431382001002"); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("the good row before the bad one was written: %v", err)
			}
		})
	}
	// a missing file is an error too, and writes nothing
	dir := writeDivisions(t, "")
	os.Remove(filepath.Join(dir, "villages.csv"))
	if _, err := importer.Regions(ctx, db, dir, ""); err == nil {
		t.Error("import without villages.csv succeeded")
	}
}

// Demo grids carry polygons: a point maps to the deepest region that holds it.
func TestLocate(t *testing.T) {
	t.Parallel()
	svc, _, _ := whistletest.Demo(t, 0)
	db := whistletest.StoreOf(svc)
	var grids, micro []domain.Region
	var walk func(code string)
	walk = func(code string) {
		kids, err := db.Children(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kids {
			switch k.Level {
			case domain.LevelGrid:
				grids = append(grids, k)
			case domain.LevelMicroGrid:
				micro = append(micro, k)
			}
			walk(k.Code)
		}
	}
	walk("431382001")
	if len(grids) == 0 || len(micro) == 0 {
		t.Fatalf("demo has %d grids and %d micro-grids", len(grids), len(micro))
	}
	centre := func(r domain.Region) (float64, float64) {
		p, err := domain.ParsePolygon(r.Polygon)
		if err != nil {
			t.Fatalf("%s: %v", r.Code, err)
		}
		lat, lon := p.Centroid()
		if !p.Contains(lat, lon) {
			t.Fatalf("%s: centroid outside its polygon", r.Code)
		}
		return lat, lon
	}
	// a point inside a micro-grid maps to the micro-grid, not to the grid around it
	for _, m := range micro {
		lat, lon := centre(m)
		got, err := db.Locate(ctx, lat, lon)
		if err != nil {
			t.Fatalf("%s: %v", m.Code, err)
		}
		if got.Code != m.Code {
			t.Errorf("point %.6f,%.6f inside %s located in %s", lat, lon, m.Code, got.Code)
		}
	}
	// a point of a grid outside all its micro-grids maps to the grid
	found := 0
	for _, g := range grids {
		p, _ := domain.ParsePolygon(g.Polygon)
		minLat, maxLat, minLon, maxLon := p.Box()
		for i := 1; i < 20 && found < 20; i++ {
			lat, lon := minLat+(maxLat-minLat)*float64(i)/20, minLon+(maxLon-minLon)*0.01
			inside := ""
			for _, m := range micro {
				if mp, _ := domain.ParsePolygon(m.Polygon); strings.HasPrefix(m.Code, g.Code) && mp.Contains(lat, lon) {
					inside = m.Code
				}
			}
			got, err := db.Locate(ctx, lat, lon)
			if err != nil {
				t.Fatal(err)
			}
			want := g.Code
			if inside != "" {
				want = inside
			}
			if got.Code != want {
				t.Errorf("point %.6f,%.6f: located in %s, want %s", lat, lon, got.Code, want)
			}
			if inside == "" {
				found++
			}
		}
	}
	if found == 0 {
		t.Error("no grid point outside the micro-grids was tried")
	}
	for _, pt := range [][2]float64{{0, 0}, {39.9, 116.4}, {27.7, 111.0}} {
		_, err := db.Locate(ctx, pt[0], pt[1])
		wantCode(t, err, domain.ENOTFOUND)
	}
	// the stored region keeps its polygon and centroid
	r, err := db.Region(ctx, micro[0].Code)
	if err != nil || r.Polygon == "" || r.Lat == nil || r.Lon == nil {
		t.Fatalf("micro-grid read back: %+v, %v", r, err)
	}
}

func TestPutRegionsRejectsBadPolygon(t *testing.T) {
	t.Parallel()
	db, _ := whistletest.DB(t)
	err := db.PutRegions(ctx, []domain.Region{
		{Code: "43", Name: "湖南省", Level: domain.LevelProvince},
		{Code: "4313", Name: "娄底市", Level: domain.LevelCity, Parent: "43", Polygon: `{"type":"Polygon","coordinates":[[[1,2],[3,4]]]}`},
	})
	wantCode(t, err, domain.EINVALID)
	if n, err := db.CountRegions(ctx, ""); err != nil || n != 0 {
		t.Fatalf("%d regions written by a refused batch (%v)", n, err)
	}
	// a polygon without a centroid gets one
	poly := `{"type":"Polygon","coordinates":[[[111.6,27.6],[111.7,27.6],[111.7,27.8],[111.6,27.8],[111.6,27.6]]]}`
	if err := db.PutRegions(ctx, []domain.Region{{Code: "43", Name: "湖南省", Level: domain.LevelProvince, Polygon: poly}}); err != nil {
		t.Fatal(err)
	}
	r, err := db.Region(ctx, "43")
	if err != nil || r.Lat == nil || *r.Lat < 27.69 || *r.Lat > 27.71 || *r.Lon < 111.64 || *r.Lon > 111.66 {
		t.Fatalf("centroid not filled: %+v %v", r, err)
	}
	got, err := db.Locate(ctx, 27.7, 111.65)
	if err != nil || got.Code != "43" {
		t.Fatalf("locate: %+v, %v", got, err)
	}
}
