package service

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// The seat's knowledge base (知识库): who takes calls and visits searches it by the
// caller's words and the matter chosen, and keeps it (dispatchers and administrators);
// every change is logged.

func mayUseKnowledge(u domain.User) error {
	if !u.Has(domain.RoleDispatcher) && !u.Has(domain.RoleAdmin) {
		return domain.Errorf(domain.EFORBIDDEN, "the knowledge base is the hotline's and the windows'")
	}
	return nil
}

// SearchKnowledge ranks the entries for text and matter (at most 10); with neither it
// lists the whole base.
func (s *Service) SearchKnowledge(ctx context.Context, u domain.User, text, matter string) ([]domain.Knowledge, error) {
	if err := mayUseKnowledge(u); err != nil {
		return nil, err
	}
	if len(text) > 20000 || len(matter) > 32 {
		return nil, domain.Invalidf("knowledge.search", "the text is at most 20,000 bytes")
	}
	all, err := s.db.KnowledgeAll(ctx)
	if err != nil || (text == "" && matter == "") {
		return all, err
	}
	return domain.SearchKnowledge(all, text, matter, 10), nil
}

// PutKnowledge adds an entry (ID 0) or changes one at its version; logged.
func (s *Service) PutKnowledge(ctx context.Context, u domain.User, k domain.Knowledge) (domain.Knowledge, error) {
	if err := mayUseKnowledge(u); err != nil {
		return k, err
	}
	if err := k.Validate(); err != nil {
		return k, err
	}
	if k.Matter != "" {
		if _, err := s.db.Matter(ctx, k.Matter); err != nil {
			return k, domain.Invalidf("knowledge.matter", "unknown matter %q", k.Matter)
		}
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if k.ID != 0 {
			if _, err := tx.KnowledgeEntry(k.ID); err != nil {
				return err
			}
		}
		return logPut(ctx, s, tx, u, "knowledge", &k.ID, tx.KnowledgeEntry, func() error { return tx.PutKnowledge(&k, u.ID) })
	})
	return k, err
}
