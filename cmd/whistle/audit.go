package main

import (
	"context"
	"fmt"
	"io"

	"whistle/service"
)

// auditVerify walks the audit log's hash chain from its first entry to its head and
// reports the first entry that breaks it (edited, deleted, or cut from the end), with an
// error, so the command's exit status is 1; an intact chain prints its length.
func auditVerify(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("audit verify")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, broken, err := service.New(db).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if broken != nil {
		fmt.Fprintf(stdout, "audit log BROKEN after %d intact entries: entry %d: %s\n", n, broken.ID, broken.Reason)
		return broken
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries\n", n)
	return nil
}
