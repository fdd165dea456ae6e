// The map of the house, held by a test: which package may import which, the service as
// the only door to the data, and functions short enough to read at once. README.md's
// "How it is built" says the same in words.
package whistle_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"whistle/service"
	"whistle/store"
)

// mayImport lists, for each package, the packages of this module it may import.
// A package missing here fails the test until its place is decided.
var mayImport = map[string][]string{
	"domain":      {},
	"secret":      {},
	"transport":   {"domain"},
	"importer":    {"domain", "store"},
	"store":       {"domain"},
	"service":     {"domain", "store", "secret"},
	"api":         {"domain", "service", "transport", "importer"},
	"web":         {"domain", "service", "transport"},
	"open311":     {"domain", "service", "transport"},
	"demo":        {"domain", "store", "service", "importer", "secret"},
	"whistletest": {"domain", "store", "service", "demo"},
	"cmd/whistle": {"*"},
	"bench":       {"*"},
	"bench/soak":  {"*"},

	"cmd/precompress": {}, // a build step: the web's precompressed static files
}

// infrastructure packages sit beside domain: they may import it and nothing else of
// the module, and any layer above domain may use them.
var infrastructure = []string{"filestore", "images", "sheets", "pdf", "passhash", "connlimit", "messaging"}

// packageImports reads the module imports of the non-test files of dir.
func packageImports(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if rest, ok := strings.CutPrefix(p, "whistle/"); ok {
				out[rest] = true
			}
		}
	}
	return out
}

// modulePackages lists the directories of the module that hold Go files, but testdata.
func modulePackages(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && p != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			dir := filepath.ToSlash(filepath.Dir(p))
			if !slices.Contains(dirs, dir) {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

func TestPackagesImportOnlyWhatTheirLayerMay(t *testing.T) {
	for _, dir := range modulePackages(t) {
		if dir == "." {
			continue
		}
		allowed, known := mayImport[dir]
		if slices.Contains(infrastructure, dir) {
			allowed, known = []string{"domain"}, true
		}
		if !known {
			t.Errorf("package %s has no place in the layout: add it to mayImport (and to README's How it is built)", dir)
			continue
		}
		if slices.Contains(allowed, "*") {
			continue
		}
		for imp := range packageImports(t, dir) {
			if !slices.Contains(allowed, imp) && !(slices.Contains(infrastructure, imp) && dir != "domain") {
				t.Errorf("%s imports whistle/%s; it may import %v", dir, imp, allowed)
			}
		}
	}
}

// TestServiceIsTheOnlyDoor: the transports cannot reach the store through the service
// either: no exported field, method result or parameter of the service's types is a
// *store.DB or *store.Tx.
func TestServiceIsTheOnlyDoor(t *testing.T) {
	hidden := []reflect.Type{reflect.TypeOf(&store.DB{}), reflect.TypeOf(&store.Tx{})}
	for _, typ := range []reflect.Type{reflect.TypeOf(&service.Service{}), reflect.TypeOf(&service.Groups{})} {
		for i := 0; i < typ.Elem().NumField(); i++ {
			f := typ.Elem().Field(i)
			if f.IsExported() && slices.Contains(hidden, f.Type) {
				t.Errorf("%s.%s is exported and is the store", typ.Elem().Name(), f.Name)
			}
		}
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i)
			for j := 0; j < m.Type.NumOut(); j++ {
				if slices.Contains(hidden, m.Type.Out(j)) {
					t.Errorf("%s.%s gives the store to its caller", typ.Elem().Name(), m.Name)
				}
			}
		}
	}
}

// TestFunctionsFitOnAScreen: no function over 120 lines outside tests and generated data.
func TestFunctionsFitOnAScreen(t *testing.T) {
	fset := token.NewFileSet()
	for _, dir := range modulePackages(t) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				fn, ok := n.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					return true
				}
				lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
				if lines > 120 {
					t.Errorf("%s: %s is %d lines; split it (at most 120)", fset.Position(fn.Pos()), fn.Name.Name, lines)
				}
				return true
			})
		}
	}
}
