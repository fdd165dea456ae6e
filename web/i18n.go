package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// The message catalogs: web/i18n/<lang>/<feature>.json, one flat object of key →
// message per file, one file per feature so engineers adding a feature touch only
// their own files. All files of a language are merged at load; a key defined twice is
// an error, and every language must define the same keys (catalog_test.go holds both).
//
//go:embed i18n
var i18nFS embed.FS

// DefaultLang is the language of a user who has not chosen: Simplified Chinese.
const DefaultLang = "zh-CN"

// Langs are the languages the catalogs carry, default first.
var Langs = []string{DefaultLang, "en"}

// Catalogs holds every language's merged catalog.
type Catalogs struct {
	locales map[string]*Locale
}

// LoadCatalogs reads and merges the embedded catalogs.
func LoadCatalogs() (*Catalogs, error) { return loadCatalogs(i18nFS) }

func loadCatalogs(fsys fs.FS) (*Catalogs, error) {
	c := &Catalogs{locales: map[string]*Locale{}}
	for _, lang := range Langs {
		msgs := map[string]string{}
		from := map[string]string{}
		files, err := fs.Glob(fsys, "i18n/"+lang+"/*.json")
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("i18n: no catalog files for %s", lang)
		}
		sort.Strings(files)
		for _, f := range files {
			body, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(body, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", f, err)
			}
			for k, v := range m {
				if prev, dup := from[k]; dup {
					return nil, fmt.Errorf("i18n: key %q is defined in both %s and %s", k, prev, f)
				}
				from[k], msgs[k] = f, v
			}
		}
		c.locales[lang] = &Locale{Lang: lang, msgs: msgs, from: from}
	}
	base := c.locales[DefaultLang]
	for _, lang := range Langs[1:] {
		other := c.locales[lang]
		for k := range base.msgs {
			if _, ok := other.msgs[k]; !ok {
				return nil, fmt.Errorf("i18n: key %q (%s) has no %s message", k, base.from[k], lang)
			}
		}
		for k := range other.msgs {
			if _, ok := base.msgs[k]; !ok {
				return nil, fmt.Errorf("i18n: key %q (%s) has no %s message", k, other.from[k], DefaultLang)
			}
		}
	}
	return c, nil
}

// Has tells whether lang is a language of the catalogs.
func (c *Catalogs) Has(lang string) bool { _, ok := c.locales[lang]; return ok }

// Locale gives lang's locale, the default for an unknown or empty one.
func (c *Catalogs) Locale(lang string) *Locale {
	if l, ok := c.locales[lang]; ok {
		return l
	}
	return c.locales[DefaultLang]
}

// Keys lists every key of the catalogs, sorted, for tests.
func (c *Catalogs) Keys() []string {
	var out []string
	for k := range c.locales[DefaultLang].msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Locale is one language: its messages and its ways of writing dates and numbers.
type Locale struct {
	Lang string
	msgs map[string]string
	from map[string]string
}

// missingMark marks a message asked for under a key no catalog has; tests look for it.
const missingMark = "⟦"

// Has tells whether the catalogue holds key.
func (l *Locale) Has(key string) bool {
	_, ok := l.msgs[key]
	return ok
}

// T gives the message under key, formatted with args (fmt verbs) when there are any.
func (l *Locale) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return missingMark + key + "⟧"
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// Label gives the message of an enumerated value: Label("status", "closed") is the
// message of "status.closed", falling back to the value itself when the catalogs do
// not name it (a code from data, such as a new channel).
func (l *Locale) Label(kind string, value any) string {
	v := fmt.Sprint(value)
	if m, ok := l.msgs[kind+"."+v]; ok {
		return m
	}
	return v
}

// Chinese tells whether the locale writes Chinese.
func (l *Locale) Chinese() bool { return strings.HasPrefix(l.Lang, "zh") }
