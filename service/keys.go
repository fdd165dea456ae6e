package service

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"

	"whistle/domain"
	"whistle/secret"
	"whistle/store"
)

// The personal-data key (see KeySource) must stay with its database: ID numbers and
// phones sealed with it open with no other. The database records the key's
// fingerprint (secret.Keys.Check, a hash of the key, never the key) at its first use;
// a server refuses to start with another key, or with none, rather than make a new key
// that would leave them sealed for good.

// CheckKey opens the personal-data key of s's database and checks it fits; whistle
// serve calls it before it starts, so a wrong or missing key stops the server with its
// reason instead of failing every request for a register. A database with nothing
// sealed and no key gets a new key here and records its fingerprint.
func (s *Service) CheckKey(ctx context.Context) error {
	_, err := s.KeyGroups(ctx)
	return err
}

// openKeys gives db's personal-data keys. A new key is made only for a database that
// has no fingerprint recorded and nothing sealed; any other without its key is refused.
func openKeys(ctx context.Context, db *store.DB) (*secret.Keys, error) {
	src := KeySource(db)
	keys, err := src.Existing()
	if !errors.Is(err, secret.ErrNoKey) {
		return keys, err
	}
	check, sample, serr := db.Sealing(ctx)
	if serr != nil {
		return nil, serr
	}
	if check == "" && sample == "" {
		return src.Load()
	}
	return nil, domain.Errorf(domain.EINTERNAL, "this database's ID numbers and phones are sealed with a key (fingerprint %s) that is not here: %v. "+
		"Restore the key with the database (whistle restore FILE with the FILE.key.sealed its backup wrote) or give it with WHISTLE_KEY_FILE; "+
		"a new key would not open them", cmp.Or(check, "not recorded"), err)
}

// keyFits checks that keys are the keys db's personal data was sealed with: those of
// the fingerprint the database records or, in a database from before fingerprints,
// those that open a sealed value.
func keyFits(ctx context.Context, db *store.DB, keys *secret.Keys) error {
	check, sample, err := db.Sealing(ctx)
	if err != nil {
		return err
	}
	if check != "" && check != keys.Check {
		return domain.Errorf(domain.EINTERNAL, "the personal-data key (fingerprint %s) is not the key this database's ID numbers and phones were sealed with (fingerprint %s)", keys.Check, check)
	}
	if check == "" && sample != "" {
		if _, err := keys.Open(sample); err != nil {
			return domain.Errorf(domain.EINTERNAL, "the personal-data key (fingerprint %s) does not open this database's sealed ID numbers and phones", keys.Check)
		}
	}
	return nil
}

// BackupKey gives the master key of db's personal data, for a backup to carry sealed,
// after checking it is the key the data was sealed with. It never makes a key.
func BackupKey(ctx context.Context, db *store.DB) ([]byte, error) {
	src := KeySource(db)
	master, err := src.Master()
	if err != nil {
		return nil, err
	}
	keys, err := secret.New(master)
	if err != nil {
		return nil, err
	}
	if err := keyFits(ctx, db, keys); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Where(), err)
	}
	return master, nil
}

// RestoreKey puts a backup's master key where db's server will read it (KeySource)
// and says where. A different key already there is replaced only when replace is set,
// and never one given in WHISTLE_KEY.
func RestoreKey(db *store.DB, master []byte, replace bool) (string, error) {
	src := KeySource(db)
	have, err := src.Master()
	switch {
	case err == nil && bytes.Equal(have, master):
		return src.Where(), nil
	case src.Key != "":
		return "", errors.New("WHISTLE_KEY holds another key than the backup's: unset it, or set it to the backup's key")
	case err == nil && !replace:
		return "", fmt.Errorf("%s holds another key than the backup's: --force replaces it (another database sealed with it would lose its personal data)", src.Where())
	}
	return src.Where(), secret.WriteFile(cmp.Or(src.File, src.Fallback), master, replace)
}
