package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"whistle/demo"
	"whistle/domain"
)

// The matrix's land register: the demo county's registration office under LY-CGJ (so
// the in-scope officer is its registrar, the out-of-scope one of LY-HBJ is not), a
// collective of 联兴村, a household whose holder is the in-scope citizen, its parcels
// and contract, a first registration issued and an application accepted.

var landMxN int

// landID is a valid ID number no other household of the matrix holds.
func landMxID() string {
	landMxN++
	s := fmt.Sprintf("43138219750101%03d", landMxN)
	return s + string(domain.IDCheckDigit(s))
}

// landThings makes (once per environment) the office and the collective, and (anew
// after a call succeeded) a household with a certificate and an open application.
func (e *mxEnv) landOffice() string {
	return e.onceKeep("land.office", func() any {
		e.must(e.admin, "POST", "/api/v1/land/offices", map[string]any{"org": "LY-CGJ", "region": "431382", "abbr": "湘", "name": "涟源市"}, http.StatusCreated)
		c := e.must(e.admin, "POST", "/api/v1/land/collectives", map[string]any{"village": mxVillage, "group": "01", "name": "联兴村一组"}, http.StatusCreated)
		return id(c, "id")
	}).(string)
}

// onceKeep is made once for the environment, never forgotten.
func (e *mxEnv) onceKeep(what string, make func() any) any {
	if v, ok := e.keep[what]; ok {
		return v
	}
	if e.keep == nil {
		e.keep = map[string]any{}
	}
	e.keep[what] = make()
	return e.keep[what]
}

// landThing are the ids of one household's land things.
type landThing struct{ household, contract, parcel, application, certificate, unit string }

func (e *mxEnv) landOnce() landThing {
	return e.once("land", func() any {
		col := e.landOffice()
		admin, registrar := e.admin, e.token(in(domain.RoleOfficer))
		h := e.must(admin, "POST", "/api/v1/land/households", map[string]any{"collective_id": json64(col), "user_id": e.who[in(domain.RoleCitizen)].id,
			"members": []map[string]string{{"name": "联兴户主", "id_number": landMxID(), "phone": "13900000000"}}}, http.StatusCreated)
		var parcels []int64
		for i := 0; i < 2; i++ {
			n := e.num()
			p := e.must(admin, "POST", "/api/v1/land/parcels", map[string]any{"code": domain.LandParcelCode(mxVillage, "01", int(n)), "collective_id": json64(col),
				"name": "大丘", "contract_area_mu": "1.2345", "measured_area_m2": "823.45", "use": "水田", "class": 3,
				"geometry": demo.LandSquare(111.65+float64(n)*0.001, 27.70, 30)}, http.StatusCreated)
			parcels = append(parcels, int64(p["id"].(float64)))
		}
		c := e.must(admin, "POST", "/api/v1/land/contracts", map[string]any{"household_id": h["id"], "parcel_ids": parcels, "from": "1998-01-01", "to": "2057-12-31"}, http.StatusCreated)
		a := e.must(admin, "POST", "/api/v1/land/applications", map[string]any{"kind": "first", "contract_id": c["id"]}, http.StatusCreated)
		for _, act := range []string{"review", "book", "print", "issue"} {
			e.must(registrar, "POST", "/api/v1/land/applications/"+id(a, "id")+"/steps", map[string]any{"act": act}, http.StatusOK)
		}
		v := e.must(registrar, "GET", "/api/v1/land/applications/"+id(a, "id"), nil, http.StatusOK)
		cert := fmt.Sprint(int64(v["application"].(map[string]any)["certificate_id"].(float64)))
		open := e.must(admin, "POST", "/api/v1/land/applications", map[string]any{"kind": "mortgage", "contract_id": c["id"],
			"terms": map[string]any{"creditor": "涟源农商银行", "amount_fen": 100000, "from": "2026-01-01", "to": "2027-01-01"}}, http.StatusCreated)
		return landThing{household: id(h, "id"), contract: id(c, "id"), parcel: fmt.Sprint(parcels[0]), application: id(open, "id"), certificate: cert,
			unit: h["unit"].(string)}
	}).(landThing)
}

// onLand is a call on the land things: path and body hold {household}, {contract},
// {parcel}, {application}, {certificate}, {unit}, {collective}, {n}.
func onLand(path, body string) func(e *mxEnv, w *mxWho) mxCall {
	return func(e *mxEnv, w *mxWho) mxCall {
		t := e.landOnce()
		r := strings.NewReplacer("{household}", t.household, "{contract}", t.contract, "{parcel}", t.parcel, "{application}", t.application,
			"{certificate}", t.certificate, "{unit}", t.unit, "{collective}", e.landOffice(), "{n}", fmt.Sprint(e.num()), "{id_number}", landMxID(),
			"{group}", fmt.Sprintf("%02d", 10+landMxN%90))
		c := mxCall{path: r.Replace(path)}
		if body != "" {
			c.body = []byte(r.Replace(body))
		}
		return c
	}
}

// landCheck is a bank's check with a fresh consent of the holder.
func landCheck(e *mxEnv, w *mxWho) mxCall {
	t := e.landOnce()
	consent := e.must(e.token(in(domain.RoleCitizen)), "POST", "/api/v1/land/certificates/"+t.certificate+"/consents", map[string]any{}, http.StatusCreated)
	return mxCall{path: "/api/v1/land/checks", body: []byte(fmt.Sprintf(`{"number":%q,"code":%q}`, consent["certificate"], consent["code"]))}
}

// TestLandThroughTheAPI: a first registration from 受理 to 发证 over REST, the register
// read, the PDF printed, the holder's consent and a bank's check.
func TestLandThroughTheAPI(t *testing.T) {
	e := newMatrixEnv(t)
	th := e.landOnce()
	holder, bank := e.token(in(domain.RoleCitizen)), e.token(in(domain.RoleEnterprise))
	certs := e.must(holder, "GET", "/api/v1/land/certificates", nil, http.StatusOK)["certificates"].([]any)
	if len(certs) != 1 || !strings.HasPrefix(certs[0].(map[string]any)["number"].(string), "湘(") {
		t.Fatalf("the holder's certificates: %v", certs)
	}
	reg := e.must(e.admin, "GET", "/api/v1/land/register/"+th.unit, nil, http.StatusOK)
	if entries := reg["entries"].([]any); len(entries) != 1 {
		t.Errorf("entries: %v", entries)
	}
	status, body := e.do(mxCall{method: "GET", path: "/api/v1/land/certificates/" + th.certificate + "/pdf", token: holder})
	if status != http.StatusOK || !strings.HasPrefix(string(body), "%PDF") {
		t.Errorf("pdf: %d %.40s", status, body)
	}
	c := landCheck(e, e.who[in(domain.RoleEnterprise)])
	c.method, c.token = "POST", bank
	status, body = e.do(c)
	if status != http.StatusOK || !strings.Contains(string(body), `"current":true`) {
		t.Errorf("check: %d %s", status, body)
	}
	fig := e.must(e.admin, "GET", "/api/v1/land/figures?region="+mxVillage, nil, http.StatusOK)
	if fig["registered"].(float64) != 1 || fig["certificates"].(float64) != 1 || fig["pending"].(float64) != 1 {
		t.Errorf("figures: %v", fig)
	}
	status, body = e.do(mxCall{method: "GET", path: "/api/v1/land/figures?format=xlsx&region=" + mxVillage, token: e.admin})
	if status != http.StatusOK || !strings.HasPrefix(string(body), "PK") {
		t.Errorf("xlsx: %d", status)
	}
}
