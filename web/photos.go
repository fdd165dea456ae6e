package web

import (
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/store"
)

// Photos of cases. The web pages reach storage only through PhotoStore, and the phone
// page's upload only through savePhoto, so wiring them to the attachments service of
// issue 5 is one assignment: set App.Photos to an adapter over that service in New.
// Until then dbPhotos keeps photos in the web_photos table.

// maxUpload bounds a phone report's body; maxPhoto one photo.
const (
	maxUpload = 24 << 20
	maxPhoto  = 8 << 20
	maxPhotos = 4
)

// PhotoRef names a stored photo for a page.
type PhotoRef struct {
	ID  int64
	URL string
}

// PhotoStore keeps photos of cases; the caller has checked the user may see the case.
type PhotoStore interface {
	Put(ctx context.Context, u domain.User, caseID int64, contentType string, data []byte) error
	List(ctx context.Context, caseID int64) ([]PhotoRef, error)
	// Get gives a photo and the case it belongs to, for a visibility check.
	Get(ctx context.Context, id int64) (caseID int64, contentType string, data []byte, err error)
}

type dbPhotos struct{ db *store.DB }

func (p dbPhotos) Put(ctx context.Context, u domain.User, caseID int64, contentType string, data []byte) error {
	_, err := p.db.PutWebPhoto(ctx, caseID, u.ID, contentType, data)
	return err
}

func (p dbPhotos) List(ctx context.Context, caseID int64) ([]PhotoRef, error) {
	ps, err := p.db.WebPhotos(ctx, caseID)
	out := make([]PhotoRef, len(ps))
	for i, ph := range ps {
		out[i] = PhotoRef{ID: ph.ID, URL: "/photos/" + strconv.FormatInt(ph.ID, 10)}
	}
	return out, err
}

func (p dbPhotos) Get(ctx context.Context, id int64) (int64, string, []byte, error) {
	ph, data, err := p.db.WebPhoto(ctx, id)
	return ph.CaseID, ph.ContentType, data, err
}

// photoTypes are the image types accepted, decided by sniffing the bytes, never by the
// file's name or the type the browser claims.
var photoTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// savePhoto checks and stores one photo of a case the user just filed or may see.
// It is the phone page's single call into photo storage.
func (a *App) savePhoto(ctx context.Context, u domain.User, caseID int64, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	if len(data) > maxPhoto {
		return domain.Errorf(domain.EINVALID, "photo larger than %d bytes", maxPhoto)
	}
	ct := http.DetectContentType(data)
	if !photoTypes[ct] {
		return domain.Errorf(domain.EINVALID, "not a photo (%s)", ct)
	}
	return a.Photos.Put(ctx, u, caseID, ct, data)
}

func init() {
	register(func(a *App) {
		a.Page("GET /photos/{id}", nil, a.photo)
	})
}

// photo serves a photo to a user who may see its case; to others it does not exist.
func (a *App) photo(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "no photo")
	}
	caseID, ct, data, err := a.Photos.Get(r.Context(), id)
	if err != nil {
		return err
	}
	if _, err := a.svc.Case(r.Context(), q.User, caseID); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	_, err = w.Write(data)
	return err
}
