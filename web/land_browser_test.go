package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"whistle/demo"
	"whistle/domain"
	"whistle/whistletest"
)

// TestLandInBrowser: 桂花园乡's staff accept a first registration for a household of
// 茅头园村 at the desk; the registration centre's registrar takes it through 审核, 登簿,
// 缮证 and 发证; the certificate PDF (with its 宗地图) is fetched as the page links it
// and kept among the artifacts; the holder sees the certificate and makes a consent
// code, and the bank's check of the certificate with it answers 现势有效.
func TestLandInBrowser(t *testing.T) {
	b := startBrowser(t, 0)
	ctx := context.Background()
	users, err := demo.LandSetup(ctx, whistletest.StoreOf(b.svc))
	if err != nil {
		t.Fatal(err)
	}
	town := users["land.town"]
	col, err := b.svc.CreateLandCollective(ctx, town, domain.LandCollective{Village: demo.LandVillage, Group: "01", Name: "茅头园村第一村民小组"})
	if err != nil {
		t.Fatal(err)
	}
	id := "43127119620315001"
	h, err := b.svc.PutLandHousehold(ctx, town, domain.LandHousehold{CollectiveID: col.ID, UserID: users["land.holder"].ID, Address: "茅头园村1组",
		Members: []domain.LandMember{{Name: "杨德明", IDNumber: id + string(domain.IDCheckDigit(id)), Phone: "13974512345"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := domain.LandContract{HouseholdID: h.ID, From: "1998-01-01", To: "2057-12-31"}
	for i, name := range []string{"大丘", "塘边", "坳上"} {
		p, err := b.svc.CreateLandParcel(ctx, town, domain.LandParcel{Code: domain.LandParcelCode(demo.LandVillage, "01", i+1), CollectiveID: col.ID,
			Name: name, ContractArea: domain.Mu(8000 + i*1500), MeasuredArea: domain.SqM(540000 + i*100000), East: "田埂", South: "水渠", West: "山脚",
			North: "机耕道", Use: "水田", Class: 4, BasicFarmland: true, Geometry: demo.LandSquare(110.0+float64(i)*0.0004, 27.2, 25+float64(i)*4)})
		if err != nil {
			t.Fatal(err)
		}
		c.ParcelIDs = append(c.ParcelIDs, p.ID)
	}
	if c, err = b.svc.CreateLandContract(ctx, town, c); err != nil {
		t.Fatal(err)
	}

	// the town's records of the village: a new household added, its ID number masked
	b.login("land.town")
	b.open("/land/village/" + demo.LandVillage)
	idNew := "43127119700101002"
	b.do(chromedp.SetValue(chromedp.CSS(`#land-add-household input[name="name0"]`), "舒秀英"),
		chromedp.SetValue(chromedp.CSS(`#land-add-household input[name="id0"]`), idNew+string(domain.IDCheckDigit(idNew))),
		chromedp.Click(chromedp.CSS(`#land-add-household button[type="submit"]`)))
	b.waitFor("the new household", `document.getElementById('land-households').innerText.includes('舒秀英')`)
	if got := b.text("#land-households"); !strings.Contains(got, "4312**********") || strings.Contains(got, idNew) {
		t.Errorf("the households' ID numbers are not masked: %q", got)
	}
	b.shot("village")

	// 受理 at the town's desk
	b.open("/land?region=" + demo.LandTown)
	b.do(chromedp.SetValue(chromedp.ID("land-contract"), strconv.FormatInt(c.ID, 10)),
		chromedp.SetValue(chromedp.ID("land-documents"), "承包合同、身份证明、地块示意图"),
		chromedp.Click(chromedp.ID("land-accept-submit")))
	b.waitFor("the accepted application", `(document.getElementById('land-status') || {}).innerText === '已受理'`)
	app := b.location()
	b.shot("accepted")

	// 审核 → 登簿 → 缮证 → 发证 at the centre
	b.login("land.registrar")
	b.open(app)
	for _, step := range []struct{ act, status string }{{"review", "已审核"}, {"book", "已登簿"}, {"print", "已缮证"}, {"issue", "已发证"}} {
		b.do(chromedp.Click(chromedp.ID("land-act-" + step.act)))
		b.waitFor(step.status, `(document.getElementById('land-status') || {}).innerText === '`+step.status+`'`)
	}
	b.shot("issued")
	pdf := landFetch(b, `document.getElementById('land-pdf').href`)
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("the certificate link gave %.20q", pdf)
	}
	if err := os.MkdirAll(artifacts(), 0o755); err == nil {
		if err := os.WriteFile(filepath.Join(artifacts(), t.Name()+"-certificate.pdf"), pdf, 0o644); err != nil {
			t.Log(err)
		}
	}

	// the household's parcels on the village's map, and the desk's progress of registration
	b.login("land.town")
	b.open(fmt.Sprintf("/land/village/%s?household=%d", demo.LandVillage, h.ID))
	if n := eval[string](b, `[...document.querySelectorAll('#land-map .parcel-label')].map(e => e.textContent).join(' ')`); n != "00001 00002 00003" {
		t.Errorf("the household's map is labelled %q, want its three parcels' numbers", n)
	}
	b.do(chromedp.ScrollIntoView(chromedp.ID("land-map")))
	b.shot("map")
	b.open("/land?region=" + demo.LandTown)
	b.do(chromedp.ScrollIntoView(chromedp.ID("land-progress")))
	b.shot("progress")

	// the holder's certificate and consent
	b.login("land.holder")
	b.open("/land/mine")
	number := "湘(2026)洪江区不动产权第0000001号"
	if got := b.text("section[data-certificate] h2"); got != number {
		t.Errorf("the holder's certificate: %q, want %q", got, number)
	}
	b.do(chromedp.Click(chromedp.CSS(`.land-consent-make`)))
	b.waitFor("the consent code", `!!document.getElementById('land-consent-code')`)
	code := b.text("#land-consent-code")
	if n := eval[string](b, `[...document.querySelectorAll('section[data-certificate] .parcel-label')].map(e => e.textContent).join(' ')`); n != "00001 00002 00003" {
		t.Errorf("the holder's map is labelled %q", n)
	}
	b.shot("holder")

	// the bank's check
	b.login("land.bank")
	b.open("/land/check")
	b.do(chromedp.SetValue(chromedp.ID("land-check-number"), number), chromedp.SetValue(chromedp.ID("land-check-code"), code),
		chromedp.Click(chromedp.ID("land-check-submit")))
	b.waitFor("the check", `(document.getElementById('land-check-current') || {}).innerText === '现势有效'`)
	b.shot("bank")
	b.noConsoleErrors()
}

// landFetch fetches what the JavaScript expression href names with the page's session.
func landFetch(b *browser, href string) []byte {
	b.t.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%s).then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status)).then(a => {
		let s = ''; new Uint8Array(a).forEach(c => { s += String.fromCharCode(c); }); return btoa(s); })`, href), chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("fetching %s: %v", href, err)
	}
	body, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		b.t.Fatal(err)
	}
	return body
}
