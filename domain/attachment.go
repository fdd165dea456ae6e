package domain

import (
	"path"
	"strings"
	"time"
)

// Attachment is a photo or document on a case, or on one of its events (evidence of
// rectification on a resolve). The bytes live in a content-addressed store under SHA256;
// the row only describes them.
type Attachment struct {
	ID          int64     `json:"id"`
	CaseID      int64     `json:"case_id"`
	EventSeq    int       `json:"event_seq,omitempty"` // 0: the case itself
	SHA256      string    `json:"sha256"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Width       int       `json:"width,omitempty"`
	Height      int       `json:"height,omitempty"`
	ThumbSHA256 string    `json:"thumb_sha256,omitempty"`
	Lat         *float64  `json:"lat,omitempty"` // the photo's own GPS position (EXIF)
	Lon         *float64  `json:"lon,omitempty"`
	UploadedBy  int64     `json:"uploaded_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxAttachment is the largest file accepted (a phone photo is 2-8 MB).
const MaxAttachment = 12 << 20

// MaxPixels bounds a decoded image, so a small file that claims a huge size (a
// decompression bomb) is refused before it is decoded.
const MaxPixels = 40_000_000

// MaxAttachmentsPerCase bounds how many files one case may gather.
const MaxAttachmentsPerCase = 50

// attachmentTypes are the content types accepted, as sniffed from a file's content.
var attachmentTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "application/pdf": true,
}

// CheckAttachmentType refuses a file whose type is not a photo or a PDF document. The
// type is the one sniffed from the file's first bytes, never its name or the type the
// sender claims.
func CheckAttachmentType(contentType string) error {
	if !attachmentTypes[contentType] {
		return Errorf(EINVALID, "files must be JPEG, PNG, GIF or WebP photos or PDF documents; this one is %s", contentType)
	}
	return nil
}

// IsImage tells whether a content type is a photo that gets a thumbnail.
func IsImage(contentType string) bool { return strings.HasPrefix(contentType, "image/") }

// CleanFileName keeps a display name safe to show and to send in a header: the base
// name, printable, at most 120 bytes; a name that is nothing after cleaning becomes
// "file".
func CleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' || r == '\\' || r == 0xfffd {
			continue
		}
		if b.Len()+len(string(r)) > 120 {
			break
		}
		b.WriteRune(r)
	}
	s := strings.TrimSpace(b.String())
	if s == "" || s == "." || s == ".." {
		return "file"
	}
	return s
}
