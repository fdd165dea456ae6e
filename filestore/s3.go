package filestore

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"whistle/domain"
)

// S3Config places the store in a bucket of an S3-compatible object store (MinIO, Ceph,
// a cloud's); in JSON:
//
//	{"endpoint":"https://minio.example:9000","region":"us-east-1","bucket":"whistle",
//	 "access_key":"…","secret_key":"…"}
type S3Config struct {
	Endpoint  string `json:"endpoint"`
	Region    string `json:"region"`
	Bucket    string `json:"bucket"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

// Validate tells whether the configuration names an endpoint, a bucket and a key.
func (c S3Config) Validate() error {
	u, err := url.Parse(c.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" && u.Path != "/" {
		return errors.New("endpoint must be http(s)://host[:port]")
	}
	if c.Region == "" || c.Bucket == "" || strings.ContainsAny(c.Bucket, "/?#") || c.AccessKey == "" || c.SecretKey == "" {
		return errors.New("region, bucket, access_key and secret_key are required")
	}
	return nil
}

// S3 keeps the store in a bucket. Objects are named by SHA-256 like the files of the
// directory store (ab/cd/abcd…), addressed path-style and signed with AWS Signature V4:
// two requests, PUT and GET of a whole object of at most a few MB, are all the store
// needs, so it speaks them itself rather than through an SDK (README, Dependencies).
type S3 struct {
	cfg    S3Config
	client *http.Client
	now    func() time.Time
}

// NewS3 checks cfg and gives the store of its bucket.
func NewS3(cfg S3Config) (*S3, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &S3{cfg: cfg, client: &http.Client{Timeout: time.Minute}, now: time.Now}, nil
}

func (s *S3) object(sum string) (*url.URL, error) {
	if err := name(sum); err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSuffix(s.cfg.Endpoint, "/") + "/" + s.cfg.Bucket + "/" + sum[:2] + "/" + sum[2:4] + "/" + sum)
	return u, err
}

func (s *S3) do(ctx context.Context, method, sum string, body []byte, payloadHash string) (*http.Response, error) {
	u, err := s.object(sum)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	at := s.now().UTC()
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	req.Header.Set("X-Amz-Date", at.Format("20060102T150405Z"))
	req.Header.Set("Authorization", signV4(req.Method, u.Host, u.EscapedPath(), "", req.Header, payloadHash,
		"s3", s.cfg.Region, at, s.cfg.AccessKey, s.cfg.SecretKey))
	return s.client.Do(req)
}

// Put stores data and gives its SHA-256.
func (s *S3) Put(ctx context.Context, data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	res, err := s.do(ctx, http.MethodPut, sum, data, sum)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode/100 != 2 {
		return "", fmt.Errorf("object store: PUT %s: %s", sum, res.Status)
	}
	return sum, nil
}

// Open reads a stored object by its SHA-256; objects are at most MaxObject bytes.
func (s *S3) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	res, err := s.do(ctx, http.MethodGet, sum, nil, emptySHA256)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusNotFound {
		return nil, os.ErrNotExist
	}
	if res.StatusCode/100 != 2 {
		return nil, fmt.Errorf("object store: GET %s: %s", sum, res.Status)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, MaxObject+1))
	if err != nil {
		return nil, err
	}
	return readSeekNopCloser{bytes.NewReader(data)}, nil
}

// MaxObject bounds what Open reads of an object into memory: more than any attachment.
const MaxObject = domain.MaxAttachment

type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// signV4 gives the Authorization header of AWS Signature Version 4 for a request whose
// headers (those to sign: Host is added) are set; path is already URI-encoded.
func signV4(method, host, path, query string, header http.Header, payloadHash, service, region string, at time.Time, access, secret string) string {
	names := []string{"host"}
	values := map[string]string{"host": host}
	for k, v := range header {
		lk := strings.ToLower(k)
		if lk == "authorization" {
			continue
		}
		names = append(names, lk)
		values[lk] = strings.Join(strings.Fields(strings.Join(v, ",")), " ")
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, n := range names {
		canonHeaders.WriteString(n + ":" + values[n] + "\n")
	}
	signed := strings.Join(names, ";")
	if path == "" {
		path = "/"
	}
	canon := strings.Join([]string{method, path, query, canonHeaders.String(), signed, payloadHash}, "\n")
	day := at.Format("20060102")
	scope := day + "/" + region + "/" + service + "/aws4_request"
	ch := sha256.Sum256([]byte(canon))
	toSign := "AWS4-HMAC-SHA256\n" + at.Format("20060102T150405Z") + "\n" + scope + "\n" + hex.EncodeToString(ch[:])
	mac := func(key []byte, s string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		return m.Sum(nil)
	}
	key := mac(mac(mac(mac([]byte("AWS4"+secret), day), region), service), "aws4_request")
	return "AWS4-HMAC-SHA256 Credential=" + access + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + hex.EncodeToString(mac(key, toSign))
}
