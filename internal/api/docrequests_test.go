package api

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/filetype"
	"narvard/internal/xlsxfile"
)

// download gets a file as the user: status, headers and bytes.
func (c *client) download(user, path string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.tokens[user])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func workbook(t *testing.T) []byte {
	s := xlsxfile.New("Huvudbok")
	s.Header("Konto", "Belopp")
	s.Row("4010", 1000)
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDocumentRequestAPI: Kammarkollegiet asks Region Norrbotten for
// underlag; a renamed program is refused naming the file; the officer
// attaches an XLSX named .pdf, whose type is checked from its content and
// served as XLSX; the answer shows on both sides; an unanswered request
// shows as overdue; a body over 20 MB is 413.
func TestDocumentRequestAPI(t *testing.T) {
	c, a, clk := setup(t, "2024-04-02T09:00:00+02:00")
	c.addUsers(a, map[string]struct {
		org  string
		role auth.Role
	}{"uppfoljning@regeringskansliet.se": {"socialdepartementet", auth.FollowUp}})
	st, out := c.do("officer@nll.se", "POST", "/api/v1/document-requests", `{"recipient":"region-25","text":"Huvudboken","due_date":"2024-04-30"}`)
	if st != 403 {
		t.Errorf("the recipient asks itself: %d %v", st, out)
	}
	st, out = c.do("pay@kammarkollegiet.se", "POST", "/api/v1/document-requests", `{"recipient":"region-25","text":"Huvudboken","due_date":"30 april"}`)
	if st != 422 || !strings.Contains(code(out)+fieldsOf(out), "due_date") {
		t.Errorf("a bad date: %d %v", st, out)
	}
	st, out = c.do("pay@kammarkollegiet.se", "POST", "/api/v1/document-requests", `{"recipient":"region-25","text":"Huvudboken 2023, konto 4010.","due_date":"2024-04-30"}`)
	if st != 201 || out["status"] != "open" || out["requester"] != "kammarkollegiet" {
		t.Fatalf("request: %d %v", st, out)
	}
	req := "/api/v1/document-requests/" + out["id"].(string)
	_, out = c.do("uppfoljning@regeringskansliet.se", "POST", "/api/v1/document-requests", `{"agreement":"gnv-2023","recipient":"region-25","text":"Avtal","due_date":"2024-04-10"}`)
	late, _ := out["id"].(string)

	elf := "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	st, out = c.do("officer@nll.se", "POST", req+"/attachments", elf, "X-Filename", "huvudbok.pdf")
	if st != 422 || !strings.Contains(out["error"].(map[string]any)["message"].(string), `"huvudbok.pdf" är ett program`) {
		t.Errorf("a renamed program: %d %v", st, out)
	}
	xlsx := workbook(t)
	st, out = c.do("officer@nll.se", "POST", req+"/attachments", string(xlsx), "X-Filename", "huvudbok%20%C3%A5r.pdf")
	if st != 201 || out["content_type"] != filetype.XLSX.ContentType || out["name"] != "huvudbok år.pdf.xlsx" {
		t.Fatalf("attach: %d %v", st, out)
	}
	st, out = c.do("officer@nll.se", "POST", req+"/answer", `{"text":"Huvudboken bifogas."}`)
	if st != 200 || out["status"] != "answered" {
		t.Fatalf("answer: %d %v", st, out)
	}
	for _, who := range []string{"pay@kammarkollegiet.se", "sign@nll.se", "uppfoljning@regeringskansliet.se"} {
		st, h, b := c.download(who, req+"/attachments/1")
		if st != 200 || !bytes.Equal(b, xlsx) || h.Get("Content-Type") != filetype.XLSX.ContentType ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Disposition") != `attachment; filename*=utf-8''huvudbok%20%C3%A5r.pdf.xlsx` {
			t.Errorf("%s downloads: %d %v", who, st, h)
		}
	}
	for _, who := range []string{"officer@vll.se", "analys@regeringskansliet.se"} {
		if st, _, _ := c.download(who, req+"/attachments/1"); st != 404 {
			t.Errorf("%s downloads: %d", who, st)
		}
	}

	clk.Set(time.Date(2024, 4, 11, 9, 0, 0, 0, clock.Stockholm))
	for _, who := range []string{"officer@nll.se", "pay@kammarkollegiet.se"} {
		st, out = c.do(who, "GET", "/api/v1/document-requests?agreement=gnv-2023&recipient=region-25&status=overdue", "")
		list, _ := out["document_requests"].([]any)
		if st != 200 || len(list) != 1 || list[0].(map[string]any)["id"] != late {
			t.Errorf("%s: overdue %d %v", who, st, out)
		}
	}
	if st, out = c.do("officer@nll.se", "GET", "/api/v1/document-requests?status=sen", ""); st != 422 {
		t.Errorf("an unknown status: %d %v", st, out)
	}

	big := make([]byte, filetype.MaxSize+1)
	copy(big, "%PDF-1.4\n")
	if st, out = c.do("officer@nll.se", "POST", "/api/v1/document-requests/"+late+"/attachments", string(big), "X-Filename", "stor.pdf"); st != 413 {
		t.Errorf("a file over 20 MB: %d %v", st, out)
	}
}

func fieldsOf(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	var b strings.Builder
	for k := range f {
		b.WriteString(k + " ")
	}
	return b.String()
}
