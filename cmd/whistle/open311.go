package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"whistle/domain"
	"whistle/service"
)

// open311KeyAdd registers an Open311 client app and prints its api_key as the last word,
// so a script can take it with `awk '{print $NF}'`. The key is shown this once; only its
// hash is kept.
func open311KeyAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("open311 key add")
	name := fs.String("name", "", "the client app's name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" {
		return errors.New("open311 key add needs --name")
	}
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	c, key, err := service.New(db).AddClient(ctx, domain.User{}, *name, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "client app %q (id %d) api_key: %s\n", c.Name, c.ID, key)
	return nil
}
