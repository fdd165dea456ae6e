package domain

import (
	"strings"
	"unicode"
)

// IntakeDetails are what a door records beside the case itself: the hotline's caller
// number and recording, the enterprise a liaison cadre files for, the receipt secret of a
// window or the public page, the Open311 client. Phone numbers here are personal data.
type IntakeDetails struct {
	CaseID      int64               `json:"case_id"`
	CallerPhone string              `json:"caller_phone,omitempty"`
	Recording   string              `json:"recording,omitempty"` // reference of the call recording
	Window      string              `json:"window,omitempty"`    // the window's code (free text on cases filed before windows were things)
	WindowID    int64               `json:"window_id,omitempty"` // the window it came through (大综窗)
	Enterprise  string              `json:"enterprise,omitempty"`
	Supervised  bool                `json:"supervised"` // 办不成事: under leader supervision
	ClientID    int64               `json:"client_id,omitempty"`
	Email       string              `json:"email,omitempty"`
	DeviceID    string              `json:"device_id,omitempty"`
	AccountID   string              `json:"account_id,omitempty"`
	MediaURL    string              `json:"media_url,omitempty"`
	Token       string              `json:"token,omitempty"`
	Attributes  map[string][]string `json:"attributes,omitempty"`
}

// CannotDo is the channel of the 办不成事 windows: people who could not get something
// done. Such cases go under a leader's supervision and are counted apart.
const CannotDo Channel = "cannot_do_window"

// ValidatePhone accepts a Chinese phone number as a caller gives it: digits with optional
// +, spaces and dashes, 5 to 20 digits (short hotline numbers included).
func ValidatePhone(p string) error {
	digits := 0
	for _, r := range p {
		switch {
		case unicode.IsDigit(r) && r < 128:
			digits++
		case r == '+' || r == '-' || r == ' ':
		default:
			return Errorf(EINVALID, "phone number %q may hold only digits, +, - and spaces", p)
		}
	}
	if digits < 5 || digits > 20 {
		return Errorf(EINVALID, "phone number %q must have 5 to 20 digits", p)
	}
	return nil
}

// Validate checks the details' own fields for the channel they came by.
func (d *IntakeDetails) Validate(ch Channel) error {
	d.CallerPhone, d.Recording, d.Window = strings.TrimSpace(d.CallerPhone), strings.TrimSpace(d.Recording), strings.TrimSpace(d.Window)
	if ch == "hotline" && d.CallerPhone == "" {
		return Errorf(EINVALID, "a hotline case needs the caller's number")
	}
	if d.CallerPhone != "" {
		if err := ValidatePhone(d.CallerPhone); err != nil {
			return err
		}
	}
	if len(d.Recording) > 200 || len(d.Window) > 40 || len(d.Enterprise) > 64 || len(d.Email) > 200 ||
		len(d.DeviceID) > 200 || len(d.AccountID) > 200 || len(d.MediaURL) > 2000 {
		return Errorf(EINVALID, "a recording, window, enterprise, email, device, account or media reference is too long")
	}
	if d.Window != "" && !IsWindowChannel(ch) {
		return Errorf(EINVALID, "window is for the window and cannot_do_window channels only")
	}
	if ch == "liaison" && d.Enterprise == "" {
		return Errorf(EINVALID, "a liaison cadre files for an enterprise: give its code")
	}
	d.Supervised = ch == CannotDo
	return nil
}

// LinkedTo tells whether the user answers for the enterprise on day (YYYY-MM-DD) by an
// enterprise linkage (联企).
func LinkedTo(links []Linkage, userID int64, enterprise, day string) bool {
	for _, l := range links {
		if l.Kind == "enterprise" && l.UserID == userID && l.Target == enterprise && l.From <= day && (l.To == "" || day <= l.To) {
			return true
		}
	}
	return false
}

// ChannelAllowed tells whether u may file by channel ch in region. The hotline and the
// windows are staffed from the dispatch centre; patrols are the grid's own people;
// inspections are inspectors'; liaison filings are cadres' (whose link to the
// enterprise is checked apart); online is open to all, and Open311 to its client apps.
func ChannelAllowed(u User, ch Channel, region string) error {
	has := func(roles ...Role) bool {
		for _, g := range u.Grants {
			for _, r := range roles {
				if g.Role == r && (g.Region == "" || Within(region, g.Region)) {
					return true
				}
			}
		}
		return false
	}
	ok := true
	switch ch {
	case "hotline", "window", CannotDo:
		ok = has(RoleDispatcher, RoleAdmin)
	case "grid_patrol":
		ok = has(RoleGridWorker, RoleBuildingHead, RoleVolunteer, RoleDispatcher, RoleAdmin)
	case "inspection":
		ok = has(RoleInspector, RoleAdmin)
	case "liaison":
		ok = has(RoleLiaison)
	case "open311": // only the Open311 transport files for a client app, as nobody's account
		ok = u.ID == 0
	case "supervision": // 督查督办: only a rectification item raises a case by it (OnRect)
		ok = false
	case "online":
	default:
		return Errorf(EINVALID, "unknown channel %q", ch)
	}
	if !ok {
		return Errorf(EFORBIDDEN, "you may not file by the %s channel in region %s", ch, region)
	}
	return nil
}

// Errand is the act a filing is part of when it is not a report on its own: a patrol's
// finding, a liaison visit's problem, an inspection's finding, a monitoring round's
// risk. The act's own rule has authorised the filer before (CanFileFinding, the cadre's
// link to the enterprise, the inspector's org, who handles the risk), and the act files
// under its one channel only. Only the service's own acts name one; every door files
// on its own (OnOwn).
type Errand string

const (
	OnOwn        Errand = ""           // a report through a door: the channel rule decides
	OnPatrol     Errand = "patrol"     // 巡查发现的隐患
	OnVisit      Errand = "visit"      // 联企走访收集的问题
	OnInspection Errand = "inspection" // 执法检查发现的问题
	OnRound      Errand = "round"      // 监测走访发现的风险
	OnProject    Errand = "project"    // 项目服务官反映的项目问题
	OnRect       Errand = "rect"       // 督查整改事项转办的工单
)

// errandChannels are the channels the acts file under.
var errandChannels = map[Errand]Channel{OnPatrol: "grid_patrol", OnVisit: "liaison", OnInspection: "inspection", OnRound: "grid_patrol",
	OnProject: "liaison", OnRect: "supervision"}

// MayFile is the one rule of who files a case by channel ch in region: a report on its
// own needs CanFile and ChannelAllowed (a citizen files online, not as the hotline, a
// window or a patrol); an errand's filing was authorised by its act and files only under
// the act's channel. A refusal is EFORBIDDEN.
func MayFile(u User, ch Channel, region string, on Errand) error {
	if on == OnOwn {
		if err := CanFile(u, region); err != nil {
			return err
		}
		return ChannelAllowed(u, ch, region)
	}
	if want, ok := errandChannels[on]; !ok || ch != want {
		return Errorf(EFORBIDDEN, "a filing of a %s may not go by the %s channel", on, ch)
	}
	return nil
}
