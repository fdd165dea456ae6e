package domain

import (
	"math/rand/v2"
	"sort"
)

// Mixing (混编) splits a joint class into groups (组) and rooms (同住).
//
// Hard rules, which the mixing never breaks (Mix fails with a clear error instead):
//   - sources: every group holds from each source the floor or the ceiling of its
//     share (n_s·size/N), so two sources of equal size meet in equal numbers ±1;
//   - rooms: same gender, at most RoomSize each, and from different sources wherever
//     the class allows (no more single-source rooms than MinUnmixedRooms);
//   - hand rules: keep together (同组), keep apart (neither the same group nor room).
//
// Soft balance, improved as far as it goes: units spread (no two of one unit in a
// group where avoidable), ranks, genders, age bands and fields as even as the class
// allows. The mixing builds a placement that meets the hard rules (quotas by a small
// flow, clusters of kept-together trainees first, then trainees dealt in an order
// that spreads them), then swaps trainees of the same source between groups, which
// never moves a source count, keeping only swaps that do not worsen the balance and
// break no hand rule. The same class, spec and seed give the same result.

// MixRule is a rule given by hand: keep two trainees together or apart.
type MixRule struct {
	Kind string `json:"kind"` // "together" | "apart"
	A    int64  `json:"a"`
	B    int64  `json:"b"`
}

// Kinds of hand rules.
const (
	RuleTogether = "together"
	RuleApart    = "apart"
)

// MixSpec is what a mixing is asked for.
type MixSpec struct {
	GroupSizes []int     `json:"group_sizes"`
	RoomSize   int       `json:"room_size"`
	Seed       int64     `json:"seed"`
	Rules      []MixRule `json:"rules,omitempty"`
}

// GroupSizesOf splits n trainees into groups of at most size, as even as can be.
func GroupSizesOf(n, size int) []int {
	if n <= 0 || size <= 0 {
		return nil
	}
	g := (n + size - 1) / size
	out := make([]int, g)
	for i := range out {
		out[i] = n / g
		if i < n%g {
			out[i]++
		}
	}
	return out
}

// mixAttrs are the attributes balanced: unit, rank, gender, age band, field.
const (
	attrUnit = iota
	attrRank
	attrGender
	attrAge
	attrField
	nAttrs
)

// AgeBand names the band an age falls in for balancing.
func AgeBand(age int) string {
	switch {
	case age <= 0:
		return "未知"
	case age < 35:
		return "35岁以下"
	case age < 40:
		return "35-39岁"
	case age < 45:
		return "40-44岁"
	case age < 50:
		return "45-49岁"
	}
	return "50岁及以上"
}

// mixState is a class coded for the search: every attribute as small integers.
type mixState struct {
	n, g      int
	size      []int // per group
	source    []int // per trainee
	nSource   int   //
	srcCount  []int // per source
	attr      [nAttrs][]int
	nVal      [nAttrs]int
	frac      [nAttrs][]float64 // share of each value in the class
	group     []int             // per trainee, 0-based
	count     [nAttrs][]int     // group*nVal+value
	apart     [][]int
	together  [][]int // per trainee, its component's members (nil when alone)
	srcNames  []string
	valNames  [nAttrs][]string
	weights   [nAttrs]float64
	index     map[int64]int
	trainees  []Trainee
	spec      MixSpec
	srcOfName map[string]int
}

func codeOf(names map[string]int, list *[]string, v string) int {
	if c, ok := names[v]; ok {
		return c
	}
	names[v] = len(*list)
	*list = append(*list, v)
	return names[v]
}

func attrValue(t Trainee, k int) string {
	switch k {
	case attrUnit:
		return t.Unit
	case attrRank:
		return t.Rank
	case attrGender:
		return t.Gender
	case attrAge:
		return AgeBand(t.Age)
	}
	return t.Field
}

