package store

import (
	"context"
	"database/sql"
	"strings"

	"whistle/domain"
)

const regionCols = `code, name, level, parent, kind, lat, lon, polygon`

func scanRegion(row scanner) (domain.Region, error) {
	var r domain.Region
	var lat, lon sql.NullFloat64
	var poly sql.NullString
	err := row.Scan(&r.Code, &r.Name, &r.Level, &r.Parent, &r.Kind, &lat, &lon, &poly)
	if lat.Valid && lon.Valid {
		r.Lat, r.Lon = &lat.Float64, &lon.Float64
	}
	r.Polygon = poly.String
	return r, err
}

// Region reads one region inside a transaction.
func (tx *Tx) Region(code string) (domain.Region, error) {
	r, err := scanRegion(tx.queryRow(`SELECT `+regionCols+` FROM regions WHERE code = ?`, code))
	return r, notFound(err, "region %s not found", code)
}

// Children lists a region's children in code order ("" lists the provinces).
func (db *DB) Children(ctx context.Context, parent string) ([]domain.Region, error) {
	return db.regions(ctx, `SELECT `+regionCols+` FROM regions WHERE parent = ? ORDER BY code`, parent)
}

// SearchRegions lists up to limit regions whose name holds text or whose code starts
// with it, the higher levels first: the region picker's search box.
func (db *DB) SearchRegions(ctx context.Context, text string, limit int) ([]domain.Region, error) {
	if text = strings.NewReplacer("%", "", "_", "", "\\", "").Replace(text); text == "" {
		return []domain.Region{}, nil // nothing left to look for
	}
	return db.regions(ctx, `SELECT `+regionCols+` FROM regions
		WHERE name LIKE '%' || ? || '%' OR code LIKE ? || '%' ORDER BY length(code), code LIMIT ?`, text, text, limit)
}

// Ancestors lists the regions above code, the province first.
func (db *DB) Ancestors(ctx context.Context, code string) ([]domain.Region, error) {
	ctx, err := db.Fresh(ctx) // one version read for all the levels
	if err != nil {
		return nil, err
	}
	codes := domain.Ancestors(code)
	out := make([]domain.Region, 0, len(codes))
	for _, c := range codes {
		r, err := db.Region(ctx, c)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// RegionsAt lists the regions of one code length (one level) in root's subtree, in
// code order: the places a generator spreads cases over.
func (db *DB) RegionsAt(ctx context.Context, root string, codeLen int) ([]domain.Region, error) {
	lo, hi := domain.SubtreeRange(root)
	return db.regions(ctx, `SELECT `+regionCols+` FROM regions WHERE code >= ? AND code < ? AND LENGTH(code) = ? ORDER BY code`, lo, hi, codeLen)
}

// CountRegions counts the regions in a subtree ("" is all).
func (db *DB) CountRegions(ctx context.Context, root string) (int, error) {
	lo, hi := domain.SubtreeRange(root)
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE code >= ? AND code < ?`, lo, hi).Scan(&n)
	return n, err
}

func (db *DB) regions(ctx context.Context, q string, args ...any) ([]domain.Region, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Region{}
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutRegions inserts or replaces regions in one transaction, parents before children.
// It serves both the country-wide import (one prepared statement, one commit) and an
// admin adding a grid with its polygon.
func (db *DB) PutRegions(ctx context.Context, regions []domain.Region) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.PutRegions(regions) })
}

// PutRegions is PutRegions inside a caller's transaction. The rows go in multi-row
// statements: the whole country is 266 statements, not 665,276 round trips.
func (tx *Tx) PutRegions(regions []domain.Region) error {
	if err := tx.bumpDirectory(); err != nil {
		return err
	}
	const upsert = ` ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent,
		kind = excluded.kind, lat = excluded.lat, lon = excluded.lon, polygon = excluded.polygon,
		min_lat = excluded.min_lat, max_lat = excluded.max_lat, min_lon = excluded.min_lon, max_lon = excluded.max_lon`
	const chunk = maxParams / 12
	var rows [][]any
	at := map[string]int{} // a code given twice in one statement: the later row wins
	for i, r := range regions {
		var poly, minLat, maxLat, minLon, maxLon any
		if r.Polygon != "" {
			p, err := domain.ParsePolygon(r.Polygon)
			if err != nil {
				return domain.Errorf(domain.EINVALID, "region %s: %s", r.Code, domain.ErrorMessage(err))
			}
			poly = r.Polygon
			minLat, maxLat, minLon, maxLon = p.Box()
			if r.Lat == nil {
				lat, lon := p.Centroid()
				r.Lat, r.Lon = &lat, &lon
			}
		}
		var lat, lon any
		if r.Lat != nil && r.Lon != nil {
			lat, lon = *r.Lat, *r.Lon
		}
		row := []any{r.Code, r.Name, r.Level, r.Parent, r.Kind, lat, lon, poly, minLat, maxLat, minLon, maxLon}
		if k, ok := at[r.Code]; ok {
			rows[k] = row
		} else {
			at[r.Code] = len(rows)
			rows = append(rows, row)
		}
		if len(rows) == chunk || i == len(regions)-1 {
			if err := tx.insertRows(`regions (code, name, level, parent, kind, lat, lon, polygon, min_lat, max_lat, min_lon, max_lon)`, upsert, rows); err != nil {
				return err
			}
			rows, at = rows[:0], map[string]int{}
		}
	}
	return nil
}

// Locate maps a point to the deepest region whose polygon holds it. The box index
// narrows the candidates; the exact test runs in Go.
func (db *DB) Locate(ctx context.Context, lat, lon float64) (domain.Region, error) {
	cands, err := db.regions(ctx, `SELECT `+regionCols+` FROM regions
		WHERE polygon IS NOT NULL AND min_lat <= ? AND max_lat >= ? AND min_lon <= ? AND max_lon >= ?`, lat, lat, lon, lon)
	if err != nil {
		return domain.Region{}, err
	}
	best := domain.Region{}
	for _, r := range cands {
		p, err := domain.ParsePolygon(r.Polygon)
		if err == nil && p.Contains(lat, lon) && len(r.Code) > len(best.Code) {
			best = r
		}
	}
	if best.Code == "" {
		return best, domain.Errorf(domain.ENOTFOUND, "no region holds the point %.6f,%.6f", lat, lon)
	}
	return best, nil
}

// RegionNames maps codes to names for the codes given, for labelling statistics.
func (db *DB) RegionNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	for _, c := range codes {
		if _, ok := out[c]; ok {
			continue
		}
		var name string
		err := db.read.QueryRowContext(ctx, `SELECT name FROM regions WHERE code = ?`, c).Scan(&name)
		if err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		out[c] = name
	}
	return out, nil
}
