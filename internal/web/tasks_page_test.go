package web

import (
	"net/http"
	"strings"
	"testing"
)

// A page size outside 1..MaxTaskPage, or a token this API did not give
// out, is refused before anything asks Temporal (the test API has no
// Temporal client: reaching it would panic).
func TestTaskListPageSizeIsValidated(t *testing.T) {
	api, editor, translator := newTestAPI(t)
	h := Routes(nil, api)
	for _, c := range []struct{ target, token, want string }{
		{"/api/tasks?page_size=0", translator, `page_size="0": want an integer from 1 to 1000 (default 100)`},
		{"/api/tasks?page_size=1001", editor, `page_size="1001": want an integer from 1 to 1000`},
		{"/api/tasks?page_size=5000&locale=fr", translator, `page_size="5000"`},
		{"/api/tasks?page_size=-3", editor, `page_size="-3"`},
		{"/api/tasks?page_size=ten", editor, `page_size="ten"`},
		{"/api/tasks?page_token=not%20base64!", translator, "query parameter page_token: not a token this API gave out"},
	} {
		rec, body := do(t, h, "GET", c.target, c.token, nil)
		msg, _ := body["error"].(string)
		if rec.Code != http.StatusBadRequest || !strings.Contains(msg, c.want) {
			t.Errorf("GET %s: %d %q, want 400 saying %q", c.target, rec.Code, msg, c.want)
		}
	}
}
