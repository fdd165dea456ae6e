package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Enterprise is a registered business (企业) in the registry: identified by its unified
// social credit code, placed in a region, classed by industry and size, so inspections
// of it can be planned and limited and liaison cadres can be linked to it.
type Enterprise struct {
	ID       int64  `json:"id"`
	USCC     string `json:"uscc"` // 统一社会信用代码, GB 32100
	Name     string `json:"name"`
	Address  string `json:"address,omitempty"`
	Region   string `json:"region"`
	Industry string `json:"industry"`
	Size     string `json:"size"` // large, medium, small, micro
	Contact  string `json:"contact,omitempty"`
	Phone    string `json:"phone,omitempty"` // personal data of the contact
	// AccountID is the user (role enterprise) who answers for the enterprise online.
	AccountID int64 `json:"account_id,omitempty"`
	// CodeVersion counts the inspection codes issued; revoking one issues the next, so
	// every token carrying an older version stops working.
	CodeVersion int       `json:"code_version"`
	Liaisons    []int64   `json:"liaisons,omitempty"` // users linked as liaison cadres (联企干部)
	CreatedAt   time.Time `json:"created_at"`
}

// Sizes are the enterprise sizes of the national classification (大型/中型/小型/微型).
var Sizes = []string{"large", "medium", "small", "micro"}

// Industries are the registry's industry classes, each with its 无事不扰 limit: the least
// number of days between two inspections of the same kind of one enterprise. Classes of
// higher risk may be inspected more often.
var Industries = map[string]int{
	"manufacturing":      30, // 制造业
	"hazardous_chemical": 15, // 危险化学品
	"construction":       20, // 建筑业
	"catering":           30, // 餐饮业
	"retail":             60, // 批发和零售业
	"logistics":          45, // 交通运输、仓储和物流
	"services":           90, // 其他服务业
	"agriculture":        90, // 农林牧渔业
}

// IndustryNames are the Chinese names of the industries, for ledgers and pages.
var IndustryNames = map[string]string{"manufacturing": "制造业", "hazardous_chemical": "危险化学品", "construction": "建筑业",
	"catering": "餐饮业", "retail": "批发和零售业", "logistics": "交通运输仓储物流", "services": "其他服务业", "agriculture": "农林牧渔业"}

// Validate checks an enterprise before it is stored; it upper-cases the code.
func (e *Enterprise) Validate() error {
	e.USCC = strings.ToUpper(strings.TrimSpace(e.USCC))
	e.Name, e.Address = strings.TrimSpace(e.Name), strings.TrimSpace(e.Address)
	if err := ValidUSCC(e.USCC); err != nil {
		return err
	}
	if e.Name == "" || len([]rune(e.Name)) > 200 || len(e.Address) > 500 || len(e.Contact) > 100 || len(e.Phone) > 40 {
		return Errorf(EINVALID, "an enterprise needs a name of at most 200 characters; address, contact and phone must be short")
	}
	if _, err := LevelOf(e.Region); err != nil || e.Region == "" {
		return Errorf(EINVALID, "enterprise region %q is not a region code", e.Region)
	}
	if _, ok := Industries[e.Industry]; !ok {
		return Errorf(EINVALID, "unknown industry %q", e.Industry)
	}
	if e.Size == "" {
		e.Size = "small"
	}
	if !oneOf(e.Size, Sizes) {
		return Errorf(EINVALID, "size must be large, medium, small or micro")
	}
	return nil
}

// usccChars are the characters of a unified social credit code in value order (GB 32100:
// digits and capital letters without I, O, Z, S, V); a character's index is its value.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheck computes the check character of the first 17 characters of a code.
func USCCCheck(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, Errorf(EINVALID, "a unified social credit code has 18 characters")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, first17[i])
		if v < 0 {
			return 0, Errorf(EINVALID, "character %q is not allowed in a unified social credit code", first17[i])
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], nil
}

// ValidUSCC checks a unified social credit code (统一社会信用代码, GB 32100-2015): 18
// characters from the code's alphabet, a six-digit division code in places 3-8, and the
// weighted mod-31 check character last.
func ValidUSCC(code string) error {
	if len(code) != 18 {
		return Errorf(EINVALID, "unified social credit code %q must have 18 characters", code)
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return Errorf(EINVALID, "unified social credit code %q: places 3-8 must be the division code", code)
		}
	}
	want, err := USCCCheck(code[:17])
	if err != nil {
		return err
	}
	if code[17] != want {
		return Errorf(EINVALID, "unified social credit code %q fails its check character", code)
	}
	return nil
}

