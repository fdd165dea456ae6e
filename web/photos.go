package web

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// Photos of cases live in the attachments store of the intake service (issue 5):
// service.FileIntake takes a report's photos with the case, service.Attach adds
// evidence to an event, service.Attachments lists them and service.OpenAttachment
// serves them to users who may see the case. The pages call it only through the
// functions of this file.

// maxUpload bounds a form's body; maxPhotos the photos of one report.
const (
	maxUpload = 4*domain.MaxAttachment + 1<<20
	maxPhotos = 4
)

// uploadedSheet reads the first file of a form's field, up to the largest workbook the
// importers take (service.MaxRegister, one byte more so an oversized one is seen as
// such); nil when none was sent.
func uploadedSheet(r *http.Request, field string) ([]byte, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, nil
	}
	f, err := r.MultipartForm.File[field][0].Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, service.MaxRegister+1))
}

// photoUploads turns the form's photo files into uploads for the intake service
// (which sniffs, measures and stores them); an empty file input is skipped.
func photoUploads(r *http.Request, field string) ([]service.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []service.Upload
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Size == 0 {
			continue
		}
		if len(out) == maxPhotos {
			return nil, domain.Errorf(domain.EINVALID, "at most %d photos", maxPhotos)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, domain.MaxAttachment+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, service.Upload{Name: fh.Filename, Body: bytes.NewReader(data)})
	}
	return out, nil
}

// savePhotos attaches uploads to one event of a case (the resolve that they prove).
func (a *App) savePhotos(ctx context.Context, u domain.User, caseID int64, eventSeq int, files []service.Upload) error {
	for _, f := range files {
		if _, err := a.svc.Attach(ctx, u, caseID, eventSeq, f.Name, f.Body); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	register(func(a *App) {
		a.Page("GET /files/{id}", nil, a.file)
	})
}

// file serves an attachment (?thumb=1: its thumbnail) to a user who may see its case.
func (a *App) file(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "file")
	if err != nil {
		return err
	}
	thumb := r.URL.Query().Get("thumb") == "1"
	att, f, err := a.svc.OpenAttachment(r.Context(), q.User, id, thumb)
	return serveStored(w, att, f, thumb, err)
}

// serveStored sends a stored file (a case's attachment, an item's evidence) or its
// thumbnail, opened with err; nothing else may run in its sandbox.
func serveStored(w http.ResponseWriter, att domain.Attachment, f io.ReadCloser, thumb bool, err error) error {
	if err != nil {
		return err
	}
	defer f.Close()
	ct := att.ContentType
	if thumb {
		ct = "image/jpeg"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	_, err = io.Copy(w, f)
	return err
}
