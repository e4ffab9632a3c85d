package web

import (
	"html"
	"os"
	"runtime"
	"strings"
	"testing"

	"narvard/internal/auth"
)

// TestFollowUpParquetBomb uploads a 56 KB Parquet file whose one page
// decompresses to 484 MiB (made by TestParquetRealBomb's realBomb in
// internal/followup): the job ends with a Swedish message naming the file
// and the column, and the server does not take the page's memory.
func TestFollowUpParquetBomb(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	bomb, err := os.ReadFile("testdata/bomb-484mib-page.parquet")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := newHandler(t, nil)
	b := signedInAs(t, h, "a@regeringskansliet.se", "socialdepartementet", auth.Analyst)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	path := b.startJob(testValues(), map[string]string{"listings": string(bomb), "visits": testVisits})
	page := html.UnescapeString(b.waitJob(path))
	runtime.ReadMemStats(&after)
	if !strings.Contains(page, `kolumnen "patient_id": sida 1: är 484 MiB uppackad (1 värden) och behöver mer minne än gränsen 64 MiB per sida`) {
		t.Errorf("job page:\n%s", page)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("the job allocated %d MiB", n>>20)
	}
}