// newMixState codes the class; it checks the spec and the rules.
func newMixState(ts []Trainee, spec MixSpec) (*mixState, error) {
	if err := checkMixSpec(ts, spec); err != nil {
		return nil, err
	}
	s := &mixState{n: len(ts), g: len(spec.GroupSizes), size: spec.GroupSizes, trainees: ts, spec: spec,
		index: map[int64]int{}, weights: [nAttrs]float64{4, 1, 1, 1, 1}}
	// sources in order of size (largest first), then name, so the coding is stable
	cnt := map[string]int{}
	for _, t := range ts {
		cnt[t.Source]++
	}
	for name := range cnt {
		s.srcNames = append(s.srcNames, name)
	}
	sort.Slice(s.srcNames, func(i, j int) bool {
		a, b := s.srcNames[i], s.srcNames[j]
		return cnt[a] > cnt[b] || cnt[a] == cnt[b] && a < b
	})
	s.srcOfName = map[string]int{}
	for i, name := range s.srcNames {
		s.srcOfName[name] = i
		s.srcCount = append(s.srcCount, cnt[name])
	}
	s.nSource = len(s.srcNames)
	s.source = make([]int, s.n)
	for k := 0; k < nAttrs; k++ {
		names := map[string]int{}
		s.attr[k] = make([]int, s.n)
		for i, t := range ts {
			s.attr[k][i] = codeOf(names, &s.valNames[k], attrValue(t, k))
		}
		s.nVal[k] = len(s.valNames[k])
		s.frac[k] = make([]float64, s.nVal[k])
		for i := range ts {
			s.frac[k][s.attr[k][i]] += 1 / float64(s.n)
		}
		s.count[k] = make([]int, s.g*s.nVal[k])
	}
	for i, t := range ts {
		s.source[i] = s.srcOfName[t.Source]
		s.index[t.ID] = i
	}
	return s, s.codeRules()
}

func checkMixSpec(ts []Trainee, spec MixSpec) error {
	if len(ts) == 0 {
		return Invalidf("mix.empty", "班级还没有学员，无法混编")
	}
	total := 0
	for i, sz := range spec.GroupSizes {
		if sz < 1 {
			return Invalidf("mix.group_sizes", "第 %d 组的人数必须至少为 1", i+1)
		}
		total += sz
	}
	if total != len(ts) {
		return Invalidf("mix.group_sizes", "各组人数之和 %d 与学员人数 %d 不符", total, len(ts))
	}
	if spec.RoomSize < 1 || spec.RoomSize > 8 {
		return Invalidf("mix.room_size", "每间房的人数须在 1 到 8 之间")
	}
	seen := map[int64]bool{}
	for _, t := range ts {
		if seen[t.ID] {
			return Invalidf("mix.trainee", "学员编号 %d 重复", t.ID)
		}
		seen[t.ID] = true
		if t.Gender != GenderMale && t.Gender != GenderFemale {
			return Invalidf("mix.gender", "学员 %s 的性别须为「男」或「女」", t.Name)
		}
	}
	return nil
}

