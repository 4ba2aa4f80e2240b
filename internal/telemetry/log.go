package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// Log formats.
const (
	LogAuto = "auto" // JSON unless writing to a terminal
	LogText = "text"
	LogJSON = "json"
)

// NewLogger makes the process logger: JSON lines for log collectors,
// text for people at a terminal. Attributes given twice (a logger's
// context and a call) appear once, the call's value winning.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if level != "" {
		if err := lv.UnmarshalText([]byte(level)); err != nil {
			return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
		}
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "", LogAuto:
		if isTerminal(w) {
			return slog.New(dedupe(slog.NewTextHandler(w, opts))), nil
		}
		return slog.New(dedupe(slog.NewJSONHandler(w, opts))), nil
	case LogText:
		return slog.New(dedupe(slog.NewTextHandler(w, opts))), nil
	case LogJSON:
		return slog.New(dedupe(slog.NewJSONHandler(w, opts))), nil
	}
	return nil, fmt.Errorf("--log-format %q: want auto, text or json", format)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// dedupeHandler keeps the attributes of With and adds them at Handle,
// dropping any the record itself sets: the SDK's activity logger carries
// the workflow ID and Pressroom's adds the slug, and an activity that
// logs "slug" too must not print it twice.
type dedupeHandler struct {
	inner slog.Handler
	attrs []slog.Attr
}

func dedupe(h slog.Handler) slog.Handler { return &dedupeHandler{inner: h} }

func (d *dedupeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return d.inner.Enabled(ctx, l)
}

func (d *dedupeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	merged := make([]slog.Attr, 0, len(d.attrs)+len(as))
	for _, a := range d.attrs {
		if !hasKey(as, a.Key) {
			merged = append(merged, a)
		}
	}
	return &dedupeHandler{inner: d.inner, attrs: append(merged, as...)}
}

// WithGroup hands the attributes collected so far to the inner handler:
// keys inside a group are another namespace.
func (d *dedupeHandler) WithGroup(name string) slog.Handler {
	return &dedupeHandler{inner: d.inner.WithAttrs(d.attrs).WithGroup(name)}
}

func (d *dedupeHandler) Handle(ctx context.Context, r slog.Record) error {
	if len(d.attrs) == 0 {
		return d.inner.Handle(ctx, r)
	}
	var own []slog.Attr
	r.Attrs(func(a slog.Attr) bool { own = append(own, a); return true })
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	for _, a := range d.attrs {
		if !hasKey(own, a.Key) {
			out.AddAttrs(a)
		}
	}
	out.AddAttrs(own...)
	return d.inner.Handle(ctx, out)
}

func hasKey(as []slog.Attr, key string) bool {
	for _, a := range as {
		if a.Key == key {
			return true
		}
	}
	return false
}
