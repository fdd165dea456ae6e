package domain

// RedactContacts hides phone and identity numbers a reporter typed into free text, for
// answers the public reads.
func RedactContacts(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || (j > i && (rs[j] == 'X' || rs[j] == 'x') && j-i == 17)) {
			j++
		}
		if n := j - i; n >= 7 {
			for k := 0; k < n; k++ {
				out = append(out, '*')
			}
			i = j
			continue
		}
		if j > i {
			out = append(out, rs[i:j]...)
			i = j
			continue
		}
		out = append(out, rs[i])
		i++
	}
	return string(out)
}