// codeRules builds the apart lists and the together components, refusing rules that
// name unknown trainees or contradict one another.
func (s *mixState) codeRules() error {
	s.apart = make([][]int, s.n)
	parent := make([]int, s.n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for k, r := range s.spec.Rules {
		a, okA := s.index[r.A]
		b, okB := s.index[r.B]
		switch {
		case !okA || !okB:
			return Invalidf("mix.rule", "第 %d 条规则指向本班没有的学员", k+1)
		case a == b:
			return Invalidf("mix.rule", "第 %d 条规则的两名学员是同一人", k+1)
		case r.Kind == RuleApart:
			s.apart[a] = append(s.apart[a], b)
			s.apart[b] = append(s.apart[b], a)
		case r.Kind == RuleTogether:
			parent[find(a)] = find(b)
		default:
			return Invalidf("mix.rule", "第 %d 条规则的类型须为 together（同组）或 apart（分开）", k+1)
		}
	}
	comp := map[int][]int{}
	for i := 0; i < s.n; i++ {
		comp[find(i)] = append(comp[find(i)], i)
	}
	s.together = make([][]int, s.n)
	for _, members := range comp {
		if len(members) < 2 {
			continue
		}
		for _, m := range members {
			s.together[m] = members
		}
	}
	for i := 0; i < s.n; i++ {
		for _, j := range s.apart[i] {
			if s.together[i] != nil && find(i) == find(j) {
				return Invalidf("mix.rule", "学员 %s 与 %s 既要同组又要分开，规则互相矛盾", s.trainees[i].Name, s.trainees[j].Name)
			}
		}
	}
	return nil
}

// quotas gives each group its number from each source: the floor or ceiling of its
// share, the ceilings chosen by a flow so that rows and columns add up.
func (s *mixState) quotas() [][]int {
	q := make([][]int, s.g)
	rowNeed := make([]int, s.g)
	colNeed := append([]int(nil), s.srcCount...)
	frac := make([][]bool, s.g)
	for g := range q {
		q[g] = make([]int, s.nSource)
		frac[g] = make([]bool, s.nSource)
		rowNeed[g] = s.size[g]
		for src := range q[g] {
			num := s.srcCount[src] * s.size[g]
			q[g][src] = num / s.n
			frac[g][src] = num%s.n != 0
			rowNeed[g] -= q[g][src]
			colNeed[src] -= q[g][src]
		}
	}
	// augmenting paths: a source needing one more finds a group that needs one more
	// through cells that may round up, reassigning earlier choices on the way.
	up := make([][]bool, s.g)
	for g := range up {
		up[g] = make([]bool, s.nSource)
	}
	for src := 0; src < s.nSource; src++ {
		for colNeed[src] > 0 {
			if !s.augment(src, up, frac, rowNeed) {
				break // cannot happen for a table with integer margins
			}
			colNeed[src]--
		}
	}
	for g := range q {
		for src := range q[g] {
			if up[g][src] {
				q[g][src]++
			}
		}
	}
	return q
}

func (s *mixState) augment(src int, up, frac [][]bool, rowNeed []int) bool {
	prevSrc := make([]int, s.g)         // the source from which a group was reached
	prevGroup := make([]int, s.nSource) // the group from which a source was reached
	for g := range prevSrc {
		prevSrc[g] = -1
	}
	for c := range prevGroup {
		prevGroup[c] = -2
	}
	prevGroup[src] = -1
	queue := []int{src}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for g := 0; g < s.g; g++ {
			if !frac[g][cur] || up[g][cur] || prevSrc[g] >= 0 {
				continue
			}
			prevSrc[g] = cur
			if rowNeed[g] > 0 { // found: flip the path back to src
				rowNeed[g]--
				for gg := g; gg >= 0; {
					c := prevSrc[gg]
					up[gg][c] = true
					gg = prevGroup[c]
					if gg >= 0 {
						up[gg][c] = false
					}
				}
				return true
			}
			for c2 := 0; c2 < s.nSource; c2++ {
				if up[g][c2] && prevGroup[c2] == -2 {
					prevGroup[c2] = g
					queue = append(queue, c2)
				}
			}
		}
	}
	return false
}

// place builds the first placement: kept-together clusters first (largest first),
// then trainees with apart rules, then the rest, each source dealt round its groups in
// an order that spreads units, ranks, genders, ages and fields.
func (s *mixState) place() error {
	q := s.quotas()
	s.group = make([]int, s.n)
	for i := range s.group {
		s.group[i] = -1
	}
	free := append([]int(nil), s.size...)
	done := map[int]bool{}
	var clusters [][]int
	for i := 0; i < s.n; i++ {
		if c := s.together[i]; c != nil && !done[c[0]] {
			done[c[0]] = true
			clusters = append(clusters, c)
		}
	}
	sort.SliceStable(clusters, func(i, j int) bool { return len(clusters[i]) > len(clusters[j]) })
	for _, c := range clusters {
		if err := s.placeCluster(c, q, free); err != nil {
			return err
		}
	}
	order := s.dealOrder()
	next := make([]int, s.nSource)
	for _, i := range order {
		if s.group[i] >= 0 {
			continue
		}
		src := s.source[i]
		placed := false
		for k := 0; k < s.g && !placed; k++ {
			g := (next[src] + k) % s.g
			if q[g][src] > 0 && !s.apartIn(i, g, -1) {
				s.put(i, g)
				q[g][src]--
				free[g]--
				next[src] = g + 1
				placed = true
			}
		}
		if !placed {
			return Errorf(ECONFLICT, "无法在满足来源均衡的同时把学员 %s 与须分开的学员分在不同组；请减少分开规则或调整各组人数", s.trainees[i].Name)
		}
	}
	return nil
}

