package importer

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"strings"

	"whistle/store"
)

// shippedCalendars are the official holiday arrangements, each file naming the State
// Council notice it comes from in its first line.
//
//go:embed calendars/*.csv
var shippedCalendars embed.FS

// SeedCalendars loads each shipped year the database has no days for, so a fresh
// installation computes deadlines right and an administrator's edits are never undone.
func SeedCalendars(ctx context.Context, db *store.DB) error {
	files, err := shippedCalendars.ReadDir("calendars")
	if err != nil {
		return err
	}
	for _, f := range files {
		var year int
		if _, err := fmt.Sscanf(strings.TrimPrefix(f.Name(), "cn-"), "%d.csv", &year); err != nil {
			return fmt.Errorf("shipped calendar %s: %w", f.Name(), err)
		}
		seeded, err := db.Setting(ctx, fmt.Sprintf("calendar_seeded_%d", year))
		if err != nil {
			return err
		}
		have, err := db.CalendarDays(ctx, year)
		if err != nil {
			return err
		}
		if seeded != "" || len(have) > 0 {
			continue // loaded once already: an administrator's edits, even an empty year, stand
		}
		body, err := shippedCalendars.ReadFile("calendars/" + f.Name())
		if err != nil {
			return err
		}
		days, err := ReadCalendar(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("shipped calendar %s: %w", f.Name(), err)
		}
		if err := db.PutCalendarYear(ctx, year, days); err != nil {
			return err
		}
		if err := db.PutSetting(ctx, fmt.Sprintf("calendar_seeded_%d", year), f.Name()); err != nil {
			return err
		}
	}
	return nil
}
