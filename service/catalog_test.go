package service_test

import (
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// A region's edit is checked once, in the service, for the API and the admin page: who
// may, the code's parent, the name, the centre.
func TestPutRegionRules(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	admin, leader := users["demo.admin"], users["demo.leader"]
	lat, lon, bad := 27.7, 111.6, 95.0
	for _, tc := range []struct {
		name string
		u    domain.User
		reg  domain.Region
		code string
	}{
		{"a leader", leader, domain.Region{Code: "431382001001099", Name: "新网格"}, domain.EFORBIDDEN},
		{"no parent", admin, domain.Region{Code: "431382001099001", Name: "新网格"}, domain.EINVALID},
		{"no name", admin, domain.Region{Code: "431382001001099"}, domain.EINVALID},
		{"lat without lon", admin, domain.Region{Code: "431382001001099", Name: "新网格", Lat: &lat}, domain.EINVALID},
		{"lat out of range", admin, domain.Region{Code: "431382001001099", Name: "新网格", Lat: &bad, Lon: &lon}, domain.EINVALID},
		{"a grid", admin, domain.Region{Code: "431382001001099", Name: "新网格", Lat: &lat, Lon: &lon}, ""},
	} {
		got, err := svc.PutRegion(t.Context(), tc.u, tc.reg)
		if domain.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
		if tc.code == "" && (got.Parent != "431382001001" || got.Lat == nil || *got.Lat != lat) {
			t.Errorf("%s: stored %+v", tc.name, got)
		}
	}
}
