package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
)

// Halls and windows (大综窗), and what each window received.

const hallCols = `id, code, name, region, kind, active`

func scanHall(row scanner) (domain.Hall, error) {
	var h domain.Hall
	var active int
	err := row.Scan(&h.ID, &h.Code, &h.Name, &h.Region, &h.Kind, &active)
	h.Active = active == 1
	return h, err
}

// hallsWhere lists the halls meeting where, by region and code.
func hallsWhere(ctx context.Context, q querier, where string, args ...any) ([]domain.Hall, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+hallCols+` FROM halls WHERE `+where+` ORDER BY region, code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Hall{}
	for rows.Next() {
		h, err := scanHall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Halls lists the halls in region's subtree ("" for all).
func (db *DB) Halls(ctx context.Context, region string) ([]domain.Hall, error) {
	lo, hi := domain.SubtreeRange(region)
	return hallsWhere(ctx, db.read, `region >= ? AND region < ?`, lo, hi)
}

// Hall reads one hall.
func (db *DB) Hall(ctx context.Context, id int64) (domain.Hall, error) {
	return hallByID(ctx, db.read, id)
}

// Hall reads one hall in tx.
func (tx *Tx) Hall(id int64) (domain.Hall, error) { return hallByID(tx.ctx, tx, id) }

func hallByID(ctx context.Context, q querier, id int64) (domain.Hall, error) {
	hs, err := hallsWhere(ctx, q, `id = ?`, id)
	if err == nil && len(hs) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "hall %d not found", id)
	}
	if err != nil {
		return domain.Hall{}, err
	}
	return hs[0], nil
}

// codeTaken refuses a code another row of table holds.
func (tx *Tx) codeTaken(table, what, code string, id int64) error {
	taken, err := tx.exists(`SELECT COUNT(*) FROM `+table+` WHERE code = ? AND id <> ?`, code, id)
	if err != nil {
		return err
	}
	if taken {
		return domain.Errorf(domain.ECONFLICT, "%s code %s is taken", what, code)
	}
	return nil
}

// updated tells not-found when an UPDATE by id changed no row.
func updated(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "%s %d not found", what, id)
	}
	return nil
}

// PutHall adds a hall (ID 0, numbering it) or changes one.
func (tx *Tx) PutHall(h *domain.Hall) error {
	if err := tx.codeTaken("halls", "hall", h.Code, h.ID); err != nil {
		return err
	}
	if h.ID == 0 {
		return tx.queryRow(`INSERT INTO halls (code, name, region, kind, active) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			h.Code, h.Name, h.Region, h.Kind, boolInt(h.Active)).Scan(&h.ID)
	}
	res, err := tx.exec(`UPDATE halls SET code = ?, name = ?, region = ?, kind = ?, active = ? WHERE id = ?`,
		h.Code, h.Name, h.Region, h.Kind, boolInt(h.Active), h.ID)
	return updated(res, err, "hall", h.ID)
}

const windowCols = `w.id, w.hall_id, w.code, w.name, w.kind, w.region, w.active, w.set_up, w.closed`