func (s *mixState) placeCluster(c []int, q [][]int, free []int) error {
	need := make([]int, s.nSource)
	for _, m := range c {
		need[s.source[m]]++
	}
	best := -1
	for g := 0; g < s.g; g++ {
		ok := free[g] >= len(c)
		for src := 0; ok && src < s.nSource; src++ {
			ok = q[g][src] >= need[src]
		}
		for _, m := range c {
			ok = ok && !s.apartIn(m, g, -1)
		}
		if ok && (best < 0 || free[g] > free[best]) {
			best = g
		}
	}
	if best < 0 {
		return Errorf(ECONFLICT, "须同组的 %d 名学员（%s 等）放不进任何一组而不破坏来源均衡或分开规则", len(c), s.trainees[c[0]].Name)
	}
	for _, m := range c {
		s.put(m, best)
		q[best][s.source[m]]--
		free[best]--
	}
	return nil
}

// dealOrder lists trainees with apart rules first, then by source and a key that puts
// alike trainees next to each other, so dealing them round the groups spreads them.
func (s *mixState) dealOrder() []int {
	order := make([]int, s.n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := order[x], order[y]
		if (len(s.apart[a]) > 0) != (len(s.apart[b]) > 0) {
			return len(s.apart[a]) > 0
		}
		if s.source[a] != s.source[b] {
			return s.source[a] < s.source[b]
		}
		for _, k := range []int{attrUnit, attrGender, attrRank, attrAge, attrField} {
			if s.attr[k][a] != s.attr[k][b] {
				return s.attr[k][a] < s.attr[k][b]
			}
		}
		return a < b
	})
	return order
}

// apartIn tells whether group g holds someone i must be kept apart from (but skip).
func (s *mixState) apartIn(i, g, skip int) bool {
	for _, j := range s.apart[i] {
		if j != skip && s.group[j] == g {
			return true
		}
	}
	return false
}

func (s *mixState) put(i, g int) {
	s.group[i] = g
	for k := 0; k < nAttrs; k++ {
		s.count[k][g*s.nVal[k]+s.attr[k][i]]++
	}
}

// cellDelta is the change of attribute k's penalty when group g's count of value v
// changes by d (+1 or -1).
func (s *mixState) cellDelta(k, g, v, d int) float64 {
	c := float64(s.count[k][g*s.nVal[k]+v])
	if k == attrUnit { // pairs of one unit: C(c,2)
		if d > 0 {
			return c
		}
		return -(c - 1)
	}
	dev := c - s.frac[k][v]*float64(s.size[g])
	return 2*dev*float64(d) + 1
}

// swapDelta is the change of the weighted penalty if i and j change groups.
func (s *mixState) swapDelta(i, j int) float64 {
	gi, gj := s.group[i], s.group[j]
	total := 0.0
	for k := 0; k < nAttrs; k++ {
		a, b := s.attr[k][i], s.attr[k][j]
		if a == b {
			continue
		}
		d := s.cellDelta(k, gi, a, -1) + s.cellDelta(k, gj, a, +1) + s.cellDelta(k, gj, b, -1) + s.cellDelta(k, gi, b, +1)
		total += s.weights[k] * d
	}
	return total
}

func (s *mixState) move(i, from, to int) {
	for k := 0; k < nAttrs; k++ {
		s.count[k][from*s.nVal[k]+s.attr[k][i]]--
		s.count[k][to*s.nVal[k]+s.attr[k][i]]++
	}
	s.group[i] = to
}

// improve swaps trainees of one source between groups while it helps; kept-together
// trainees stay, and no swap brings apart trainees into one group.
func (s *mixState) improve(seed int64) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	bySource := make([][]int, s.nSource)
	for i := 0; i < s.n; i++ {
		if s.together[i] == nil {
			bySource[s.source[i]] = append(bySource[s.source[i]], i)
		}
	}
	iters, idle := 300*s.n, 0
	if iters > 400000 {
		iters = 400000
	}
	for it := 0; it < iters && idle < 40*s.n+2000; it++ {
		src := s.source[rng.IntN(s.n)]
		list := bySource[src]
		if len(list) < 2 {
			idle++
			continue
		}
		i, j := list[rng.IntN(len(list))], list[rng.IntN(len(list))]
		gi, gj := s.group[i], s.group[j]
		if gi == gj || s.apartIn(i, gj, j) || s.apartIn(j, gi, i) {
			idle++
			continue
		}
		d := s.swapDelta(i, j)
		if d < -1e-9 {
			idle = 0
		} else {
			idle++
		}
		if d <= 1e-9 {
			s.move(i, gi, gj)
			s.move(j, gj, gi)
		}
	}
}

