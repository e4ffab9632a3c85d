package followup

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// ErrCancelled is Compute's error when its context ends before the
// indicators are done.
var ErrCancelled = errors.New("beräkningen avbröts")

// readSeekerAt is a file that can be read from anywhere: an uploaded or
// server-side file, which Parquet needs.
type readSeekerAt interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// cancelable wraps r so that every read fails once ctx has ended. A file
// that can be read from anywhere stays one.
func cancelable(ctx context.Context, r io.Reader) io.Reader {
	if r == nil || ctx.Done() == nil {
		return r
	}
	if f, ok := r.(readSeekerAt); ok {
		return &ctxFile{ctx: ctx, f: f}
	}
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type ctxFile struct {
	ctx context.Context
	f   readSeekerAt
}

func (c *ctxFile) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.f.Read(p)
}

func (c *ctxFile) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.f.ReadAt(p, off)
}

func (c *ctxFile) Seek(offset int64, whence int) (int64, error) { return c.f.Seek(offset, whence) }

// safely runs fn and turns a panic in it into an error naming the file,
// so that a bug in one worker fails its computation, not the server.
func safely(name string, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: internt fel i beräkningen: %v", name, p)
		}
	}()
	return fn()
}
