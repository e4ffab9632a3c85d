package web

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// uploadPrefix starts the name of every follow-up upload's private
// directory under $TMPDIR; the server's process id follows, so that a
// later server can tell a dead server's leftovers from a live one's.
const uploadPrefix = "narvard-uppfoljning-"

// newUploadDir makes a private directory for one upload.
func newUploadDir() (string, error) {
	return os.MkdirTemp("", fmt.Sprintf("%s%d-", uploadPrefix, os.Getpid()))
}

// RemoveLeftoverUploads removes the upload directories that servers no
// longer running left in $TMPDIR (killed in the middle of a job, say), and
// returns how many it removed. A running server's directories stay.
func RemoveLeftoverUploads(log *slog.Logger) int {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), uploadPrefix+"*"))
	removed := 0
	for _, dir := range dirs {
		if pid, ok := uploadOwner(filepath.Base(dir)); ok && alive(pid) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			log.Warn("en kvarlämnad uppladdning kunde inte tas bort", "dir", dir, "err", err)
			continue
		}
		removed++
	}
	return removed
}

// uploadOwner reads the process id from an upload directory's name.
func uploadOwner(name string) (int, bool) {
	rest := strings.TrimPrefix(name, uploadPrefix)
	pidText, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(pidText)
	return pid, err == nil && pid > 0
}

// alive reports whether a process with the id runs (this one included).
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
