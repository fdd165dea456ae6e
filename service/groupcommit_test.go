package service

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"whistle/domain"
	"whistle/store"
)

// A refused write in a group is undone alone; the others of its group are kept.
func TestGroupCommitKeepsTheOthers(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "group.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var g groupCommit
	refused := errors.New("refused")
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = g.do(ctx, db, func(tx *store.Tx) error {
				if err := tx.PutOrg(domain.Org{Code: fmt.Sprintf("ORG%02d", i), Name: "单位"}); err != nil {
					return err
				}
				if i%5 == 0 {
					return refused // after writing: the savepoint must undo the write
				}
				return nil
			})
		}()
	}
	wg.Wait()
	orgs, err := db.Orgs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, o := range orgs {
		kept[o.Code] = true
	}
	for i, err := range errs {
		code := fmt.Sprintf("ORG%02d", i)
		if i%5 == 0 {
			if !errors.Is(err, refused) || kept[code] {
				t.Errorf("write %d: err %v, kept %v; want refused and undone", i, err, kept[code])
			}
		} else if err != nil || !kept[code] {
			t.Errorf("write %d: err %v, kept %v; want committed", i, err, kept[code])
		}
	}
	if len(orgs) != 32 {
		t.Errorf("%d orgs stored, want 32", len(orgs))
	}
}
