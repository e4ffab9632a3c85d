package api

import (
	"bytes"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"

	"narvard/internal/app"
	"narvard/internal/fault"
)

// idempotency answers a retried POST that carries the same Idempotency-Key
// with the first answer, and never acts twice: requests with the same key
// run one at a time, and the answer is stored before the lock is let go.
type idempotency struct {
	app   *app.App
	locks [64]sync.Mutex
}

func newIdempotency(a *app.App) *idempotency { return &idempotency{app: a} }

func (i *idempotency) lock(userID int64, key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(strconv.FormatInt(userID, 10) + "\x00" + key))
	return &i.locks[h.Sum32()%uint32(len(i.locks))]
}

func (i *idempotency) serve(w http.ResponseWriter, r *http.Request, userID int64, run func(http.ResponseWriter)) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 {
		writeFault(w, fault.Fields{"Idempotency-Key": "Högst 255 tecken."}.Err().(*fault.Error))
		return
	}
	l := i.lock(userID, key)
	l.Lock()
	defer l.Unlock()
	ctx := r.Context()
	prev, found, err := i.app.Replay(ctx, userID, key)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorBody{errorDetail{Code: "internal", Message: "Ett internt fel inträffade."}})
		return
	}
	if found {
		if prev.Method != r.Method || prev.Path != r.URL.Path {
			writeFault(w, fault.New(fault.Conflict, "Idempotency-Key har redan använts för en annan begäran (%s %s).", prev.Method, prev.Path))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.Status)
		w.Write(prev.Body)
		return
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	run(rec)
	if rec.status < 500 {
		if err := i.app.SaveReplay(ctx, userID, key, r.Method, r.URL.Path, rec.status, rec.body.Bytes()); err != nil {
			writeJSON(w, http.StatusInternalServerError, errorBody{errorDetail{Code: "internal", Message: "Ett internt fel inträffade."}})
			return
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

func writeFault(w http.ResponseWriter, f *fault.Error) {
	if n := fault.RetryAfterOf(f); n > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(n))
	}
	writeJSON(w, statusOf[f.Code], errorBody{errorDetail{Code: string(f.Code), Message: f.Message, Fields: f.Fields}})
}

// recorder keeps a response in memory until it can be stored.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
