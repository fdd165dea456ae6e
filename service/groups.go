package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"whistle/domain"
	"whistle/secret"
	"whistle/store"
)

// Groups carries out the key-group capability (重点人群动态监测): registers, helpers,
// monitoring rounds, the assistance ledger and statistics. It holds the keys that seal
// personal data beside the Service it extends.
type Groups struct {
	*Service
	keys *secret.Keys
}

// NewGroups makes the key-group service with the given personal-data keys, after
// checking they are the keys the database's data was sealed with (keyFits) and
// recording their fingerprint if it is the first use.
func NewGroups(ctx context.Context, s *Service, keys *secret.Keys) (*Groups, error) {
	if err := keyFits(ctx, s.db, keys); err != nil {
		return nil, err
	}
	if err := s.db.KeyCheck(ctx, keys.Check); err != nil {
		return nil, err
	}
	return &Groups{Service: s, keys: keys}, nil
}

// KeySource says where the personal-data key of db comes from: WHISTLE_KEY_FILE or
// WHISTLE_KEY, else a key file made on first use beside the SQLite file, or, for
// PostgreSQL, in the user's configuration folder (several servers must then share one
// key through WHISTLE_KEY_FILE; the database refuses a second key).
func KeySource(db *store.DB) secret.Source {
	fallback := db.DSN + ".key"
	if store.IsPostgres(db.DSN) {
		dir, err := os.UserConfigDir()
		if err != nil {
			dir = os.TempDir()
		}
		where := db.DSN
		if u, err := url.Parse(db.DSN); err == nil {
			where = u.Host + u.Path // one key per database, whatever the schema
		}
		sum := sha256.Sum256([]byte(where))
		fallback = filepath.Join(dir, "whistle", hex.EncodeToString(sum[:8])+".key")
	}
	return secret.FromEnv(fallback)
}

// OpenGroups makes the key-group service over s with the key from KeySource (see
// openKeys).
func OpenGroups(ctx context.Context, s *Service) (*Groups, error) {
	keys, err := openKeys(ctx, s.db)
	if err != nil {
		return nil, err
	}
	gs, err := NewGroups(ctx, s, keys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeySource(s.db).Where(), err)
	}
	return gs, nil
}

// KeyGroups gives the key-group service over s, opened on first use since it reads
// the personal-data key; a failure (a wrong key, a database that is down) is tried
// again on the next call.
func (s *Service) KeyGroups(ctx context.Context) (*Groups, error) {
	s.groups.mu.Lock()
	defer s.groups.mu.Unlock()
	if s.groups.gs == nil {
		gs, err := OpenGroups(ctx, s)
		if err != nil {
			return nil, err
		}
		s.groups.gs = gs
	}
	return s.groups.gs, nil
}

// today is the service clock's day in China.
func (s *Groups) today() string { return domain.Today(s.now()) }

// CreateGroup defines a new group with its schema; administrators of its region only.
func (s *Groups) CreateGroup(ctx context.Context, u domain.User, g domain.Group) (*domain.Group, error) {
	g.ID = 0
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if !domain.CanManageGroups(u, g.Region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "only administrators of region %s define its groups", g.Region)
	}
	if _, err := s.db.Region(ctx, g.Region); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "unknown region %s", g.Region)
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		return logPut(ctx, s.Service, tx, u, "group", &g.ID, tx.Group, func() error { return tx.PutGroup(&g) })
	})
	return &g, err
}

// UpdateGroup changes a group's name, description and schema. A field already holding
// values keeps its key and type: changing them would strand the values stored.
func (s *Groups) UpdateGroup(ctx context.Context, u domain.User, id int64, g domain.Group) (*domain.Group, error) {
	var out *domain.Group
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		old, err := tx.Group(id)
		if err != nil || !seesGroup(u, old) && !domain.CanManageGroups(u, old.Region) {
			return domain.Errorf(domain.ENOTFOUND, "group %d not found", id) // the one rule of Group: who reads it is told 403

		}
		if !domain.CanManageGroups(u, old.Region) {
			return domain.Errorf(domain.EFORBIDDEN, "only administrators of region %s change its groups", old.Region)
		}
		g.ID, g.Code, g.Kind, g.Region, g.CreatedAt = old.ID, old.Code, old.Kind, old.Region, old.CreatedAt
		if err := g.Validate(); err != nil {
			return err
		}
		for _, f := range old.Fields {
			nf, ok := g.Field(f.Key)
			if !ok {
				continue
			}
			if nf.Type != f.Type || nf.On != f.On {
				return domain.Errorf(domain.EINVALID, "field %s keeps its type and level once defined", f.Key)
			}
		}
		out = &g
		return logPut(ctx, s.Service, tx, u, "group", &g.ID, tx.Group, func() error { return tx.PutGroup(&g) })
	})
	return out, err
}

