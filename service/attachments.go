package service

import (
	"context"
	"errors"
	"io"
	"os"

	"whistle/domain"
	"whistle/images"
	"whistle/store"
)

// Upload is a file as it arrives: a name the sender gave and its bytes.
type Upload struct {
	Name string
	Body io.Reader
}

// ReadUpload reads one upload within the size limit and checks what it really is: the
// type is sniffed from the content, images are measured before they are decoded (a
// small file cannot claim a billion pixels) and wait for their share of the decode
// budget with ctx, are decoded for a thumbnail, and their EXIF position is read. It is
// the upload decoder the fuzz test drives.
func ReadUpload(ctx context.Context, name string, r io.Reader) (domain.Attachment, []byte, []byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, domain.MaxAttachment+1))
	if err != nil {
		return domain.Attachment{}, nil, nil, domain.Errorf(domain.EINVALID, "could not read the file: %v", err)
	}
	if len(data) > domain.MaxAttachment {
		return domain.Attachment{}, nil, nil, domain.Errorf(domain.EINVALID, "files are at most %d MB", domain.MaxAttachment>>20)
	}
	if len(data) == 0 {
		return domain.Attachment{}, nil, nil, domain.Errorf(domain.EINVALID, "the file is empty")
	}
	ct := images.Sniff(data)
	if err := domain.CheckAttachmentType(ct); err != nil {
		return domain.Attachment{}, nil, nil, err
	}
	a := domain.Attachment{Name: domain.CleanFileName(name), ContentType: ct, Size: int64(len(data))}
	var thumb []byte
	if domain.IsImage(ct) {
		w, h, err := images.Size(data)
		if err != nil {
			return a, nil, nil, domain.Errorf(domain.EINVALID, "the photo cannot be read: %v", err)
		}
		if thumb, err = images.Thumbnail(ctx, data); err != nil { // measured before it is decoded
			return a, nil, nil, err
		}
		a.Width, a.Height = w, h
		if ct == "image/jpeg" {
			if lat, lon, ok := images.ExifPosition(data); ok {
				a.Lat, a.Lon = &lat, &lon
			}
		}
	}
	return a, data, thumb, nil
}

// storeUploads checks and stores files before the transaction that describes them; a
// stored file no row names is harmless (content-addressed, written once).
func (s *Service) storeUploads(ctx context.Context, files []Upload) ([]domain.Attachment, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if len(files) > 9 {
		return nil, domain.Errorf(domain.EINVALID, "at most 9 files at once")
	}
	b, err := s.blobs(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.Attachment
	for _, f := range files {
		a, data, thumb, err := ReadUpload(ctx, f.Name, f.Body)
		if err != nil {
			return nil, err
		}
		if a.SHA256, err = b.Put(ctx, data); err != nil {
			return nil, err
		}
		if thumb != nil {
			if a.ThumbSHA256, err = b.Put(ctx, thumb); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// Attach adds a file to a case the user may see, or to one of its events (eventSeq > 0,
// e.g. the photo proving a rectification). Whoever may see the case may add to it.
func (s *Service) Attach(ctx context.Context, u domain.User, caseID int64, eventSeq int, filename string, r io.Reader) (domain.Attachment, error) {
	if _, err := s.Case(ctx, u, caseID); err != nil {
		return domain.Attachment{}, err
	}
	if eventSeq < 0 {
		return domain.Attachment{}, domain.Errorf(domain.EINVALID, "event must be a positive sequence number")
	}
	as, err := s.storeUploads(ctx, []Upload{{Name: filename, Body: r}})
	if err != nil {
		return domain.Attachment{}, err
	}
	a := as[0]
	a.CaseID, a.EventSeq, a.UploadedBy = caseID, eventSeq, u.ID
	err = s.db.Update(ctx, func(tx *store.Tx) error { return tx.AddAttachment(&a) })
	return a, err
}

// Attachments lists the files of a case the user may see.
func (s *Service) Attachments(ctx context.Context, u domain.User, caseID int64) ([]domain.Attachment, error) {
	if _, err := s.Case(ctx, u, caseID); err != nil {
		return nil, err
	}
	return s.db.Attachments(ctx, caseID)
}

// OpenAttachment opens a file (or its thumbnail) for a user who may see its case; to
// anyone else it does not exist.
func (s *Service) OpenAttachment(ctx context.Context, u domain.User, id int64, thumb bool) (domain.Attachment, io.ReadSeekCloser, error) {
	a, err := s.db.Attachment(ctx, id)
	if err != nil {
		return a, nil, err
	}
	if _, err := s.Case(ctx, u, a.CaseID); err != nil {
		return a, nil, domain.Errorf(domain.ENOTFOUND, "attachment %d not found", id)
	}
	return s.openBlob(ctx, a, thumb)
}

func (s *Service) openBlob(ctx context.Context, a domain.Attachment, thumb bool) (domain.Attachment, io.ReadSeekCloser, error) {
	sum := a.SHA256
	if thumb {
		if a.ThumbSHA256 == "" {
			return a, nil, domain.Errorf(domain.ENOTFOUND, "attachment %d has no thumbnail", a.ID)
		}
		sum = a.ThumbSHA256
	}
	b, err := s.blobs(ctx)
	if err != nil {
		return a, nil, err
	}
	f, err := b.Open(ctx, sum)
	if errors.Is(err, os.ErrNotExist) {
		return a, nil, domain.Errorf(domain.ENOTFOUND, "the file of attachment %d is missing from the store", a.ID)
	}
	return a, f, err
}
