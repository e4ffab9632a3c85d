package questionnaire

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"narvard/internal/agreement"
)

//go:embed data/*.json
var embedded embed.FS

// Schema is the JSON Schema of the template format (template.schema.json).
//
//go:embed template.schema.json
var Schema []byte

// Library is the templates shipped with the product, by id.
type Library struct {
	byID map[string]*Template
	ids  []string
}

// Builtin returns the embedded templates of the agreements in the set,
// each checked against its agreement; templates of agreements the set does
// not hold are left out.
func Builtin(ags *agreement.Set) (*Library, error) {
	return LoadFS(embedded, "data", ags)
}

// LoadFS reads every *.json file of dir as a template named after its id
// (FILE is ID.json), refusing an inconsistent one with the file's name.
func LoadFS(fsys fs.FS, dir string, ags *agreement.Set) (*Library, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	l := &Library{byID: map[string]*Template{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		t, err := Parse(b)
		if err == nil && t.ID+".json" != path.Base(name) {
			err = fmt.Errorf("filen ska heta %s.json", t.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		if t.Use == UseSurvey && t.Agreement == "" {
			l.byID[t.ID] = t // a survey's template stands alone
			l.ids = append(l.ids, t.ID)
			continue
		}
		ag, err := ags.Get(t.Agreement)
		if errors.Is(err, agreement.ErrNotFound) {
			continue
		}
		if err := t.CheckAgainst(ag); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		l.byID[t.ID] = t
		l.ids = append(l.ids, t.ID)
	}
	slices.SortFunc(l.ids, strings.Compare)
	return l, nil
}

// Get returns the template with the id.
func (l *Library) Get(id string) (*Template, bool) {
	t, ok := l.byID[id]
	return t, ok
}

// All returns the templates sorted by id.
func (l *Library) All() []*Template {
	out := make([]*Template, 0, len(l.ids))
	for _, id := range l.ids {
		out = append(out, l.byID[id])
	}
	return out
}
