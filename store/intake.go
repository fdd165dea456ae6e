package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"whistle/domain"
)

// PutIntake records what a door noted beside a new case received at received, in the
// filing's transaction. secret is the receipt secret of the public page or a window
// (stored hashed), "" for none.
func (tx *Tx) PutIntake(d domain.IntakeDetails, secret string, received time.Time) error {
	attrs, err := json.Marshal(d.Attributes)
	if err != nil {
		return err
	}
	if d.Attributes == nil {
		attrs = []byte("{}")
	}
	var client, token, window any
	if d.ClientID != 0 {
		client = d.ClientID
	}
	if d.WindowID != 0 {
		window = d.WindowID
	}
	if d.Token != "" {
		token = d.Token
	}
	hash := ""
	if secret != "" {
		hash = tokenHash(secret)
	}
	_, err = tx.exec(`INSERT INTO case_intake (case_id, caller_phone, caller_digits, recording, window_no, enterprise, supervised, client_id,
		email, device_id, account_id, media_url, token, secret_hash, attributes, window_id, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.CaseID, d.CallerPhone, domain.PhoneDigits(d.CallerPhone), d.Recording, d.Window, d.Enterprise, boolInt(d.Supervised), client, d.Email, d.DeviceID,
		d.AccountID, d.MediaURL, token, hash, string(attrs), window, received.Unix())
	return err
}

const intakeCols = `case_id, caller_phone, recording, window_no, enterprise, supervised, client_id, email, device_id,
	account_id, media_url, token, attributes, window_id`

func scanIntake(row scanner) (domain.IntakeDetails, error) {
	var d domain.IntakeDetails
	var supervised int
	var client, window sql.NullInt64
	var token sql.NullString
	var attrs string
	err := row.Scan(&d.CaseID, &d.CallerPhone, &d.Recording, &d.Window, &d.Enterprise, &supervised, &client, &d.Email,
		&d.DeviceID, &d.AccountID, &d.MediaURL, &token, &attrs, &window)
	if err != nil {
		return d, err
	}
	d.Supervised, d.ClientID, d.Token, d.WindowID = supervised == 1, client.Int64, token.String, window.Int64
	if err := json.Unmarshal([]byte(attrs), &d.Attributes); err != nil {
		return d, err
	}
	return d, nil
}

// Intake reads what the door noted for a case; a case filed without details gives
// empty details, not an error.
func (db *DB) Intake(ctx context.Context, caseID int64) (domain.IntakeDetails, error) {
	d, err := scanIntake(db.read.QueryRowContext(ctx, `SELECT `+intakeCols+` FROM case_intake WHERE case_id = ?`, caseID))
	if err == sql.ErrNoRows {
		return domain.IntakeDetails{CaseID: caseID}, nil
	}
	return d, err
}

// IntakeOf reads the details of several cases at once (a page of Open311 requests),
// a few hundred ids per query.
func (db *DB) IntakeOf(ctx context.Context, ids []int64) (map[int64]domain.IntakeDetails, error) {
	out := map[int64]domain.IntakeDetails{}
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := db.read.QueryContext(ctx, `SELECT `+intakeCols+` FROM case_intake WHERE case_id IN (?`+strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			d, err := scanIntake(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[d.CaseID] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CaseByToken finds the case an Open311 token stands for.
func (db *DB) CaseByToken(ctx context.Context, token string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT case_id FROM case_intake WHERE token = ?`, token).Scan(&id)
	return id, notFound(err, "token %s not found", token)
}

// CaseByReceipt finds the case of a receipt: its number and the secret printed on it
// must both match; either wrong is the same not-found.
func (db *DB) CaseByReceipt(ctx context.Context, number, secret string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT c.id FROM cases c JOIN case_intake i ON i.case_id = c.id
		WHERE c.number = ? AND i.secret_hash = ? AND i.secret_hash <> ''`, number, tokenHash(secret)).Scan(&id)
	return id, notFound(err, "no case with this receipt number and secret")
}

// Leaders lists the leaders who answer for region: those of the region and above it.
func (tx *Tx) Leaders(region string) ([]int64, error) {
	var ids []int64
	for _, code := range append(domain.Ancestors(region), region) {
		got, err := tx.userIDs(`SELECT user_id FROM grants WHERE role = 'leader' AND region = ?`, code)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

// Hit counts one use of key ("limiter:who") in the fixed window win and tells whether
// the count is still within limit. The counter is a row, so every server shares it; the
// limiter's rows of past windows are dropped as it goes, so the table holds only the
// addresses active in the current window.
func (db *DB) Hit(ctx context.Context, key string, win int64, limit int) (bool, error) {
	limiter, _, _ := strings.Cut(key, ":")
	var n int
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM rate_limits WHERE key >= ? AND key < ? AND win < ?`, limiter+":", limiter+";", win); err != nil {
			return err
		}
		return tx.queryRow(`INSERT INTO rate_limits (key, win, hits) VALUES (?, ?, 1)
			ON CONFLICT (key, win) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`, key, win).Scan(&n)
	})
	return n <= limit, err
}
