// Package store is Pressroom's access to S3-compatible object storage. It
// is the only package that names object keys (see keys.go).
package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Config says where the bucket is. Empty fields fall back to the AWS SDK's
// own resolution (AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID, ...).
type Config struct {
	Endpoint  string // e.g. http://127.0.0.1:7070
	Region    string
	AccessKey string
	SecretKey string
	Bucket    string
}

// Store reads and writes objects in one bucket.
type Store struct {
	client *s3.Client
	bucket string
}

// ErrNotFound is returned when an object does not exist.
var ErrNotFound = errors.New("object not found")

// ErrChanged is returned by PutIfMatch when the object is no longer the
// version that was read: someone else wrote it in between (or created it,
// or it was removed). Read it again and retry.
var ErrChanged = errors.New("object changed since it was read")

// ImmutableConflictError says an immutable object already exists with
// different bytes: a release can never be rewritten.
type ImmutableConflictError struct {
	Key                 string
	Existing, Attempted string // sha256 of each
}

func (e *ImmutableConflictError) Error() string {
	return fmt.Sprintf("immutable object %s already exists with different content (stored sha256 %s, new %s)", e.Key, e.Existing, e.Attempted)
}

// maxIdleConns bounds the idle connections a Store keeps to its server.
const maxIdleConns = 64

// New connects to the bucket described by cfg.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("store: bucket name is empty")
	}
	opts := []func(*awsconfig.LoadOptions) error{}
	if cfg.Region != "" {
		opts = append(opts, awsconfig.WithRegion(cfg.Region))
	}
	if cfg.AccessKey != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")))
	}
	// A worker runs several activities at once, each with a few requests
	// in flight: the SDK's 10 idle connections per host make it dial
	// again and again (a new TCP connection costs both sides more than
	// the request). An object store is usually one host.
	opts = append(opts, awsconfig.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = maxIdleConns
		t.MaxIdleConnsPerHost = maxIdleConns
	})))
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: load AWS config: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		// Self-hosted S3 servers (versitygw, MinIO) want path-style URLs.
		o.UsePathStyle = true
		// Only send and verify checksums when required: not every
		// S3-compatible server implements the newer default checksums.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &Store{client: client, bucket: cfg.Bucket}, nil
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// EnsureBucket creates the bucket if it does not exist.
func (s *Store) EnsureBucket(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err == nil {
		return nil
	}
	_, err = s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s.bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("store: create bucket %s: %w", s.bucket, err)
	}
	return nil
}

// Meta is the HTTP metadata an object is served with.
type Meta struct {
	ContentType     string
	ContentLanguage string
	CacheControl    string
}

// Object describes a stored object.
type Object struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Type   string `json:"content_type"`
	// Language is the Content-Language, empty for language-neutral objects.
	Language string `json:"content_language,omitempty"`
}

// SHA256 is the hex sha256 of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Put writes an object, replacing any previous version. Used only for
// mutable objects: pointers and the reader site.
func (s *Store) Put(ctx context.Context, key string, body []byte, meta Meta) (Object, error) {
	return s.put(ctx, key, body, meta, false)
}

// PutImmutable writes an object that must never change, with
// If-None-Match: *. If the object already exists with the same bytes
// (a retried write) that is success; different bytes are an
// *ImmutableConflictError.
func (s *Store) PutImmutable(ctx context.Context, key string, body []byte, meta Meta) (Object, error) {
	obj, err := s.put(ctx, key, body, meta, true)
	if err == nil || !isPreconditionFailed(err) {
		return obj, err
	}
	existing, gerr := s.Get(ctx, key)
	if gerr != nil {
		return Object{}, fmt.Errorf("store: %s exists but cannot be read back: %w", key, gerr)
	}
	if got := SHA256(existing); got != obj.SHA256 {
		return Object{}, &ImmutableConflictError{Key: key, Existing: got, Attempted: obj.SHA256}
	}
	return obj, nil
}

// PutIfMatch writes an object only if it is still the version read: with
// If-Match on etag, or with If-None-Match: * when etag is "" (the object
// must not exist yet). A lost race is ErrChanged. It returns the new ETag.
// This is optimistic concurrency for the few mutable objects several
// publishes update at once (the per-locale lists).
func (s *Store) PutIfMatch(ctx context.Context, key string, body []byte, meta Meta, etag string) (string, error) {
	in := putInput(s.bucket, key, body, meta)
	if etag == "" {
		in.IfNoneMatch = aws.String("*")
	} else {
		in.IfMatch = aws.String(etag)
	}
	out, err := s.client.PutObject(ctx, in)
	if err != nil {
		// If-Match on an object removed meanwhile answers NoSuchKey.
		if isPreconditionFailed(err) || (etag != "" && isNotFound(err)) {
			return "", fmt.Errorf("store: put %s: %w", key, ErrChanged)
		}
		return "", fmt.Errorf("store: put %s: %w", key, err)
	}
	return aws.ToString(out.ETag), nil
}

