package transport

import (
	"encoding/csv"
	"io"
	"net/http"

	"whistle/domain"
	"whistle/sheets"
)

// WriteTable answers rows as a download called name: an XLSX workbook of one sheet
// (format "xlsx") or CSV (format "" or "csv", with a byte-order mark so spreadsheet
// programs read it as UTF-8). Once the CSV has begun an error can no longer be
// answered; it is returned for the log.
func WriteTable(w http.ResponseWriter, name, sheet, format string, rows [][]string) error {
	w.Header().Set("Cache-Control", "no-store")
	switch format {
	case "xlsx":
		book, err := sheets.Write(sheet, rows)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		_, err = w.Write(book)
		return err
	case "", "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		io.WriteString(w, "\ufeff")
		return csv.NewWriter(w).WriteAll(rows)
	default:
		return domain.Errorf(domain.EINVALID, "format is csv or xlsx")
	}
}

// Document types WriteDocument sends.
const (
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	PDF  = "application/pdf"
)

// WriteDocument answers a made document (a workbook, a PDF) as a download called name,
// or shown in the browser when inline, unless err says why it was not made.
func WriteDocument(w http.ResponseWriter, contentType, name string, inline bool, body []byte, err error) error {
	if err != nil {
		return err
	}
	disposition := "attachment"
	if inline {
		disposition = "inline"
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", disposition+`; filename="`+name+`"`)
	_, err = w.Write(body)
	return err
}
