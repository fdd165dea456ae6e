package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"whistle/store"
	"whistle/whistletest"
)

// TestOpen311KeyAdd: the command prints the new key as its last word, and that key
// opens the Open311 API.
func TestOpen311KeyAdd(t *testing.T) {
	dsn := whistletest.DSN(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"open311", "key", "add", "--db", dsn, "--name", "随手拍"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(out.String())
	key := words[len(words)-1]
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.ClientByKey(context.Background(), key)
	if err != nil || c.Name != "随手拍" {
		t.Fatalf("the printed key %q does not open the API: %+v %v", key, c, err)
	}
	if err := run(context.Background(), []string{"open311", "key", "add", "--db", dsn}, nil, &out); err == nil {
		t.Fatal("a client app without a name")
	}
}