// windowsWhere lists the windows meeting where (on windows w joined with their halls
// h) with their staff and matters, by hall and code.
func windowsWhere(ctx context.Context, q querier, where string, args ...any) ([]domain.Window, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+windowCols+` FROM windows w JOIN halls h ON h.id = w.hall_id
		WHERE `+where+` ORDER BY h.region, h.code, w.code`, args...)
	if err != nil {
		return nil, err
	}
	out := []domain.Window{}
	at := map[int64]int{}
	for rows.Next() {
		var w domain.Window
		var active int
		if err := rows.Scan(&w.ID, &w.HallID, &w.Code, &w.Name, &w.Kind, &w.Region, &active, &w.SetUp, &w.Closed); err != nil {
			rows.Close()
			return nil, err
		}
		w.Active, w.Staff, w.Matters = active == 1, []int64{}, []string{}
		at[w.ID] = len(out)
		out = append(out, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, windowLists(ctx, q, out, at)
}

// windowLists fills the windows' staff and matters.
func windowLists(ctx context.Context, q querier, ws []domain.Window, at map[int64]int) error {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = strconv.FormatInt(w.ID, 10)
	}
	in := ` IN (` + strings.Join(ids, ", ") + `) ORDER BY 1, 2` // ids the query above read, not input
	rows, err := q.QueryContext(ctx, `SELECT window_id, user_id, '' FROM window_staff WHERE window_id`+in)
	if err != nil {
		return err
	}
	if err := fillLists(rows, ws, at); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT window_id, 0, matter FROM window_matters WHERE window_id`+in)
	if err != nil {
		return err
	}
	return fillLists(rows, ws, at)
}

// fillLists adds rows of (window, user, matter) to the windows' lists: a user when the
// row has one, else a matter.
func fillLists(rows *sql.Rows, ws []domain.Window, at map[int64]int) error {
	defer rows.Close()
	for rows.Next() {
		var id, user int64
		var matter string
		if err := rows.Scan(&id, &user, &matter); err != nil {
			return err
		}
		w := &ws[at[id]]
		if user != 0 {
			w.Staff = append(w.Staff, user)
		} else {
			w.Matters = append(w.Matters, matter)
		}
	}
	return rows.Err()
}

// Windows lists the windows of the halls in region's subtree ("" for all), of one hall
// when hall is not 0.
func (db *DB) Windows(ctx context.Context, region string, hall int64) ([]domain.Window, error) {
	lo, hi := domain.SubtreeRange(region)
	if hall != 0 {
		return windowsWhere(ctx, db.read, `h.region >= ? AND h.region < ? AND w.hall_id = ?`, lo, hi, hall)
	}
	return windowsWhere(ctx, db.read, `h.region >= ? AND h.region < ?`, lo, hi)
}

// HallWindows lists one hall's windows in tx.
func (tx *Tx) HallWindows(hall int64) ([]domain.Window, error) {
	return windowsWhere(tx.ctx, tx, `w.hall_id = ?`, hall)
}

// Window reads one window.
func (db *DB) Window(ctx context.Context, id int64) (domain.Window, error) {
	return windowByID(ctx, db.read, id)
}

// Window reads one window in tx.
func (tx *Tx) Window(id int64) (domain.Window, error) { return windowByID(tx.ctx, tx, id) }

func windowByID(ctx context.Context, q querier, id int64) (domain.Window, error) {
	ws, err := windowsWhere(ctx, q, `w.id = ?`, id)
	if err == nil && len(ws) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "window %d not found", id)
	}
	if err != nil {
		return domain.Window{}, err
	}
	return ws[0], nil
}

// WindowByRef finds a window by its code or, when no window has that code and it is a
// number, by its id.
func (db *DB) WindowByRef(ctx context.Context, ref string) (domain.Window, error) {
	ws, err := windowsWhere(ctx, db.read, `w.code = ?`, ref)
	if id, nerr := strconv.ParseInt(ref, 10, 64); err == nil && len(ws) == 0 && nerr == nil && id > 0 {
		ws, err = windowsWhere(ctx, db.read, `w.id = ?`, id)
	}
	if err == nil && len(ws) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "window %q not found", ref)
	}
	if err != nil {
		return domain.Window{}, err
	}
	return ws[0], nil
}

// WindowsServing lists the windows whose region holds region: those a case there may
// come through.
func (db *DB) WindowsServing(ctx context.Context, region string) ([]domain.Window, error) {
	codes := append(domain.Ancestors(region), region)
	return windowsWhere(ctx, db.read, `w.region IN (?`+strings.Repeat(", ?", len(codes)-1)+`)`, anySlice(codes)...)
}

// PutWindow adds a window (ID 0, numbering it) or changes one, with its staff and
// matters.
func (tx *Tx) PutWindow(w *domain.Window) error {
	if err := tx.codeTaken("windows", "window", w.Code, w.ID); err != nil {
		return err
	}
	if w.ID == 0 {
		err := tx.queryRow(`INSERT INTO windows (hall_id, code, name, kind, region, active, set_up, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			w.HallID, w.Code, w.Name, w.Kind, w.Region, boolInt(w.Active), w.SetUp, w.Closed).Scan(&w.ID)
		if err != nil {
			return err
		}
	} else {
		res, err := tx.exec(`UPDATE windows SET code = ?, name = ?, kind = ?, region = ?, active = ?, set_up = ?, closed = ? WHERE id = ?`,
			w.Code, w.Name, w.Kind, w.Region, boolInt(w.Active), w.SetUp, w.Closed, w.ID)
		if err := updated(res, err, "window", w.ID); err != nil {
			return err
		}
	}
	for _, q := range []string{`DELETE FROM window_staff WHERE window_id = ?`, `DELETE FROM window_matters WHERE window_id = ?`} {
		if _, err := tx.exec(q, w.ID); err != nil {
			return err
		}
	}
	for _, u := range w.Staff {
		if _, err := tx.exec(`INSERT INTO window_staff (window_id, user_id) VALUES (?, ?)`, w.ID, u); err != nil {
			return err
		}
	}
	for _, m := range w.Matters {
		if _, err := tx.exec(`INSERT INTO window_matters (window_id, matter) VALUES (?, ?)`, w.ID, m); err != nil {
			return err
		}
	}
	return nil
}

// WindowFigures counts, for each window of the halls in region's subtree, the cases it
// received in [from, to) by domain.WindowTally's rules (the rollup's): received, 办不成事,
// resolved (on time), visited, satisfied and basically satisfied. It reads the period's
// range of each window in case_intake_window and each case's row by its key, so its cost
// follows the windows' cases of the period.
func (db *DB) WindowFigures(ctx context.Context, region string, from, to time.Time) (map[int64]domain.WindowFigures, error) {
	lo, hi := domain.SubtreeRange(region)
	rows, err := db.read.QueryContext(ctx, `SELECT i.window_id, COUNT(*),
		SUM(CASE WHEN c.channel = 'cannot_do_window' THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.resolved_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.resolved_at IS NOT NULL AND c.resolve_due IS NOT NULL AND c.resolved_at <= c.resolve_due THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.satisfaction <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.satisfaction = 'satisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.satisfaction = 'basically_satisfied' THEN 1 ELSE 0 END)
		FROM case_intake i JOIN cases c ON c.id = i.case_id
		WHERE i.window_id IN (SELECT w.id FROM windows w JOIN halls h ON h.id = w.hall_id WHERE h.region >= ? AND h.region < ?)
		AND i.received_at >= ? AND i.received_at < ?
		GROUP BY i.window_id`, lo, hi, from.Unix(), to.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]domain.WindowFigures{}
	for rows.Next() {
		var id int64
		var f domain.WindowFigures
		if err := rows.Scan(&id, &f.Received, &f.CannotDo, &f.Resolved, &f.ResolvedOnTime, &f.Visited, &f.Satisfied, &f.BasicallySatisfied); err != nil {
			return nil, err
		}
		out[id] = f
	}
	return out, rows.Err()
}
