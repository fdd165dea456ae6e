package domain

import "strings"

// SearchMatters finds catalog entries whose code, name, class or keywords hold every
// word of q, public ones first, at most limit.
func SearchMatters(all []Matter, q string, limit int) []Matter {
	words := strings.Fields(strings.ToLower(q))
	out := []Matter{}
	for pass := 0; pass < 2; pass++ {
		for _, m := range all {
			if m.Public != (pass == 0) {
				continue
			}
			hay := strings.ToLower(m.Code + " " + m.Name + " " + m.Class + " " + m.Keywords)
			ok := true
			for _, w := range words {
				ok = ok && strings.Contains(hay, w)
			}
			if ok && len(out) < limit {
				out = append(out, m)
			}
		}
	}
	return out
}
