package service

import (
	"context"
	"math"
	"strconv"

	"whistle/domain"
	"whistle/store"
)

// The audit log: every administrative and personal-data use case records what it did
// with audit (or audited), in its own transaction, so a failed change leaves no entry
// and no change lands without one. Auditors and administrators read the log; the
// command line checks its chain (VerifyAudit).

// clientKey carries the address a request came from in its context.
type clientKey struct{}

// WithClient gives ctx carrying the client's address, for the audit log: the API and
// the pages set it for every request, the commands set "cli". Use cases read it from
// their context, so none takes it as a parameter.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// clientOf reads the address WithClient put in ctx, "" when none did.
func clientOf(ctx context.Context) string {
	addr, _ := ctx.Value(clientKey{}).(string)
	return addr
}

// audit appends to the log, in tx, that u (the zero user: the system) did action on
// object with the change c, from the address in ctx.
func (s *Service) audit(ctx context.Context, tx *store.Tx, u domain.User, action, object string, c domain.Change) error {
	change, err := c.JSON()
	if err != nil {
		return err
	}
	login := u.Login
	if u.ID == 0 && login == "" {
		login = domain.SystemLogin
	}
	return tx.Audit(&domain.AuditEntry{UserID: u.ID, Login: login, Addr: clientOf(ctx), Action: action, Object: object, Change: change})
}

// audited runs write in one write transaction and logs there, as action on object by
// u, the change it reports.
func (s *Service) audited(ctx context.Context, u domain.User, action, object string, write func(tx *store.Tx) (domain.Change, error)) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := write(tx)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, u, action, object, c)
	})
}

// putSetting stores an installation setting for u (checked by the caller), logged with
// its value before and after.
func (s *Service) putSetting(ctx context.Context, u domain.User, key, value string) error {
	return s.audited(ctx, u, "setting.put", "setting/"+key, func(tx *store.Tx) (domain.Change, error) {
		old, err := tx.Setting(key)
		if err != nil {
			return domain.Change{}, err
		}
		return domain.Change{Before: settingValue(key, old), After: settingValue(key, value)}, tx.PutSetting(key, value)
	})
}

// settingValue is how a setting's value enters the log: as itself, or as a secret
// when the setting holds credentials (attachments_s3).
func settingValue(key, value string) map[string]string {
	if key == S3Setting || key == MessageSMTPSetting || key == MessageWebhookSetting {
		return map[string]string{"secret": value}
	}
	return map[string]string{"value": value}
}

// AuditLog reads the log's entries f asks for, newest first, and the cursor of the
// next page (0 at the end): auditors and administrators.
func (s *Service) AuditLog(ctx context.Context, u domain.User, f domain.AuditFilter) ([]domain.AuditEntry, int64, error) {
	if !domain.CanReadAudit(u) {
		return nil, 0, domain.Errorf(domain.EFORBIDDEN, "the audit log is for auditors and administrators")
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	entries, err := s.db.AuditLog(ctx, f)
	var next int64
	if len(entries) == f.Limit {
		next = entries[len(entries)-1].ID
	}
	return entries, next, err
}

// AuditExportMax bounds the entries one export holds; a longer period is exported in
// parts (by from and to).
const AuditExportMax = 50000

// AuditTable gives the entries f asks for (its cursor and limit aside) as a table for a
// CSV or XLSX export, newest first, at most AuditExportMax.
func (s *Service) AuditTable(ctx context.Context, u domain.User, f domain.AuditFilter) ([][]string, error) {
	rows := [][]string{{"id", "at", "user_id", "login", "addr", "action", "object", "change", "hash"}}
	f.Limit = 1000
	for len(rows) <= AuditExportMax {
		page, next, err := s.AuditLog(ctx, u, f)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.At.In(domain.China).Format("2006-01-02 15:04:05"),
				strconv.FormatInt(e.UserID, 10), e.Login, e.Addr, e.Action, e.Object, e.Change, e.Hash})
		}
		if next == 0 {
			break
		}
		f.Before = next
	}
	return rows[:min(len(rows), AuditExportMax+1)], nil
}

// VerifyAudit walks the whole chain, for the command line: it gives the entries that
// hold and the first break, nil when there is none. The head is read first, so entries
// appended while it walks are left for the next check.
func (s *Service) VerifyAudit(ctx context.Context) (int64, *domain.AuditBreak, error) {
	headID, headHash, err := s.db.AuditHead(ctx)
	if err != nil {
		return 0, nil, err
	}
	upTo := headID
	if headID == 0 { // no head: every entry there is one too many
		upTo = math.MaxInt64
	}
	var chain domain.AuditChain
	var broken *domain.AuditBreak
	err = s.db.WalkAudit(ctx, upTo, func(e domain.AuditEntry) error {
		if broken = chain.Next(e); broken != nil {
			return broken
		}
		return nil
	})
	if broken != nil {
		return chain.Count, broken, nil
	}
	if err != nil {
		return chain.Count, nil, err
	}
	return chain.Count, chain.End(headID, headHash), nil
}

// prior is the object a change starts from, for its log entry: nil when the read
// finds none (the change makes it).
func prior[T any](v T, err error) (*T, error) {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// swap runs write between two reads of the object it changes and gives the change
// for its log entry: the object before (nil when write makes it) and after.
func swap[T any](read func() (T, error), write func() error) (domain.Change, error) {
	before, err := prior(read())
	if err != nil {
		return domain.Change{}, err
	}
	if err := write(); err != nil {
		return domain.Change{}, err
	}
	after, err := read()
	return domain.Change{Before: before, After: after}, err
}

// objectID names an object of a kind by its id in the log: user/12.
func objectID(kind string, id int64) string { return kind + "/" + strconv.FormatInt(id, 10) }

// createdOr names the action that made an object (id 0 before) or changed it.
func createdOr(id int64, family string) string {
	if id == 0 {
		return family + ".create"
	}
	return family + ".update"
}

// logPut runs write, which creates (*id 0, numbered by write) or changes an object of a
// kind, between two reads of it by read, and logs it in tx as kind.create or
// kind.update with what changed.
func logPut[T any](ctx context.Context, s *Service, tx *store.Tx, u domain.User, kind string, id *int64, read func(int64) (T, error), write func() error) error {
	action := createdOr(*id, kind)
	c, err := swap(func() (T, error) { return read(*id) }, write)
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, u, action, objectID(kind, *id), c)
}
