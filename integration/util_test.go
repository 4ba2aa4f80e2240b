package integration

import (
	"net"
	"os"
	"strconv"
)

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }

func listen(port int) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}
