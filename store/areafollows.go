package store

import (
	"context"
	"slices"

	"whistle/domain"
)

// FollowArea adds (on) or removes a user's follow of a region or of a matter in it.
// A follow changes the directory (followedRegions), so every server reads it anew.
func (tx *Tx) FollowArea(userID int64, f domain.AreaFollow, on bool) error {
	if err := tx.bumpDirectory(); err != nil {
		return err
	}
	if !on {
		_, err := tx.exec(`DELETE FROM area_follows WHERE user_id = ? AND region = ? AND matter = ?`, userID, f.Region, f.Matter)
		return err
	}
	_, err := tx.exec(`INSERT INTO area_follows (user_id, region, matter, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, region, matter) DO NOTHING`, userID, f.Region, f.Matter, tx.now.Unix())
	return err
}

// followedRegions gives the regions anyone follows, read once per directory version:
// a filing asks it before reading area_follows, so the filings of an installation where
// nobody follows the region read nothing (a read in the filing's transaction sends its
// batched writes first: SQLite's lone filing p50 went 0.88 → 1.0 ms with the probe).
func (db *DB) followedRegions(ctx context.Context) (map[string]bool, error) {
	return lookup(ctx, db, func(d *directory) *map[string]map[string]bool { return &d.followed }, "", func() (map[string]bool, error) {
		regions, err := scanColumn[string](db.read.QueryContext(ctx, `SELECT DISTINCT region FROM area_follows`))
		set := map[string]bool{}
		for _, r := range regions {
			set[r] = true
		}
		return set, err
	})
}

// AreaFollows lists what a user follows, with the regions' and matters' names, by region.
func (db *DB) AreaFollows(ctx context.Context, userID int64) ([]domain.AreaFollow, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT f.region, f.matter, COALESCE(r.name, ''), COALESCE(m.name, '')
		FROM area_follows f LEFT JOIN regions r ON r.code = f.region LEFT JOIN matters m ON m.code = f.matter
		WHERE f.user_id = ? ORDER BY f.region, f.matter`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.AreaFollow{}
	for rows.Next() {
		var f domain.AreaFollow
		if err := rows.Scan(&f.Region, &f.Matter, &f.RegionName, &f.MatterName); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AreaFollowCount counts a user's follows (in the transaction that adds one).
func (tx *Tx) AreaFollowCount(userID int64) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM area_follows WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}

// AreaFollowers lists the users who follow region (or one of its ancestors), all
// matters or matter, and still hold a grant that sees every case there (leader,
// dispatcher, administrator over the region: a follower whose grant was taken away
// hears no more). One probe of area_follows_region per ancestor level, each follower's
// grants by their key: the cost is bounded by the region's depth and its followers,
// not by the number of follows.
func (tx *Tx) AreaFollowers(region, matter string) ([]int64, error) {
	codes := append(domain.Ancestors(region), region)
	followed, err := tx.db.followedRegions(tx.ctx)
	if err != nil || !slices.ContainsFunc(codes, func(c string) bool { return followed[c] }) {
		return nil, err
	}
	roles := make([]any, len(domain.AreaFollowRoles))
	for i, r := range domain.AreaFollowRoles {
		roles[i] = string(r)
	}
	grantRegions := append(anySlice(codes), "") // an administrator of everywhere has no region
	args := append(append(append(anySlice(codes), matter), roles...), grantRegions...)
	return tx.userIDs(`SELECT DISTINCT f.user_id FROM area_follows f
		WHERE f.region IN (`+placeholders(len(codes))+`) AND f.matter IN ('', ?)
		AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = f.user_id AND g.role IN (`+placeholders(len(roles))+`)
			AND g.region IN (`+placeholders(len(grantRegions))+`))
		ORDER BY f.user_id`, args...)
}
