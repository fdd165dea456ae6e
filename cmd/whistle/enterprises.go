package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/sheets"
)

// importEnterprises reads an enterprise table (CSV, or the first sheet of an XLSX file)
// into the registry, all rows or none, as the installation's operator (every region).
func importEnterprises(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("import enterprises")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("import enterprises needs the CSV or XLSX file")
	}
	table, err := readTableFile(fs.Arg(0))
	if err != nil {
		return err
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	operator := domain.User{Name: "whistle import", Grants: []domain.Grant{{Role: domain.RoleAdmin}}}
	res, err := service.New(db).ImportEnterprises(ctx, operator, table)
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			fmt.Fprintf(stdout, "row %d: %s\n", e.Row, e.Message)
		}
		return fmt.Errorf("%d rows are wrong; nothing was imported", len(res.Errors))
	}
	fmt.Fprintf(stdout, "enterprises: %d registered, %d updated, %d liaison links\n", res.Created, res.Updated, res.Linked)
	return nil
}

func readTableFile(path string) ([][]string, error) {
	if strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return sheets.ReadFirst(f, false)
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	r := csv.NewReader(file)
	r.FieldsPerRecord = -1
	return r.ReadAll()
}
