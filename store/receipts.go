package store

import (
	"context"
	"database/sql"
)

// ReceiptSub is a public-receipt holder's subscription to a case's progress, its
// address sealed (receipt_subs, 0041_receipt_subs.sql).
type ReceiptSub struct {
	ID        int64
	CaseID    int64
	Channel   string
	Address   string // sealed
	Masked    string
	Site      string
	Confirmed bool
	Ended     bool
}

// PutReceiptSub adds a subscription of a case to an address, or, when the case has one
// to that address (by its hash), starts it over unconfirmed: its id either way.
func (tx *Tx) PutReceiptSub(s ReceiptSub, hash string) (int64, error) {
	var id int64
	err := tx.queryRow(`INSERT INTO receipt_subs (case_id, channel, address, address_hash, masked, site, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (case_id, address_hash) DO UPDATE SET channel = excluded.channel, address = excluded.address, masked = excluded.masked,
		site = excluded.site, created_at = excluded.created_at, confirmed_at = NULL, ended_at = NULL
		RETURNING id`, s.CaseID, s.Channel, s.Address, hash, s.Masked, s.Site, tx.now.Unix()).Scan(&id)
	return id, err
}

// ReceiptSubs counts a case's subscriptions not ended but the one to hash.
func (tx *Tx) ReceiptSubs(caseID int64, hash string) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM receipt_subs WHERE case_id = ? AND ended_at IS NULL AND address_hash <> ?`, caseID, hash).Scan(&n)
	return n, err
}

// ReceiptSub reads a subscription.
func (db *DB) ReceiptSub(ctx context.Context, id int64) (ReceiptSub, error) {
	s := ReceiptSub{ID: id}
	var confirmed, ended sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT case_id, channel, address, masked, site, confirmed_at, ended_at FROM receipt_subs WHERE id = ?`, id).
		Scan(&s.CaseID, &s.Channel, &s.Address, &s.Masked, &s.Site, &confirmed, &ended)
	s.Confirmed, s.Ended = confirmed.Valid, ended.Valid
	return s, notFound(err, "no such subscription")
}

// ConfirmReceiptSub confirms a subscription not ended (a second confirmation changes
// nothing) and tells whether it is live.
func (tx *Tx) ConfirmReceiptSub(id int64) (bool, error) {
	res, err := tx.exec(`UPDATE receipt_subs SET confirmed_at = COALESCE(confirmed_at, ?) WHERE id = ? AND ended_at IS NULL`, tx.now.Unix(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// EndReceiptSub stops a subscription (again: nothing changes).
func (tx *Tx) EndReceiptSub(id int64) error {
	_, err := tx.exec(`UPDATE receipt_subs SET ended_at = COALESCE(ended_at, ?) WHERE id = ?`, tx.now.Unix(), id)
	return err
}

// EnqueueToSub puts one message to a subscription's sealed address in the outbox, due
// now (its confirmation).
func (tx *Tx) EnqueueToSub(s ReceiptSub, kind, text string) error {
	_, err := tx.exec(`INSERT INTO outbox (user_id, channel, case_id, kind, message, created_at, due_at, address, receipt_sub) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.Channel, s.CaseID, kind, text, tx.now.Unix(), tx.now.Unix(), s.Address, s.ID)
	return err
}

// EnqueueReceiptProgress puts a message of a case's progress in the outbox for each of
// its live subscriptions: one INSERT ... SELECT over the partial index of live ones, in
// the transaction of the step, so the messages commit (or roll back) with it.
func (tx *Tx) EnqueueReceiptProgress(caseID int64, kind, text string) error {
	_, err := tx.exec(`INSERT INTO outbox (user_id, channel, case_id, kind, message, created_at, due_at, address, receipt_sub)
		SELECT NULL, channel, case_id, ?, ?, ?, ?, address, id FROM receipt_subs
		WHERE case_id = ? AND confirmed_at IS NOT NULL AND ended_at IS NULL`, kind, text, tx.now.Unix(), tx.now.Unix(), caseID)
	return err
}
