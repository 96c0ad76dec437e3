package runner

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LoadDir reads every *.json file under dir of fsys (recursively, in name order) as a scenario.
func LoadDir(fsys fs.FS, dir string) ([]*Scenario, error) {
	var names []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no *.json scenario files", dir)
	}
	var out []*Scenario
	for _, n := range names {
		sc, err := Load(fsys, n)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// LoadPaths reads scenarios from files and directories of the operating system, as named on a command line: a
// directory gives every *.json file under it. Every file is checked before any runs.
func LoadPaths(paths []string) ([]*Scenario, error) {
	var out []*Scenario
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			scs, err := LoadDir(os.DirFS(p), ".")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			for _, sc := range scs {
				sc.file = filepath.Join(p, filepath.FromSlash(sc.file))
			}
			out = append(out, scs...)
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		sc, err := Load(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
		if err != nil {
			return nil, err
		}
		sc.file = p
		out = append(out, sc)
	}
	return out, nil
}
