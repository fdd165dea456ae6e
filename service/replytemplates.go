package service

import (
	"context"

	"whistle/domain"
	"whistle/store"
)

// Reply templates (常用语): the sentences call-takers and officers write again and again,
// kept once with placeholders (domain.ReplyTemplate). Dispatchers keep the shared ones,
// an org's officers its own; administrators any. Every change is logged.

// ReplyTemplates lists the templates of a use ("" every use) that u is offered.
func (s *Service) ReplyTemplates(ctx context.Context, u domain.User, use string) ([]domain.ReplyTemplate, error) {
	if use != "" && use != domain.ReplyAnswer && use != domain.ReplyResult {
		return nil, domain.Invalidf("template.use", "use is answer or result")
	}
	if !u.Has(domain.RoleAdmin) && !u.Has(domain.RoleDispatcher) && !u.Has(domain.RoleOfficer) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "reply templates are for those who answer calls and cases")
	}
	all, err := s.db.ReplyTemplates(ctx, use)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, t := range all {
		if domain.SeesReplyTemplate(u, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// CaseReplies gives the templates of a use u is offered on case c, filled in from the
// case (its reporter, number, matter, address, u's org and today).
func (s *Service) CaseReplies(ctx context.Context, u domain.User, c *domain.Case, use string) ([]domain.ReplyTemplate, error) {
	ts, err := s.ReplyTemplates(ctx, u, use)
	if err != nil || len(ts) == 0 {
		return ts, err
	}
	vals := map[string]string{"来电人": c.Reporter.Name, "编号": c.Number, "地址": c.Address, "日期": s.now().In(domain.China).Format("2006年1月2日")}
	if m, err := s.db.Matter(ctx, c.Matter); err == nil {
		vals["事项"] = m.Name
	}
	vals["部门"] = s.orgName(ctx, u)
	for i := range ts {
		ts[i].Body = ts[i].Expand(vals)
	}
	return ts, nil
}

// SeatReplies gives the direct-answer templates for a call not yet filed: today's date
// and u's org filled in, the caller's name left for the page (it fills {来电人} from the
// form as it is typed).
func (s *Service) SeatReplies(ctx context.Context, u domain.User) ([]domain.ReplyTemplate, error) {
	ts, err := s.ReplyTemplates(ctx, u, domain.ReplyAnswer)
	if err != nil {
		return nil, err
	}
	vals := map[string]string{"来电人": "{来电人}", "日期": s.now().In(domain.China).Format("2006年1月2日"), "部门": s.orgName(ctx, u)}
	for i := range ts {
		ts[i].Body = ts[i].Expand(vals)
	}
	return ts, nil
}

// orgName is the name of u's first officer org, "" for none.
func (s *Service) orgName(ctx context.Context, u domain.User) string {
	for _, g := range u.Grants {
		if g.Org != "" {
			if o, err := s.db.Org(ctx, g.Org); err == nil {
				return o.Name
			}
		}
	}
	return ""
}

// PutReplyTemplate adds a template (ID 0) or changes one at its version; logged.
func (s *Service) PutReplyTemplate(ctx context.Context, u domain.User, t domain.ReplyTemplate) (domain.ReplyTemplate, error) {
	if err := t.Validate(); err != nil {
		return t, err
	}
	if !domain.MayKeepReplyTemplate(u, t.Org) {
		return t, domain.Errorf(domain.EFORBIDDEN, "dispatchers keep the shared templates and an org's officers its own")
	}
	if t.Org != "" {
		if _, err := s.db.Org(ctx, t.Org); err != nil {
			return t, domain.Invalidf("template.org", "unknown org %q", t.Org)
		}
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if t.ID != 0 {
			old, err := tx.ReplyTemplate(t.ID)
			if err != nil {
				return err
			}
			if !domain.MayKeepReplyTemplate(u, old.Org) { // nor move another org's to one's own
				return domain.Errorf(domain.EFORBIDDEN, "reply template %d is another org's", t.ID)
			}
		}
		return logPut(ctx, s, tx, u, "reply_template", &t.ID, tx.ReplyTemplate, func() error { return tx.PutReplyTemplate(&t, u.ID) })
	})
	return t, err
}

// DeleteReplyTemplate removes a template at its version; logged with what it was.
func (s *Service) DeleteReplyTemplate(ctx context.Context, u domain.User, id int64, version int) error {
	return s.audited(ctx, u, "reply_template.delete", objectID("reply_template", id), func(tx *store.Tx) (domain.Change, error) {
		old, err := tx.ReplyTemplate(id)
		if err != nil {
			return domain.Change{}, err
		}
		if !domain.MayKeepReplyTemplate(u, old.Org) {
			return domain.Change{}, domain.Errorf(domain.EFORBIDDEN, "dispatchers keep the shared templates and an org's officers its own")
		}
		return domain.Change{Before: old}, tx.DeleteReplyTemplate(id, version)
	})
}