// GetWithETag reads a whole object and the ETag to write it back with
// PutIfMatch. The pair is checked to belong together: versitygw v1.8.0
// can answer a GET racing a PUT with one version's body and the other's
// ETag, and an update built on such a read would overwrite the newer
// version unseen. A single-part object's ETag is the MD5 of its body
// (S3, MinIO, versitygw), so a mismatch is a torn read and is read again;
// ETags of another shape (multipart, SSE-KMS) are taken as they are.
func (s *Store) GetWithETag(ctx context.Context, key string) ([]byte, string, error) {
	for attempt := 0; ; attempt++ {
		b, etag, err := s.getWithETag(ctx, key)
		if err != nil || !tornRead(b, etag) {
			return b, etag, err
		}
		if attempt == 50 {
			return nil, "", fmt.Errorf("store: %s: its ETag %s keeps disagreeing with its body", key, etag)
		}
		select {
		case <-ctx.Done():
			return nil, "", ctx.Err()
		case <-time.After(time.Duration(attempt+1) * time.Millisecond):
		}
	}
}

// tornRead reports whether an MD5-shaped ETag is not the body's MD5.
func tornRead(body []byte, etag string) bool {
	tag := strings.Trim(etag, `"`)
	if len(tag) != 2*md5.Size {
		return false
	}
	if _, err := hex.DecodeString(tag); err != nil {
		return false
	}
	sum := md5.Sum(body)
	return !strings.EqualFold(tag, hex.EncodeToString(sum[:]))
}

func (s *Store) getWithETag(ctx context.Context, key string) ([]byte, string, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return nil, "", fmt.Errorf("store: %s: %w", key, ErrNotFound)
		}
		return nil, "", fmt.Errorf("store: get %s: %w", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, "", fmt.Errorf("store: read %s: %w", key, err)
	}
	return b, aws.ToString(out.ETag), nil
}

func putInput(bucket, key string, body []byte, meta Meta) *s3.PutObjectInput {
	in := &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
	}
	if meta.ContentType != "" {
		in.ContentType = aws.String(meta.ContentType)
	}
	if meta.ContentLanguage != "" {
		in.ContentLanguage = aws.String(meta.ContentLanguage)
	}
	if meta.CacheControl != "" {
		in.CacheControl = aws.String(meta.CacheControl)
	}
	return in
}

func (s *Store) put(ctx context.Context, key string, body []byte, meta Meta, ifNoneMatch bool) (Object, error) {
	obj := Object{Key: key, SHA256: SHA256(body), Size: int64(len(body)), Type: meta.ContentType, Language: meta.ContentLanguage}
	in := putInput(s.bucket, key, body, meta)
	if ifNoneMatch {
		in.IfNoneMatch = aws.String("*")
	}
	if _, err := s.client.PutObject(ctx, in); err != nil {
		return obj, fmt.Errorf("store: put %s: %w", key, err)
	}
	return obj, nil
}

func isPreconditionFailed(err error) bool {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "PreconditionFailed", "ConditionalRequestConflict":
			return true
		}
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode() == http.StatusPreconditionFailed
	}
	return false
}

// Get reads a whole object.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	b, _, err := s.GetWithMeta(ctx, key)
	return b, err
}

// GetWithMeta reads a whole object and the metadata it is served with.
func (s *Store) GetWithMeta(ctx context.Context, key string) ([]byte, Meta, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		if isNotFound(err) {
			return nil, Meta{}, fmt.Errorf("store: %s: %w", key, ErrNotFound)
		}
		return nil, Meta{}, fmt.Errorf("store: get %s: %w", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, Meta{}, fmt.Errorf("store: read %s: %w", key, err)
	}
	return b, Meta{
		ContentType:     aws.ToString(out.ContentType),
		ContentLanguage: aws.ToString(out.ContentLanguage),
		CacheControl:    aws.ToString(out.CacheControl),
	}, nil
}

// GetVerified reads an object and checks its sha256, so a claim-check
// reference can never silently resolve to other content.
func (s *Store) GetVerified(ctx context.Context, key, sha string) ([]byte, error) {
	b, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	if got := SHA256(b); got != sha {
		return nil, fmt.Errorf("store: %s has sha256 %s, expected %s", key, got, sha)
	}
	return b, nil
}

// GetJSON reads an object and decodes it into v.
func (s *Store) GetJSON(ctx context.Context, key string, v any) error {
	b, err := s.Get(ctx, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode %s: %w", key, err)
	}
	return nil
}

// Delete removes an object; removing one that does not exist is not an
// error (S3 answers both the same way).
func (s *Store) Delete(ctx context.Context, key string) error {
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}); err != nil && !isNotFound(err) {
		return fmt.Errorf("store: delete %s: %w", key, err)
	}
	return nil
}

// ListPrefixes lists the "directories" directly below prefix.
func (s *Store) ListPrefixes(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: list %s: %w", prefix, err)
		}
		for _, cp := range page.CommonPrefixes {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(aws.ToString(cp.Prefix), prefix), "/"))
		}
	}
	return out, nil
}

// ListKeys lists every object key under prefix, in key order.
func (s *Store) ListKeys(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: list %s: %w", prefix, err)
		}
		for _, o := range page.Contents {
			out = append(out, aws.ToString(o.Key))
		}
	}
	return out, nil
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NotFound")
}