// Mix places a class's trainees into groups and rooms: it returns a copy of ts with
// Group and Room set (from 1), or the error saying which rule cannot be met.
func Mix(ts []Trainee, spec MixSpec) ([]Trainee, error) {
	s, err := newMixState(ts, spec)
	if err != nil {
		return nil, err
	}
	if err := s.place(); err != nil {
		return nil, err
	}
	s.improve(spec.Seed)
	out := append([]Trainee(nil), ts...)
	for i := range out {
		out[i].Group = s.group[i] + 1
	}
	if err := assignRooms(out, spec.RoomSize, s.apart); err != nil {
		return nil, err
	}
	return out, nil
}

// Genders in the order rooms are numbered.
var Genders = []string{GenderMale, GenderFemale}

// assignRooms deals each gender's trainees, largest source first, round its rooms, so
// a room takes one of each source before any source twice (rooms of 2 are then mixed
// wherever the counts allow), and then parts roommates who must be kept apart.
func assignRooms(ts []Trainee, size int, apart [][]int) error {
	next := 1
	for _, gender := range Genders {
		var members []int
		cnt := map[string]int{}
		for i, t := range ts {
			if t.Gender == gender {
				members = append(members, i)
				cnt[t.Source]++
			}
		}
		if len(members) == 0 {
			continue
		}
		sort.SliceStable(members, func(x, y int) bool {
			a, b := ts[members[x]], ts[members[y]]
			if cnt[a.Source] != cnt[b.Source] {
				return cnt[a.Source] > cnt[b.Source]
			}
			if a.Source != b.Source {
				return a.Source < b.Source
			}
			if a.Group != b.Group {
				return a.Group < b.Group
			}
			return a.Unit < b.Unit
		})
		rooms := (len(members) + size - 1) / size
		for k, i := range members {
			ts[i].Room = next + k%rooms
		}
		if err := partRoommates(ts, members, apart); err != nil {
			return err
		}
		next += rooms
	}
	return nil
}

// partRoommates swaps one of two roommates who must be apart with someone of the same
// gender and source in another room, so no room's sources change.
func partRoommates(ts []Trainee, members []int, apart [][]int) error {
	inRoom := func(i, room, skip int) bool {
		for _, j := range apart[i] {
			if j != skip && ts[j].Room == room {
				return true
			}
		}
		return false
	}
	for _, p := range members {
		if !inRoom(p, ts[p].Room, -1) {
			continue
		}
		fixed := false
		for _, z := range members {
			if z == p || ts[z].Room == ts[p].Room || ts[z].Source != ts[p].Source {
				continue
			}
			if !inRoom(p, ts[z].Room, z) && !inRoom(z, ts[p].Room, p) {
				ts[p].Room, ts[z].Room = ts[z].Room, ts[p].Room
				fixed = true
				break
			}
		}
		if !fixed {
			return Errorf(ECONFLICT, "无法把须分开的学员 %s 安排到别的房间", ts[p].Name)
		}
	}
	return nil
}

// MinUnmixedRooms is the number of rooms of two or more that hold one source only when
// a gender's trainees (counts by source) are dealt as assignRooms deals them; for rooms
// of 2 no placement has fewer.
func MinUnmixedRooms(counts []int, size int) int {
	c := append([]int(nil), counts...)
	sort.Sort(sort.Reverse(sort.IntSlice(c)))
	m := 0
	for _, x := range c {
		m += x
	}
	if m == 0 || size < 2 {
		return 0
	}
	src := make([]int, 0, m)
	for k, x := range c {
		for ; x > 0; x-- {
			src = append(src, k)
		}
	}
	rooms := (m + size - 1) / size
	unmixed := 0
	for j := 0; j < rooms; j++ {
		n, same := 0, true
		for p := j; p < m; p += rooms {
			n++
			same = same && src[p] == src[j]
		}
		if n >= 2 && same {
			unmixed++
		}
	}
	return unmixed
}
