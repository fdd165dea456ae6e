package domain

import (
	"sort"
	"strings"
)

// Knowledge is an entry of the seat's knowledge base (知识库): an answer the call-taker
// gives (a policy, where to go, what to bring), the phone numbers and links that go with
// it, under a matter or, with Matter "", the whole catalogue.
type Knowledge struct {
	ID      int64  `json:"id"`
	Matter  string `json:"matter,omitempty"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	Phones  string `json:"phones,omitempty"`
	Links   string `json:"links,omitempty"`
	Version int    `json:"version"`
}

// Validate checks an entry.
func (k *Knowledge) Validate() error {
	k.Matter, k.Title, k.Body = strings.TrimSpace(k.Matter), strings.TrimSpace(k.Title), strings.TrimSpace(k.Body)
	k.Phones, k.Links = strings.TrimSpace(k.Phones), strings.TrimSpace(k.Links)
	switch {
	case k.Title == "" || len([]rune(k.Title)) > 100:
		return Invalidf("knowledge.title", "an entry needs a title of at most 100 characters")
	case k.Body == "" || len([]rune(k.Body)) > 5000:
		return Invalidf("knowledge.body", "an entry needs its answer, at most 5000 characters")
	case len([]rune(k.Phones)) > 200 || len(k.Links) > 2000:
		return Invalidf("knowledge.phones", "phones are at most 200 characters and links 2000")
	}
	return nil
}

// Answer is the text a call-taker reads out and records: the answer, then the phones.
func (k Knowledge) Answer() string {
	if k.Phones == "" {
		return k.Body
	}
	return k.Body + "（电话：" + k.Phones + "）"
}

// SearchKnowledge ranks entries for a caller's words and the matter chosen: an entry of
// the matter first, then by the character pairs its title and answer share with the
// words (the title's counting double); entries with neither are left out. An empty
// text with a matter lists the matter's entries.
func SearchKnowledge(all []Knowledge, text, matter string, n int) []Knowledge {
	grams := uniq(bigrams(text))
	type scored struct {
		k Knowledge
		s float64
	}
	var out []scored
	for _, k := range all {
		s := 0.0
		if matter != "" && k.Matter == matter {
			s += 5
		}
		title, body := k.Title, k.Body
		for _, g := range grams {
			if strings.Contains(title, g) {
				s += 2
			} else if strings.Contains(body, g) {
				s++
			}
		}
		if s > 0 {
			out = append(out, scored{k, s})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].s > out[j].s })
	res := []Knowledge{}
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].k)
	}
	return res
}
