package bench

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
)

// BenchmarkLand (issue 25) imports a county's survey of 100,000 parcels with their
// polygons as one GeoJSON FeatureCollection through service.ImportLandParcels (decode,
// validate every feature and polygon, one transaction of multi-row INSERTs), against the
// issue's 30 s, and then finds the parcel under a point (service.LandParcelAt: the
// bounding-box index, then point-in-polygon in Go) against its 5 ms, on a fresh
// database of each engine. The parcels are squares of 20–40 m on a grid of 0.001°
// (about 100 m) over 洪江区's villages, 500 collectives of 200 parcels.
func BenchmarkLand(b *testing.B) {
	f, err := newDemo("land", 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.db.Close()
	if _, err := demo.LandSetup(ctx, f.db); err != nil {
		b.Fatal(err)
	}
	county := domain.User{ID: 1, Login: "bench.county", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: demo.LandCounty}}}
	villages, err := f.db.RegionsAt(ctx, demo.LandCounty, 12)
	if err != nil || len(villages) < 25 {
		b.Fatalf("villages of 洪江区: %d %v", len(villages), err)
	}
	const perCollective, groups = 200, 20
	var body bytes.Buffer
	body.WriteString(`{"type":"FeatureCollection","features":[`)
	rng := rand.New(rand.NewSource(25))
	n := 0
	type square struct{ lon, lat, side float64 }
	var squares []square
	for _, v := range villages[:25] {
		for g := 1; g <= groups; g++ {
			if _, err := f.svc.CreateLandCollective(ctx, county, domain.LandCollective{Village: v.Code, Group: fmt.Sprintf("%02d", g), Name: fmt.Sprintf("第%d组", g)}); err != nil {
				b.Fatal(err)
			}
			for p := 1; p <= perCollective; p++ {
				lon, lat := 109.8+float64(n%400)*0.001, 27.0+float64(n/400)*0.001
				side := 20 + rng.Float64()*20
				d := side / 111000
				m2 := int64(side * side * 100)
				if n > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `{"type":"Feature","properties":{"code":"%s","name":"大丘","contract_area_mu":"%s","measured_area_m2":"%s","use":"水田","class":4,`+
					`"basic_farmland":true,"east":"田埂","south":"水渠","west":"山脚","north":"机耕道"},"geometry":{"type":"Polygon","coordinates":`+
					`[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]}}`,
					domain.LandParcelCode(v.Code, fmt.Sprintf("%02d", g), p), domain.MuOfSqM(domain.SqM(m2)), domain.SqM(m2),
					lon, lat, lon+d, lat, lon+d, lat+d, lon, lat+d, lon, lat)
				squares = append(squares, square{lon, lat, d})
				n++
			}
		}
	}
	body.WriteString(`]}`)
	b.Run("import100k", func(b *testing.B) {
		if b.N > 1 {
			b.Skip("the import runs once (run with -benchtime 1x)")
		}
		t0 := time.Now()
		got, err := f.svc.ImportLandParcels(ctx, county, demo.LandCounty, body.Bytes())
		if err != nil || got != n {
			b.Fatalf("imported %d of %d: %v", got, n, err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "s")
		b.ReportMetric(float64(body.Len())/1e6, "MB-geojson")
	})
	b.Run("at2000", func(b *testing.B) {
		var lat latencies
		for i := 0; i < 2000*b.N; i++ { // 2,000 points a run, for the percentiles
			s := squares[rng.Intn(len(squares))]
			inside := i%4 != 0 // one in four between the squares, where none is
			lon, la := s.lon+s.side/2, s.lat+s.side/2
			if !inside {
				lon, la = s.lon+0.0008, s.lat+0.0008
			}
			if err := lat.time(func() error {
				_, err := f.svc.LandParcelAt(ctx, county, lon, la)
				if inside != (err == nil) {
					return fmt.Errorf("point %v,%v inside=%v: %v", lon, la, inside, err)
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		lat.reportUs(b)
		b.ReportMetric(float64(lat.pct(90))/1e3, "p90-µs")
	})
}
