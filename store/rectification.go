package store

import (
	"context"
	"database/sql"

	"whistle/domain"
)

// 督查整改: rectification lists, items, milestones, evidence and the items' dated events.

const rectListCols = `l.id, l.title, l.source, l.source_ref, l.region, l.owner_id, COALESCE(u.name, ''), l.created_at`

// rectLists lists the lists meeting where (over rect_lists l), newest first.
func rectLists(ctx context.Context, q querier, where string, args ...any) ([]domain.RectList, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+rectListCols+` FROM rect_lists l LEFT JOIN users u ON u.id = l.owner_id WHERE `+where+
		` ORDER BY l.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.RectList{}
	for rows.Next() {
		var l domain.RectList
		var at int64
		if err := rows.Scan(&l.ID, &l.Title, &l.Source, &l.SourceRef, &l.Region, &l.OwnerID, &l.OwnerName, &at); err != nil {
			return nil, err
		}
		l.CreatedAt = fromUnix(at)
		out = append(out, l)
	}
	return out, rows.Err()
}

// RectLists lists the lists of region's subtree, and with orgs also the lists holding
// an item one of orgs answers for.
func (db *DB) RectLists(ctx context.Context, regions []string, orgs []string) ([]domain.RectList, error) {
	seen, out := map[int64]bool{}, []domain.RectList{}
	add := func(ls []domain.RectList, err error) error {
		for _, l := range ls {
			if !seen[l.ID] {
				seen[l.ID] = true
				out = append(out, l)
			}
		}
		return err
	}
	for _, r := range regions {
		lo, hi := domain.SubtreeRange(r)
		if err := add(rectLists(ctx, db.read, `l.region >= ? AND l.region < ?`, lo, hi)); err != nil {
			return nil, err
		}
	}
	for _, o := range orgs {
		if err := add(rectLists(ctx, db.read, `l.id IN (SELECT list_id FROM rect_items WHERE org = ?)`, o)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RectList reads one list.
func (db *DB) RectList(ctx context.Context, id int64) (domain.RectList, error) {
	return rectList(ctx, db.read, id)
}

// RectList reads one list in tx.
func (tx *Tx) RectList(id int64) (domain.RectList, error) { return rectList(tx.ctx, tx, id) }

func rectList(ctx context.Context, q querier, id int64) (domain.RectList, error) {
	ls, err := rectLists(ctx, q, `l.id = ?`, id)
	if err == nil && len(ls) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "rectification list %d not found", id)
	}
	if err != nil {
		return domain.RectList{}, err
	}
	return ls[0], nil
}

// InsertRectList adds a list, made now unless it says when (the demo's history).
func (tx *Tx) InsertRectList(l *domain.RectList) error {
	if l.CreatedAt.IsZero() {
		l.CreatedAt = tx.now.Truncate(1e9)
	}
	return tx.queryRow(`INSERT INTO rect_lists (title, source, source_ref, region, owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		l.Title, l.Source, l.SourceRef, l.Region, l.OwnerID, l.CreatedAt.Unix()).Scan(&l.ID)
}

const rectItemCols = `i.id, i.list_id, i.seq, i.problem, i.measures, i.org, i.person, i.deadline, i.status, i.progress, i.reason,
	i.case_id, i.created_at, i.applied_at, i.closed_at`

// RectItemFilter picks items: of one list, or of the lists in a region's subtree,
// optionally of one org.
type RectItemFilter struct {
	ListID int64
	Region string
	Org    string
	ID     int64
}

func (f RectItemFilter) where() (string, []any) {
	w, args := `1 = 1`, []any{}
	if f.ID != 0 {
		w, args = w+` AND i.id = ?`, append(args, f.ID)
	}
	if f.ListID != 0 {
		w, args = w+` AND i.list_id = ?`, append(args, f.ListID)
	}
	if f.Region != "" {
		lo, hi := domain.SubtreeRange(f.Region)
		w, args = w+` AND i.list_id IN (SELECT id FROM rect_lists WHERE region >= ? AND region < ?)`, append(args, lo, hi)
	}
	if f.Org != "" {
		w, args = w+` AND i.org = ?`, append(args, f.Org)
	}
	return w, args
}

// RectItems reads the items f picks with their milestones, by list and number.
func (db *DB) RectItems(ctx context.Context, f RectItemFilter) ([]domain.RectItem, error) {
	return rectItems(ctx, db.read, f)
}

