package passhash

import "testing"

func TestPasswordHash(t *testing.T) {
	h, err := Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !Check(h, "correct horse") || Check(h, "correct horsE") {
		t.Fatal("hash does not check")
	}
	h2, _ := Hash("correct horse")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$a$b", "$bcrypt$v=1$m=1,t=1,p=1$c2FsdA$"} {
		if Check(bad, "") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}
