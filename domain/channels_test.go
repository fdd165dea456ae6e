package domain

import "testing"

// TestMayFile: a report on its own goes by a channel its filer's role staffs, in their
// region; an errand's filing, authorised by its act, goes only by the act's channel.
func TestMayFile(t *testing.T) {
	disp := User{ID: 1, Grants: []Grant{{Role: RoleDispatcher, Region: "431382001"}}}
	cit := User{ID: 3, Grants: []Grant{{Role: RoleCitizen}}}
	officer := User{ID: 4, Grants: []Grant{{Role: RoleOfficer, Org: "LY-CGJ"}}}
	helper := User{ID: 5, Grants: []Grant{{Role: RoleHelper, Region: "431382001"}}}
	leader := User{ID: 6, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}
	app := User{Name: "Open311 app", Grants: []Grant{{Role: RoleCitizen}}}
	const here = "431382001001"
	for _, tc := range []struct {
		name string
		u    User
		ch   Channel
		on   Errand
		want string
	}{
		{"citizen online", cit, "online", OnOwn, ""},
		{"citizen as the hotline", cit, "hotline", OnOwn, EFORBIDDEN},
		{"citizen as the 办不成事 window", cit, CannotDo, OnOwn, EFORBIDDEN},
		{"citizen as a patrol", cit, "grid_patrol", OnOwn, EFORBIDDEN},
		{"citizen as an inspection", cit, "inspection", OnOwn, EFORBIDDEN},
		{"citizen as an Open311 app", cit, "open311", OnOwn, EFORBIDDEN},
		{"the Open311 app", app, "open311", OnOwn, ""},
		{"dispatcher by the 办不成事 window", disp, CannotDo, OnOwn, ""},
		{"officer as a patrol on their own", officer, "grid_patrol", OnOwn, EFORBIDDEN},
		{"officer's patrol finding", officer, "grid_patrol", OnPatrol, ""},
		{"leader's patrol finding", leader, "grid_patrol", OnPatrol, ""},
		{"leader may file nothing on their own", leader, "online", OnOwn, EFORBIDDEN},
		{"helper's risk", helper, "grid_patrol", OnRound, ""},
		{"a risk is not a hotline call", helper, "hotline", OnRound, EFORBIDDEN},
		{"inspector's finding", officer, "inspection", OnInspection, ""},
		{"an inspection's finding is no liaison problem", officer, "liaison", OnInspection, EFORBIDDEN},
		{"cadre's problem", cit, "liaison", OnVisit, ""},
		{"a project's problem", leader, "liaison", OnProject, ""},
		{"a project's problem is no hotline call", leader, "hotline", OnProject, EFORBIDDEN},
		{"a rectification item's case", leader, "supervision", OnRect, ""},
		{"supervision is no channel of one's own", disp, "supervision", OnOwn, EFORBIDDEN},
		{"unknown errand", disp, "hotline", "gossip", EFORBIDDEN},
	} {
		if got := ErrorCode(MayFile(tc.u, tc.ch, here, tc.on)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