// RectItem reads one item with its milestones in tx.
func (tx *Tx) RectItem(id int64) (domain.RectItem, error) {
	its, err := rectItems(tx.ctx, tx, RectItemFilter{ID: id})
	if err == nil && len(its) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "rectification item %d not found", id)
	}
	if err != nil {
		return domain.RectItem{}, err
	}
	return its[0], nil
}

func rectItems(ctx context.Context, q querier, f RectItemFilter) ([]domain.RectItem, error) {
	where, args := f.where()
	rows, err := q.QueryContext(ctx, `SELECT `+rectItemCols+` FROM rect_items i WHERE `+where+` ORDER BY i.list_id, i.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out, at := []domain.RectItem{}, map[int64]int{}
	for rows.Next() {
		var it domain.RectItem
		var caseID, applied, closed sql.NullInt64
		var created int64
		if err := rows.Scan(&it.ID, &it.ListID, &it.Seq, &it.Problem, &it.Measures, &it.Org, &it.Person, &it.Deadline, &it.Status,
			&it.Progress, &it.Reason, &caseID, &created, &applied, &closed); err != nil {
			return nil, err
		}
		it.CaseID, it.CreatedAt, it.AppliedAt, it.ClosedAt = caseID.Int64, fromUnix(created), timeOrNil(applied), timeOrNil(closed)
		it.Milestones = []domain.RectMilestone{}
		at[it.ID] = len(out)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ms, err := q.QueryContext(ctx, `SELECT m.id, m.item_id, m.name, m.due, m.done FROM rect_milestones m JOIN rect_items i ON i.id = m.item_id WHERE `+
		where+` ORDER BY m.item_id, m.due, m.id`, args...)
	if err != nil {
		return nil, err
	}
	defer ms.Close()
	for ms.Next() {
		var m domain.RectMilestone
		if err := ms.Scan(&m.ID, &m.ItemID, &m.Name, &m.Due, &m.Done); err != nil {
			return nil, err
		}
		if k, ok := at[m.ItemID]; ok {
			out[k].Milestones = append(out[k].Milestones, m)
		}
	}
	return out, ms.Err()
}

// InsertRectItem adds an item, numbered next in its list, made now, with its milestones.
func (tx *Tx) InsertRectItem(it *domain.RectItem) error {
	if err := tx.queryRow(`SELECT COALESCE(MAX(seq), 0) + 1 FROM rect_items WHERE list_id = ?`, it.ListID).Scan(&it.Seq); err != nil {
		return err
	}
	if it.CreatedAt.IsZero() {
		it.CreatedAt = tx.now.Truncate(1e9)
	}
	if it.Status == "" {
		it.Status = domain.RectOpen
	}
	err := tx.queryRow(`INSERT INTO rect_items (list_id, seq, problem, measures, org, person, deadline, status, progress, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, it.ListID, it.Seq, it.Problem, it.Measures, it.Org, it.Person, it.Deadline,
		it.Status, it.Progress, it.CreatedAt.Unix()).Scan(&it.ID)
	if err != nil {
		return err
	}
	for i := range it.Milestones {
		m := &it.Milestones[i]
		m.ItemID = it.ID
		if err := tx.queryRow(`INSERT INTO rect_milestones (item_id, name, due, done) VALUES (?, ?, ?, ?) RETURNING id`,
			it.ID, m.Name, m.Due, m.Done).Scan(&m.ID); err != nil {
			return err
		}
	}
	return nil
}

// UpdateRectItem writes an item's terms and state.
func (tx *Tx) UpdateRectItem(it domain.RectItem) error {
	var caseID any
	if it.CaseID != 0 {
		caseID = it.CaseID
	}
	_, err := tx.exec(`UPDATE rect_items SET problem = ?, measures = ?, org = ?, person = ?, deadline = ?, status = ?, progress = ?, reason = ?,
		case_id = ?, applied_at = ?, closed_at = ? WHERE id = ?`, it.Problem, it.Measures, it.Org, it.Person, it.Deadline, it.Status,
		it.Progress, it.Reason, caseID, unixOrNil(it.AppliedAt), unixOrNil(it.ClosedAt), it.ID)
	return err
}

// SetRectMilestoneDone marks an item's milestone met on day; it must be the item's.
func (tx *Tx) SetRectMilestoneDone(itemID, id int64, day string) error {
	res, err := tx.exec(`UPDATE rect_milestones SET done = ? WHERE id = ? AND item_id = ? AND done = ''`, day, id, itemID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = domain.Errorf(domain.EINVALID, "milestone %d is not an open milestone of item %d", id, itemID)
		}
		return err
	}
	return nil
}

