// Package importer reads the files an administration already has: the national
// division CSVs and the matter catalog.
package importer

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// divisionFiles are the china-division files, top level first, so parents are stored
// before children.
var divisionFiles = []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}

// Regions loads the national division CSVs of dir (villages.csv or villages.csv.gz) into
// db in one transaction; with under set, only that subtree and its ancestors. It
// returns the number of regions stored.
func Regions(ctx context.Context, db *store.DB, dir, under string) (int, error) {
	if under != "" {
		if _, err := domain.LevelOf(under); err != nil {
			return 0, err
		}
	}
	keep := func(code string) bool {
		return under == "" || strings.HasPrefix(code, under) || strings.HasPrefix(under, code)
	}
	n := 0
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, name := range divisionFiles {
			f, err := openMaybeGz(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			got, err := readDivisions(f, name, keep, tx.PutRegions)
			f.Close()
			if err != nil {
				return err
			}
			n += got
		}
		return nil
	})
	return n, err
}

// readDivisions streams one CSV (code,name,...) into put, a chunk at a time.
func readDivisions(r io.Reader, name string, keep func(string) bool, put func([]domain.Region) error) (int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return 0, divisionsError(name, err, "no header")
	}
	chunk := make([]domain.Region, 0, 5000)
	n := 0
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, divisionsError(name, err, fmt.Sprintf("line %d", line))
		}
		if len(rec) < 2 {
			return n, domain.Errorf(domain.EINVALID, "%s line %d: want code,name", name, line)
		}
		code := strings.TrimSpace(rec[0])
		level, err := domain.LevelOf(code)
		if err != nil || level == domain.LevelGrid || level == domain.LevelMicroGrid {
			return n, domain.Errorf(domain.EINVALID, "%s line %d: bad division code %q", name, line, code)
		}
		if !keep(code) {
			continue
		}
		chunk = append(chunk, domain.Region{Code: code, Name: strings.TrimSpace(rec[1]), Level: level, Parent: domain.ParentCode(code)})
		if len(chunk) == cap(chunk) {
			if err := put(chunk); err != nil {
				return n, err
			}
			n += len(chunk)
			chunk = chunk[:0]
		}
	}
	if err := put(chunk); err != nil {
		return n, err
	}
	return n + len(chunk), nil
}

// divisionsError says what is wrong with a division file: a file that is empty or not
// CSV is invalid input, with the line where the CSV breaks; a failure to read it is not.
func divisionsError(name string, err error, where string) error {
	var pe *csv.ParseError
	if errors.Is(err, io.EOF) || errors.As(err, &pe) {
		line, msg := csvError(err)
		if line > 0 {
			where = fmt.Sprintf("line %d", line)
		}
		return domain.Errorf(domain.EINVALID, "%s %s: %s", name, where, msg)
	}
	return fmt.Errorf("%s %s: %w", name, where, err)
}

// openMaybeGz opens path, or path.gz decompressed.
func openMaybeGz(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	gz, err2 := os.Open(path + ".gz")
	if err2 != nil {
		return nil, fmt.Errorf("neither %s nor %s.gz: %w", filepath.Base(path), filepath.Base(path), err)
	}
	zr, err := gzip.NewReader(gz)
	if err != nil {
		gz.Close()
		return nil, fmt.Errorf("%s.gz: %w", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, gz}, nil
}
