package web

import (
	"net/http"
	"time"
)

// Timeouts of the HTTP servers. Reads are bounded so a slow client cannot
// hold a connection open (slowloris); writes allow the longest request,
// RequestTimeout, plus the time to send the answer.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second
	WriteTimeout      = RequestTimeout + 30*time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
)

// NewServer is the one way Pressroom builds an HTTP server: with its
// timeouts. h is usually Routes, which sets the security headers.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
