package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// Viewport sets the tab's viewport, as a screen width by height pixels
// would.
func Viewport(t testing.TB, ctx context.Context, width, height int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("viewport %d×%d: %v", width, height, err)
	}
}

// Screenshot opens url in a viewport width pixels wide and writes a PNG of
// the whole page to file. It is for looking at a page while working on it;
// screenshots are not kept in the repository.
func Screenshot(t testing.TB, ctx context.Context, url string, width int64, file string) {
	t.Helper()
	Viewport(t, ctx, width, 900)
	Open(t, ctx, url)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("skärmbild av %s: %v", url, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("skärmbild: %s (%s, %d px bred)", file, url, width)
}