// Groups lists the groups whose area meets u's scope.
func (s *Groups) Groups(ctx context.Context, u domain.User) ([]*domain.Group, error) {
	all, err := s.db.Groups(ctx)
	if err != nil {
		return nil, err
	}
	out := []*domain.Group{}
	for _, g := range all {
		if seesGroup(u, g) {
			out = append(out, g)
		}
	}
	return out, nil
}

// seesGroup tells whether any part of g's area lies in u's scope.
func seesGroup(u domain.User, g *domain.Group) bool {
	for _, root := range domain.RegisterScopes(u) {
		if domain.Within(root, g.Region) || domain.Within(g.Region, root) {
			return true
		}
	}
	return false
}

// Group reads a group u may see.
func (s *Groups) Group(ctx context.Context, u domain.User, id int64) (*domain.Group, error) {
	g, err := s.db.Group(ctx, id)
	if err != nil || !seesGroup(u, g) {
		return nil, domain.Errorf(domain.ENOTFOUND, "group %d not found", id)
	}
	return g, nil
}

// scopeRegion settles the region a read covers: the asked one, which must lie in u's
// scope, or else u's one scope inside the group, or the group's region when u sees it
// all. ok is false when u sees no part of it as a region (a helper sees only their own).
func scopeRegion(u domain.User, g *domain.Group, asked string) (string, bool) {
	if asked != "" {
		return asked, domain.SeesRegister(u, asked) && domain.Within(asked, g.Region)
	}
	if domain.SeesRegister(u, g.Region) {
		return g.Region, true
	}
	for _, root := range domain.RegisterScopes(u) {
		if domain.Within(root, g.Region) {
			return root, true
		}
	}
	return "", false
}

// seal turns a field's clear value into what the store keeps, with its search hash.
func (s *Groups) seal(f domain.Field, v string) (string, string, error) {
	if !f.Type.Sensitive() || v == "" {
		return v, "", nil
	}
	sealed, err := s.keys.Seal(v)
	return sealed, s.keys.Hash(string(f.Type), v), err
}

// open turns a stored value back into clear text.
func (s *Groups) open(f domain.Field, stored string) (string, error) {
	if !f.Type.Sensitive() || stored == "" {
		return stored, nil
	}
	return s.keys.Open(stored)
}

// putValues writes attribute versions, sealing personal data; an ID number already in
// the group's register on another subject is refused, unless checked says the caller
// (an import) has checked them all at once.
func (s *Groups) putValues(tx *store.Tx, g *domain.Group, values []domain.Value, by int64, checked bool) error {
	for _, v := range values {
		f, ok := g.Field(v.Field)
		if !ok {
			return domain.Errorf(domain.EINVALID, "unknown field %q", v.Field)
		}
		stored, hash, err := s.seal(f, v.Value)
		if err != nil {
			return err
		}
		if f.Type == domain.FieldIDNumber && hash != "" && !checked {
			if other, err := tx.HashTaken(g.ID, f.Key, hash); err != nil {
				return err
			} else if other != 0 && other != v.Subject {
				return domain.Errorf(domain.ECONFLICT, "this ID number is already in the register (subject %d)", other)
			}
		}
		if err := tx.PutValue(domain.Value{Subject: v.Subject, Field: f.Key, From: v.From, Value: stored, Source: v.Source, VisitID: v.VisitID}, hash, by); err != nil {
			return err
		}
	}
	return nil
}

// SearchHash is the keyed hash an exact search for a personal value looks up; the
// value is normalised first, so 138 7381 0001 finds 13873810001.
func (s *Groups) SearchHash(t domain.FieldType, value string) (string, error) {
	v, err := domain.Field{Type: t, Label: string(t)}.Normalize(value)
	if err != nil {
		return "", err
	}
	return s.keys.Hash(string(t), v), nil
}
