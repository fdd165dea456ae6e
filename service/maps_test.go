package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// ring is a GeoJSON Polygon of the points given ([lon, lat]), closed.
func ring(pts ...[2]float64) string {
	var b strings.Builder
	for _, p := range append(pts, pts[0]) {
		if b.Len() > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "[%.6f,%.6f]", p[0], p[1])
	}
	return `{"type":"Polygon","coordinates":[[` + b.String() + `]]}`
}

// TestRegionOutline: an outline drawn on the map is checked in the service before it is
// stored: too few distinct points, crossing edges, a vertex far from the parent's other
// grids are refused, each with its own key; a good one is stored, placed (a point inside
// it is located in it) and audited with the outline before and after.
func TestRegionOutline(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 0)
	admin := users["demo.admin"]
	grid, err := svc.Region(ctx, "431382001001001")
	if err != nil || grid.Polygon == "" {
		t.Fatalf("the demo grid: %v", err)
	}
	p, _ := domain.ParsePolygon(grid.Polygon)
	minLat, maxLat, minLon, maxLon := p.Box()
	w, h := maxLon-minLon, maxLat-minLat
	at := func(fx, fy float64) [2]float64 { return [2]float64{minLon + fx*w, minLat + fy*h} }
	for _, tc := range []struct {
		name, polygon, key string
	}{
		{"not GeoJSON", `{"type":"Point","coordinates":[111.6,27.7]}`, "region.polygon"},
		{"two distinct points", ring(at(0, 0), at(1, 1), at(0, 0)), "region.polygon_points"},
		{"all on a line", ring(at(0, 0), at(0, .5), at(0, 1)), "region.polygon_points"},
		{"a bow tie", ring(at(0, 0), at(1, 1), at(1, 0), at(0, .6)), "region.polygon_crossing"},
		{"far from the community", ring(at(0, 0), [2]float64{minLon + 0.2, minLat}, at(1, 1), at(0, 1)), "region.polygon_far"},
	} {
		_, err := svc.PutRegion(ctx, admin, domain.Region{Code: grid.Code, Name: grid.Name, Polygon: tc.polygon})
		var e *domain.Error
		if domain.ErrorCode(err) != domain.EINVALID || !errorAs(err, &e) || e.Key != tc.key {
			t.Errorf("%s: %v, want the key %s", tc.name, err, tc.key)
		}
	}
	if got, _ := svc.Region(ctx, grid.Code); got.Polygon != grid.Polygon {
		t.Fatal("a refused outline was stored")
	}
	// the left half of the grid as it was, drawn anew
	drawn := ring(at(0, 0), at(.5, 0), at(.5, 1), at(0, 1))
	got, err := svc.PutRegion(ctx, admin, domain.Region{Code: grid.Code, Name: grid.Name, Kind: grid.Kind, Polygon: drawn})
	if err != nil || got.Polygon != drawn || got.Lat == nil {
		t.Fatalf("a good outline: %v %+v", err, got)
	}
	if r, err := svc.Locate(ctx, minLat+.5*h, minLon+.25*w); err != nil || !strings.HasPrefix(r.Code, grid.Code) {
		t.Errorf("a point in the new outline lies in %v (%v)", r.Code, err)
	}
	if r, err := svc.Locate(ctx, minLat+.5*h, minLon+.9*w); err == nil && r.Code == grid.Code {
		t.Error("a point cut off the grid still lies in it")
	}
	entries, _, err := svc.AuditLog(ctx, admin, domain.AuditFilter{Action: "region.put", Object: "region/" + grid.Code, Limit: 5})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Change, "coordinates") {
		t.Fatalf("the outline's audit: %v %+v", err, entries)
	}
}

// errorAs is errors.As for a *domain.Error.
func errorAs(err error, e **domain.Error) bool {
	x, ok := err.(*domain.Error)
	if ok {
		*e = x
	}
	return ok
}

// TestHazardMap: the ledger's map reads the hazards with a position, at most
// HazardMapPoints; past them it counts per grid, the counts adding up to the hazards.
// Who may not read the ledger may not read its map; a county has none.
func TestHazardMap(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	u := func(login string) domain.User {
		x, err := whistletest.StoreOf(svc).UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	grid, leader := u("demo.grid"), u("demo.leader")
	g, err := svc.Region(ctx, "431382001001001")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := domain.ParsePolygon(g.Polygon)
	lat, lon := p.Centroid()
	from := clock.Now().Add(-time.Hour)
	report := func(level string) {
		t.Helper()
		if _, err := svc.ReportHazard(ctx, grid, domain.HazardFinding{Matter: "AQ-001", Title: "消防通道堵塞", Region: g.Code, Lat: &lat, Lon: &lon, Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	report("major")
	report("general")
	m, err := svc.HazardMap(ctx, leader, "431382001", from, clock.Now().Add(time.Hour))
	if err != nil || len(m.Points) != 2 || m.PerGrid != nil || len(m.Grids) == 0 {
		t.Fatalf("two hazards: %v %d points", err, len(m.Points))
	}
	if m.Points[0].Region != g.Code || m.Points[0].Level == m.Points[1].Level || m.Points[0].Lat != lat || m.Points[0].Overdue {
		t.Errorf("the points: %+v", m.Points)
	}
	for range service.HazardMapPoints {
		report("general")
	}
	m, err = svc.HazardMap(ctx, leader, "431382001", from, clock.Now().Add(time.Hour))
	if err != nil || m.Points != nil || m.PerGrid[g.Code].Found != service.HazardMapPoints+2 || m.PerGrid[g.Code].Major != 1 {
		t.Fatalf("past the cap: %v %d points, %+v", err, len(m.Points), m.PerGrid[g.Code])
	}
	if m, err := svc.HazardMap(ctx, u("demo.admin"), "431382", from, clock.Now().Add(time.Hour)); err != nil || m.Grids != nil {
		t.Errorf("a county's map: %v %d grids", err, len(m.Grids))
	}
	if _, err := svc.HazardMap(ctx, grid, "431382001", from, clock.Now()); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a grid worker reads the street's map: %v", err)
	}
}

// TestHazardMapPlan: the hazard map's read walks the ledger's partial index of hazard
// cases by time, newest first, and stops at its limit: its cost follows the points it
// draws, not the cases.
func TestHazardMapPlan(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := whistletest.Demo(t, 0)
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(svc))
	lo, hi := domain.SubtreeRange("431382001")
	q := `SELECT c.id, c.lat, c.lon FROM cases c LEFT JOIN hazards h ON h.case_id = c.id
		WHERE c.kind = 'hazard' AND c.created_at >= ? AND c.created_at < ? AND c.region >= ? AND c.region < ?
		AND c.lat IS NOT NULL AND c.lon IS NOT NULL AND c.status NOT IN ('rejected', 'merged')
		ORDER BY c.created_at DESC LIMIT ?`
	args := []any{clock.Now().AddDate(-1, 0, 0).Unix(), clock.Now().Unix(), lo, hi, service.HazardMapPoints + 1}
	plan := ""
	if whistletest.StoreOf(svc).Engine() == "sqlite" {
		rows, err := raw.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan += detail + "\n"
		}
		rows.Close()
	} else {
		conn, err := raw.DB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.QueryContext(ctx, whistletest.StoreOf(svc).Rebind(`EXPLAIN `+q), args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan += line + "\n"
		}
		rows.Close()
	}
	if !strings.Contains(plan, "cases_hazard_ledger") || strings.Contains(plan, "TEMP B-TREE") {
		t.Fatalf("the hazard map's read does not walk the hazard index in order:\n%s", plan)
	}
}
