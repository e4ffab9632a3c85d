package app

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the use-case table in docs/architecture.md")

// useCase is one exported method of the app's use-case types and the
// access rules (functions of internal/grant) it calls, itself or through
// the methods it calls.
type useCase struct {
	name     string
	actor    bool // takes an auth.Actor
	rules    []string
	calls    []string // methods of the same receiver it calls
	receiver string
}

// useCases reads the package's source and lists the use cases.
func useCases(t *testing.T) []*useCase {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*useCase{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Body == nil {
				continue
			}
			uc := &useCase{name: fn.Name.Name, receiver: receiverName(fn)}
			for _, p := range fn.Type.Params.List {
				if sel, ok := p.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Actor" {
					uc.actor = true
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok {
					switch {
					case id.Name == "grant" && (strings.HasPrefix(sel.Sel.Name, "Can") || sel.Sel.Name == "ListScope"):
						uc.rules = append(uc.rules, sel.Sel.Name)
					case id.Obj == nil || isReceiver(fn, id.Name):
						uc.calls = append(uc.calls, sel.Sel.Name)
					}
				}
				return true
			})
			byName[uc.receiver+"."+uc.name] = uc
		}
	}
	var out []*useCase
	for key, uc := range byName {
		uc.rules = rulesOf(byName, uc.receiver, key, map[string]bool{})
		if ast.IsExported(uc.name) && (uc.receiver == "App" || uc.receiver == "FollowUps" || uc.receiver == "Ticket") {
			out = append(out, uc)
		}
	}
	slices.SortFunc(out, func(a, b *useCase) int { return strings.Compare(a.receiver+"."+a.name, b.receiver+"."+b.name) })
	return out
}

// rulesOf collects the rules a method calls, following calls to other
// methods of the same receiver type.
func rulesOf(all map[string]*useCase, receiver, key string, seen map[string]bool) []string {
	if seen[key] {
		return nil
	}
	seen[key] = true
	uc := all[key]
	rules := slices.Clone(uc.rules)
	for _, c := range uc.calls {
		if next, ok := all[receiver+"."+c]; ok && next != nil {
			rules = append(rules, rulesOf(all, receiver, receiver+"."+c, seen)...)
		}
	}
	slices.Sort(rules)
	return slices.Compact(rules)
}

func receiverName(fn *ast.FuncDecl) string {
	t := fn.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func isReceiver(fn *ast.FuncDecl, name string) bool {
	names := fn.Recv.List[0].Names
	return len(names) > 0 && names[0].Name == name
}

// TestEveryUseCaseChecksARule: every use case that acts for a user calls
// an access rule in internal/grant. Removing the call from any of them
// fails this test.
func TestEveryUseCaseChecksARule(t *testing.T) {
	for _, uc := range useCases(t) {
		if uc.actor && len(uc.rules) == 0 {
			t.Errorf("%s.%s takes an actor but calls no rule in internal/grant", uc.receiver, uc.name)
		}
	}
}

const (
	docsPath   = "../../docs/architecture.md"
	tableBegin = "<!-- use-cases:begin (go test ./internal/app -run TestUseCaseTable -update-docs) -->"
	tableEnd   = "<!-- use-cases:end -->"
)

// TestUseCaseTable keeps the table of use cases and their rules in
// docs/architecture.md true to the code.
func TestUseCaseTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("| use case | acts for a user | rules in internal/grant |\n|---|---|---|\n")
	for _, uc := range useCases(t) {
		who, rules := "yes", strings.Join(uc.rules, ", ")
		if !uc.actor {
			who = "no (system, sign-in or command line)"
		}
		if rules == "" {
			rules = "–"
		}
		fmt.Fprintf(&b, "| `%s.%s` | %s | %s |\n", uc.receiver, uc.name, who, rules)
	}
	doc, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	i, j := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q … %q", docsPath, tableBegin, tableEnd)
	}
	want := text[:i+len(tableBegin)] + "\n" + b.String() + text[j:]
	if want == text {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(docsPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the use-case table in %s is out of date; run go test ./internal/app -run TestUseCaseTable -update-docs", docsPath)
}
