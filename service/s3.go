package service

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// S3Setting names the setting that moves the attachment store to an S3-compatible
// object store (MinIO, Ceph, a cloud's), as JSON:
//
//	{"endpoint":"https://minio.example:9000","region":"us-east-1","bucket":"whistle",
//	 "access_key":"…","secret_key":"…"}
//
// The key and secret then live in the settings table (and so in backups): give the
// store's account access to that bucket only. Objects are named by SHA-256 like the
// files of the directory store, addressed path-style and signed with AWS Signature V4.
const S3Setting = "attachments_s3"

type s3Config struct {
	Endpoint  string `json:"endpoint"`
	Region    string `json:"region"`
	Bucket    string `json:"bucket"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

func (c s3Config) validate() error {
	u, err := url.Parse(c.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" && u.Path != "/" {
		return fmt.Errorf("%s: endpoint must be http(s)://host[:port]", S3Setting)
	}
	if c.Region == "" || c.Bucket == "" || strings.ContainsAny(c.Bucket, "/?#") || c.AccessKey == "" || c.SecretKey == "" {
		return fmt.Errorf("%s needs region, bucket, access_key and secret_key", S3Setting)
	}
	return nil
}

// s3Store keeps attachments in a bucket.
type s3Store struct {
	cfg    s3Config
	client *http.Client
	now    func() time.Time
}

func (s s3Store) object(sum string) (*url.URL, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("bad blob name %q", sum)
	}
	u, err := url.Parse(strings.TrimSuffix(s.cfg.Endpoint, "/") + "/" + s.cfg.Bucket + "/" + sum[:2] + "/" + sum[2:4] + "/" + sum)
	return u, err
}

func (s s3Store) do(method, sum string, body []byte, payloadHash string) (*http.Response, error) {
	u, err := s.object(sum)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
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

func (s s3Store) put(data []byte) (string, error) {
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	res, err := s.do(http.MethodPut, sum, data, sum)
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

func (s s3Store) open(sum string) (io.ReadSeekCloser, error) {
	res, err := s.do(http.MethodGet, sum, nil, emptySHA256)
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
	data, err := io.ReadAll(io.LimitReader(res.Body, domain.MaxAttachment+1))
	if err != nil {
		return nil, err
	}
	return readSeekNopCloser{bytes.NewReader(data)}, nil
}

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

// s3From reads the S3 setting; ok false when unset.
func (s *Service) s3From(ctx context.Context) (s3Store, bool, error) {
	v, err := s.db.Setting(ctx, S3Setting)
	if err != nil || v == "" {
		return s3Store{}, false, err
	}
	var cfg s3Config
	if err := json.Unmarshal([]byte(v), &cfg); err != nil {
		return s3Store{}, false, fmt.Errorf("%s: %w", S3Setting, err)
	}
	if err := cfg.validate(); err != nil {
		return s3Store{}, false, err
	}
	return s3Store{cfg: cfg, client: &http.Client{Timeout: time.Minute}, now: time.Now}, true, nil
}