// AddRectEvent records what u did to an item now.
func (tx *Tx) AddRectEvent(itemID, userID int64, act domain.RectAction, note string) error {
	_, err := tx.exec(`INSERT INTO rect_events (item_id, at, user_id, action, note) VALUES (?, ?, ?, ?, ?)`, itemID, tx.now.Unix(), userID, act, note)
	return err
}

// RectEvents lists an item's events, oldest first, with who did them.
func (db *DB) RectEvents(ctx context.Context, itemID int64) ([]domain.RectEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT e.at, e.user_id, COALESCE(u.name, ''), e.action, e.note FROM rect_events e
		LEFT JOIN users u ON u.id = e.user_id WHERE e.item_id = ? ORDER BY e.id`, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.RectEvent{}
	for rows.Next() {
		var e domain.RectEvent
		var at int64
		if err := rows.Scan(&at, &e.UserID, &e.Name, &e.Action, &e.Note); err != nil {
			return nil, err
		}
		e.At = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddRectEvidence describes a stored file proving an item's work.
func (tx *Tx) AddRectEvidence(e *domain.RectEvidence) error {
	e.CreatedAt = tx.now.Truncate(1e9)
	return tx.queryRow(`INSERT INTO rect_evidence (item_id, sha256, name, content_type, size, thumb_sha256, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.ItemID, e.SHA256, e.Name, e.ContentType, e.Size, e.ThumbSHA256, e.UploadedBy,
		e.CreatedAt.Unix()).Scan(&e.ID)
}

// RectEvidence lists an item's files (itemID), or the one file id names (id).
func (db *DB) RectEvidence(ctx context.Context, itemID, id int64) ([]domain.RectEvidence, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, item_id, sha256, name, content_type, size, thumb_sha256, uploaded_by, created_at
		FROM rect_evidence WHERE (item_id = ? OR id = ?) ORDER BY id`, itemID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.RectEvidence{}
	for rows.Next() {
		var e domain.RectEvidence
		var at int64
		if err := rows.Scan(&e.ID, &e.ItemID, &e.SHA256, &e.Name, &e.ContentType, &e.Size, &e.ThumbSHA256, &e.UploadedBy, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = fromUnix(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RectDue is an item or a milestone the sweeper flags: past its day and not yet flagged.
type RectDue struct {
	ItemID      int64
	MilestoneID int64 // 0: the item's own deadline
	ListTitle   string
	Seq         int
	Org         string
	Name        string // the milestone's
}

// DueRect lists up to limit items past their deadline (before day) and not closed, and
// milestones past their due day and not met, not yet flagged.
func (tx *Tx) DueRect(day string, limit int) ([]RectDue, error) {
	rows, err := tx.query(`SELECT i.id, 0, l.title, i.seq, i.org, '' FROM rect_items i JOIN rect_lists l ON l.id = i.list_id
		WHERE i.deadline < ? AND i.closed_at IS NULL AND i.flagged_at IS NULL
		UNION ALL
		SELECT i.id, m.id, l.title, i.seq, i.org, m.name FROM rect_milestones m JOIN rect_items i ON i.id = m.item_id JOIN rect_lists l ON l.id = i.list_id
		WHERE m.due < ? AND m.done = '' AND m.flagged_at IS NULL AND i.closed_at IS NULL
		LIMIT ?`, day, day, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RectDue
	for rows.Next() {
		var d RectDue
		if err := rows.Scan(&d.ItemID, &d.MilestoneID, &d.ListTitle, &d.Seq, &d.Org, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FlagRect claims a due item or milestone for flagging: true when this call flagged it,
// false when another sweeper had (the conditional UPDATE is the claim).
func (tx *Tx) FlagRect(d RectDue) (bool, error) {
	q, id := `UPDATE rect_items SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL`, d.ItemID
	if d.MilestoneID != 0 {
		q, id = `UPDATE rect_milestones SET flagged_at = ? WHERE id = ? AND flagged_at IS NULL`, d.MilestoneID
	}
	res, err := tx.exec(q, tx.now.Unix(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// NotifyAbout puts a notice about no case in each user's inbox, once per user.
func (tx *Tx) NotifyAbout(users []int64, kind, message string) {
	seen := map[int64]bool{}
	for _, u := range users {
		if !seen[u] {
			seen[u] = true
			tx.add(pendingNotices, []any{u, nil, kind, message, tx.now.Unix()})
		}
	}
}
