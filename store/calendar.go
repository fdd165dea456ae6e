package store

import (
	"context"
	"database/sql"
	"fmt"

	"whistle/domain"
)

// Calendar loads the working-day calendar: every exceptional day and the office hours.
func (db *DB) Calendar(ctx context.Context) (*domain.Calendar, error) {
	return calendarFrom(ctx, db.read)
}

// Calendar loads the calendar inside a transaction.
func (tx *Tx) Calendar() (*domain.Calendar, error) { return calendarFrom(tx.ctx, tx) }

func calendarFrom(ctx context.Context, q querier) (*domain.Calendar, error) {
	rows, err := q.QueryContext(ctx, `SELECT day, kind, name FROM calendar_days ORDER BY day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []domain.CalendarDay
	for rows.Next() {
		var d domain.CalendarDay
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var office []domain.Span
	var s string
	err = rowOf(q.QueryContext(ctx, `SELECT value FROM settings WHERE key = 'office_hours'`)).Scan(&s)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return nil, err
	default:
		if office, err = domain.ParseOffice(s); err != nil {
			return nil, err
		}
	}
	return domain.NewCalendar(days, office), nil
}

// CalendarDays lists the exceptional days of one year.
func (db *DB) CalendarDays(ctx context.Context, year int) ([]domain.CalendarDay, error) {
	return calendarDays(ctx, db.read, year)
}

// CalendarDays lists a year's exceptional days inside a transaction.
func (tx *Tx) CalendarDays(year int) ([]domain.CalendarDay, error) {
	return calendarDays(tx.ctx, tx, year)
}

func calendarDays(ctx context.Context, q querier, year int) ([]domain.CalendarDay, error) {
	rows, err := q.QueryContext(ctx, `SELECT day, kind, name FROM calendar_days WHERE day >= ? AND day < ? ORDER BY day`,
		yearStart(year), yearStart(year+1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.CalendarDay{}
	for rows.Next() {
		var d domain.CalendarDay
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PutCalendarYear replaces one year's exceptional days; every day must lie in the year.
func (db *DB) PutCalendarYear(ctx context.Context, year int, days []domain.CalendarDay) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.PutCalendarYear(year, days) })
}

// PutCalendarYear is PutCalendarYear inside a caller's transaction.
func (tx *Tx) PutCalendarYear(year int, days []domain.CalendarDay) error {
	for _, d := range days {
		if err := domain.ValidateDay(d); err != nil {
			return err
		}
		if d.Date < yearStart(year) || d.Date >= yearStart(year+1) {
			return domain.Errorf(domain.EINVALID, "%s is not in %d", d.Date, year)
		}
	}
	if _, err := tx.exec(`DELETE FROM calendar_days WHERE day >= ? AND day < ?`, yearStart(year), yearStart(year+1)); err != nil {
		return err
	}
	for _, d := range days {
		if _, err := tx.exec(`INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)`, d.Date, d.Kind, d.Name); err != nil {
			return domain.Errorf(domain.EINVALID, "calendar day %s listed twice", d.Date)
		}
	}
	return nil
}

// PutOfficeHours stores the office hours that working-hour deadlines count.
func (db *DB) PutOfficeHours(ctx context.Context, spans []domain.Span) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.PutOfficeHours(spans) })
}

// PutOfficeHours is PutOfficeHours inside a caller's transaction.
func (tx *Tx) PutOfficeHours(spans []domain.Span) error {
	return tx.putSetting("office_hours", domain.FormatOffice(spans))
}

// Setting reads one setting, "" when unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// PutSetting stores one setting.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.putSetting(key, value) })
}

// Setting reads one setting inside a transaction, "" when unset.
func (tx *Tx) Setting(key string) (string, error) {
	var v string
	err := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// PutSetting stores one setting inside a caller's transaction.
func (tx *Tx) PutSetting(key, value string) error { return tx.putSetting(key, value) }

func (tx *Tx) putSetting(key, value string) error {
	_, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func yearStart(y int) string { return fmt.Sprintf("%04d-01-01", y) }