// CodeToken is what an enterprise's inspection code (扫码入企 QR code) carries: the
// enterprise and the version of its code, signed with the installation's key so a code
// cannot be forged, and revocable by moving the version on.
func CodeToken(key []byte, enterpriseID int64, version int) string {
	payload := "e" + strconv.FormatInt(enterpriseID, 10) + "v" + strconv.Itoa(version)
	return payload + "." + base64.RawURLEncoding.EncodeToString(codeMAC(key, payload))
}

func codeMAC(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("whistle-inspection-code:" + payload))
	return m.Sum(nil)[:16]
}

// ParseCodeToken checks a token's signature and tells the enterprise and version it
// names; the caller still compares the version with the enterprise's current one.
func ParseCodeToken(key []byte, token string) (enterpriseID int64, version int, err error) {
	bad := Errorf(EINVALID, "this is not a valid enterprise inspection code")
	payload, sig, ok := strings.Cut(strings.TrimSpace(token), ".")
	if !ok || len(payload) > 40 || len(key) == 0 {
		return 0, 0, bad
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, codeMAC(key, payload)) {
		return 0, 0, bad
	}
	id, ver, ok := strings.Cut(strings.TrimPrefix(payload, "e"), "v")
	if !ok || !strings.HasPrefix(payload, "e") {
		return 0, 0, bad
	}
	enterpriseID, err1 := strconv.ParseInt(id, 10, 64)
	version, err2 := strconv.Atoi(ver)
	if err1 != nil || err2 != nil || enterpriseID <= 0 || version <= 0 {
		return 0, 0, bad
	}
	return enterpriseID, version, nil
}

// EnterpriseVisible tells whether u may see enterprise e: administrators, leaders and
// dispatchers of its region, inspectors (who must scan any enterprise of their
// region), its liaison cadres and its own account.
func EnterpriseVisible(u User, e *Enterprise) bool {
	if e.AccountID != 0 && e.AccountID == u.ID {
		return true
	}
	for _, id := range e.Liaisons {
		if id == u.ID && u.Has(RoleLiaison) {
			return true
		}
	}
	for _, g := range u.Grants {
		switch g.Role {
		case RoleAdmin, RoleLeader, RoleDispatcher, RoleInspector:
			if Within(e.Region, g.Region) {
				return true
			}
		}
	}
	return false
}

// ManagesEnterprises tells whether u may register and edit enterprises in region:
// administrators and dispatchers of the region.
func ManagesEnterprises(u User, region string) bool {
	for _, g := range u.Grants {
		if (g.Role == RoleAdmin || g.Role == RoleDispatcher) && Within(region, g.Region) {
			return true
		}
	}
	return false
}

// PrintsCode tells whether u may have e's inspection code (the QR image and the
// poster to put up at the entrance): the registry's keepers of its region, the
// enterprise's own account, and a liaison cadre linked to it, who is the one that
// posts it at the enterprise. Leaders and inspectors see the enterprise but not its
// code: an inspector scans the code, never prints it. The service's CodeToken and the
// pages' links ask this same rule.
func PrintsCode(u User, e *Enterprise) bool {
	if ManagesEnterprises(u, e.Region) || (e.AccountID != 0 && e.AccountID == u.ID) {
		return true
	}
	return u.Has(RoleLiaison) && slices.Contains(e.Liaisons, u.ID)
}

// MaskFor hides the contact's phone and name from users whose work does not need them.
func (e *Enterprise) MaskFor(u User) {
	if u.SeesPersonalData() || u.Has(RoleLiaison) || (e.AccountID != 0 && e.AccountID == u.ID) {
		return
	}
	e.Contact, e.Phone = MaskName(e.Contact), MaskPhone(e.Phone)
}

// EnterpriseFilter selects enterprises; empty fields do not filter.
type EnterpriseFilter struct {
	Region    string // subtree
	Industry  string
	Q         string // words in the name or code
	AccountID int64
	Liaison   int64 // enterprises this cadre is linked to
	After     int64
	Limit     int
}
