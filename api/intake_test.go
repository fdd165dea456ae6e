package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// exifJPEG makes a real JPEG photo whose EXIF block carries a GPS position, the way a
// phone camera writes it (little-endian TIFF, IFD0 → GPS IFD, D/M/S rationals).
func exifJPEG(t *testing.T, lat, lon float64) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, nil); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	var tiff bytes.Buffer
	w := func(v any) { binary.Write(&tiff, le, v) }
	tiff.WriteString("II")
	w(uint16(42))
	w(uint32(8)) // IFD0 at 8
	w(uint16(1)) // one entry: GPS pointer
	w(uint16(0x8825))
	w(uint16(4))
	w(uint32(1))
	w(uint32(26)) // GPS IFD at 8+2+12+4 = 26
	w(uint32(0))
	// GPS IFD: 4 entries, then the rationals at 26+2+48+4 = 80
	dms := func(v float64) [6]uint32 {
		d := math.Floor(v)
		m := math.Floor((v - d) * 60)
		s := ((v-d)*60 - m) * 60
		return [6]uint32{uint32(d), 1, uint32(m), 1, uint32(math.Round(s * 10000)), 10000}
	}
	w(uint16(4))
	entry := func(tag, typ uint16, count, value uint32) { w(tag); w(typ); w(count); w(value) }
	entry(1, 2, 2, uint32('N'))
	entry(2, 5, 3, 80)
	entry(3, 2, 2, uint32('E'))
	entry(4, 5, 3, 104)
	w(uint32(0))
	w(dms(lat))
	w(dms(lon))
	app1 := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}
	out = append(out, app1...)
	return append(out, pic.Bytes()[2:]...)
}

// multipartBody builds a multipart body with JSON in "intake" and files in "files".
func multipartBody(t *testing.T, field string, js any, files map[string][]byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if js != nil {
		b, _ := json.Marshal(js)
		mw.WriteField(field, string(b))
	}
	for name, data := range files {
		part, _ := mw.CreateFormFile("files", name)
		part.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func (h *hEnv) hMultipart(path, who, ct string, body []byte) (int, map[string]any, []byte) {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+h.hTok(who))
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	var raw bytes.Buffer
	raw.ReadFrom(resp.Body)
	json.Unmarshal(raw.Bytes(), &out)
	return resp.StatusCode, out, raw.Bytes()
}

// hFiles keeps a test's attachments in its temporary folder (on PostgreSQL the store's
// default is the working directory).
func (h *hEnv) hFiles() {
	whistletest.FilesInTemp(h.t, h.svc)
}

func TestIntakeDoors(t *testing.T) {
	h := hServer(t, 0)
	h.hFiles()

	// hotline: the call-taker's number and recording; only dispatchers take calls
	status, body := h.hAs("demo.dispatcher", "POST", "/api/v1/intake", map[string]any{"case": hNewCase("hotline")})
	if status != 400 {
		t.Fatalf("hotline without caller: %d %v", status, body)
	}
	status, body = h.hAs("demo.grid", "POST", "/api/v1/intake", map[string]any{"case": hNewCase("hotline"), "caller_phone": "13800001111"})
	if status != 403 {
		t.Fatalf("hotline by a grid worker: %d %v", status, body)
	}
	status, body = h.hAs("demo.dispatcher", "POST", "/api/v1/intake", map[string]any{"case": hNewCase("hotline"), "caller_phone": "13800001111", "recording": "REC-2026-0001"})
	if status != 201 || body["case"].(map[string]any)["channel"] != "hotline" {
		t.Fatalf("hotline: %d %v", status, body)
	}
	hotline := int64(body["case"].(map[string]any)["id"].(float64))
	_, det := h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/cases/%d/intake", hotline), nil)
	if det["caller_phone"] != "13800001111" || det["recording"] != "REC-2026-0001" {
		t.Fatalf("hotline details for the dispatcher: %v", det)
	}
	_, det = h.hAs("demo.grid", "GET", fmt.Sprintf("/api/v1/cases/%d/intake", hotline), nil)
	if det["caller_phone"] == "13800001111" {
		t.Fatalf("a grid worker sees the caller's number: %v", det)
	}
	status, _ = h.hAs("demo.officer2", "GET", fmt.Sprintf("/api/v1/cases/%d/intake", hotline), nil)
	if status != 404 {
		t.Fatalf("an uninvolved officer reads intake details: %d", status)
	}
	_, found := h.hAs("demo.dispatcher", "GET", "/api/v1/intake/matters?q=垃圾", nil)
	if ms := found["matters"].([]any); len(ms) == 0 || ms[0].(map[string]any)["code"] == "" {
		t.Fatalf("matter search: %v", found)
	}

	// 办不成事 window: a receipt and a leader's notice
	status, body = h.hAs("demo.dispatcher", "POST", "/api/v1/intake", map[string]any{"case": hNewCase("cannot_do_window"), "window": "LT-BC"})
	if status != 201 || body["secret"] == "" || body["number"] == "" {
		t.Fatalf("cannot_do_window: %d %v", status, body)
	}
	cannotDo := body
	_, notes := h.hAs("demo.leader", "GET", "/api/v1/notifications", nil)
	if !strings.Contains(fmt.Sprint(notes), "办不成事") {
		t.Fatalf("the leader was not told of the 办不成事 case: %v", notes)
	}
	_, follow := h.hDo("POST", "/api/v1/public/follow", "", map[string]any{"number": cannotDo["number"], "secret": cannotDo["secret"]})
	if follow["number"] != cannotDo["number"] || follow["open"] != true {
		t.Fatalf("follow by receipt: %v", follow)
	}
	if status, _ := h.hDo("POST", "/api/v1/public/follow", "", map[string]any{"number": cannotDo["number"], "secret": "WRONG123"}); status != 404 {
		t.Fatalf("a wrong secret: %d", status)
	}

	// each door is a row of the statistics by channel; 办不成事 is counted apart
	_, stats := h.hAs("demo.leader", "GET", "/api/v1/stats/cases?region=431382001&by=channel&from=2026-03&to=2026-03", nil)
	byChannel := map[string]map[string]any{}
	for _, row := range stats["rows"].([]any) {
		r := row.(map[string]any)
		byChannel[fmt.Sprint(r["group"])] = r
	}
	if r := byChannel["cannot_do_window"]; r == nil || r["received"].(float64) != 1 || r["cannot_do"].(float64) != 1 ||
		byChannel["hotline"] == nil || byChannel["hotline"]["cannot_do"].(float64) != 0 {
		t.Fatalf("statistics by channel: %v", stats)
	}

	// liaison cadres file only for their own enterprises
	liaison := map[string]any{"case": map[string]any{"matter": "SR-001", "title": "厂区门口积水", "region": "431382001001001", "channel": "liaison"}, "enterprise": "91431382MA4L0DEMO1"}
	status, body = h.hAs("demo.liaison", "POST", "/api/v1/intake", liaison)
	if status != 201 || body["case"].(map[string]any)["kind"] != "enterprise_problem" {
		t.Fatalf("liaison: %d %v", status, body)
	}
	enterpriseCase := int64(body["case"].(map[string]any)["id"].(float64))
	if pub, err := h.svc.PublicRequests(context.Background(), domain.PublicFilter{IDs: []int64{enterpriseCase, hotline}}); err != nil || len(pub) != 1 || pub[0].Case.ID != hotline {
		t.Fatalf("the public lists an enterprise's problem: %v %v", pub, err)
	}
	liaison["enterprise"] = "91430000OTHER0001"
	if status, _ := h.hAs("demo.liaison", "POST", "/api/v1/intake", liaison); status != 403 {
		t.Fatalf("liaison for an enterprise not linked: %d", status)
	}
	hCheckUploads(t, h, hotline)
	hCheckPublicPage(t, h)
}

// hNewCase is a new case's fields for a door (channel).
func hNewCase(channel string) map[string]any {
	return map[string]any{"matter": "SR-001", "title": "路边垃圾", "region": "431382001001001", "channel": channel}
}

// hCountCases counts the cases the administrator sees (up to 200).
func (h *hEnv) hCountCases() int {
	_, body := h.hAs("demo.admin", "GET", "/api/v1/cases?limit=200", nil)
	return len(body["cases"].([]any))
}

// hCheckUploads: a photo's GPS places a report that has no point; the file is served to
// those who see the case only, under its sniffed type, with a thumbnail; forged and
// oversized uploads change nothing; a file attaches to a case (hotline) and its event.
func hCheckUploads(t *testing.T, h *hEnv, hotline int64) {
	photo := exifJPEG(t, 27.7085, 111.6545) // inside 联兴村第2网格
	before := h.hCountCases()
	ct, mp := multipartBody(t, "intake", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "垃圾堆", "region": "431382001", "channel": "grid_patrol"}},
		map[string][]byte{"pile.jpg": photo})
	status, body, raw := h.hMultipart("/api/v1/intake", "demo.dispatcher", ct, mp)
	if status != 201 {
		t.Fatalf("intake with a photo: %d %s", status, raw)
	}
	c := body["case"].(map[string]any)
	if !strings.HasPrefix(c["region"].(string), "431382001205002") || c["lat"] == nil {
		t.Fatalf("the photo's position did not place the case: region %v lat %v", c["region"], c["lat"])
	}
	atts := body["attachments"].([]any)
	att := atts[0].(map[string]any)
	if att["content_type"] != "image/jpeg" || att["width"].(float64) != 640 || att["thumb_sha256"] == "" {
		t.Fatalf("attachment: %v", att)
	}
	path := fmt.Sprintf("/api/v1/attachments/%d", int64(att["id"].(float64)))
	st, got, hdr := h.hRaw("GET", path, h.hTok("demo.dispatcher"), nil)
	if st != 200 || !bytes.Equal(got, photo) || hdr.Get("Content-Type") != "image/jpeg" || hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("GET attachment: %d %s %d bytes", st, hdr.Get("Content-Type"), len(got))
	}
	st, got, _ = h.hRaw("GET", path+"?thumb=1", h.hTok("demo.dispatcher"), nil)
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(got)); st != 200 || err != nil || cfg.Width != 320 || cfg.Height != 240 {
		t.Fatalf("thumbnail: %d %v %+v", st, err, cfg)
	}
	if st, _, _ := h.hRaw("GET", path, h.hTok("demo.officer2"), nil); st != 404 {
		t.Fatalf("an officer who may not see the case got its photo: %d", st)
	}
	// forged and oversized uploads change nothing
	after := h.hCountCases()
	for name, data := range map[string][]byte{"fake.jpg": []byte("<html><script>alert(1)</script></html>"), "empty.png": {},
		"big.jpg": append(append([]byte{}, photo...), make([]byte, 13<<20)...)} {
		ct, mp := multipartBody(t, "intake", map[string]any{"case": hNewCase("grid_patrol")}, map[string][]byte{name: data})
		if st, _, raw := h.hMultipart("/api/v1/intake", "demo.dispatcher", ct, mp); st != 400 {
			t.Fatalf("%s: %d %s", name, st, raw)
		}
	}
	if n := h.hCountCases(); n != after || after != before+1 {
		t.Fatalf("refused uploads filed cases: %d → %d → %d", before, after, n)
	}

	// attach to an existing case and to one of its events
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("event", "1")
	part, _ := mw.CreateFormFile("file", "更多.jpg")
	part.Write(photo)
	mw.Close()
	st, body, raw = h.hMultipart(fmt.Sprintf("/api/v1/cases/%d/attachments", hotline), "demo.dispatcher", mw.FormDataContentType(), buf.Bytes())
	if st != 201 || body["event_seq"].(float64) != 1 || body["name"] != "更多.jpg" {
		t.Fatalf("attach to an event: %d %s", st, raw)
	}
	_, list := h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/cases/%d/attachments", hotline), nil)
	if len(list["attachments"].([]any)) != 1 {
		t.Fatalf("attachments: %v", list)
	}
}

// hCheckPublicPage: the public page reports without login, and too many look-ups are
// refused; only administrators register client apps.
func hCheckPublicPage(t *testing.T, h *hEnv) {
	pub := map[string]any{"matter": "SR-001", "description": "小区门口垃圾没人清", "lat": 27.7015, "lon": 111.6515, "phone": "13912345678", "name": "李四"}
	st, body := h.hDo("POST", "/api/v1/public/reports", "", pub)
	if st != 201 || body["secret"] == "" {
		t.Fatalf("public report: %d %v", st, body)
	}
	pub["matter"] = "NOPE"
	if st, _ := h.hDo("POST", "/api/v1/public/reports", "", pub); st != 400 {
		t.Fatalf("public report of an unknown matter: %d", st)
	}
	limited := false
	for i := 0; i < 25 && !limited; i++ {
		st, _ := h.hDo("POST", "/api/v1/public/follow", "", map[string]any{"number": body["number"], "secret": "GUESS" + fmt.Sprint(i)})
		limited = st == 429
	}
	if !limited {
		t.Fatal("guessing secrets is not rate-limited")
	}

	// client apps: administrators only
	if st, _ := h.hAs("demo.dispatcher", "POST", "/api/v1/open311/clients", map[string]any{"name": "x"}); st != 403 {
		t.Fatalf("a dispatcher registered a client app: %d", st)
	}
	st, body = h.hAs("demo.admin", "POST", "/api/v1/open311/clients", map[string]any{"name": "FixMyStreet"})
	if st != 201 || len(body["api_key"].(string)) < 32 {
		t.Fatalf("client app: %d %v", st, body)
	}
}

func TestDuplicatesAndMerge(t *testing.T) {
	h := hServer(t, 0)
	file := func(who string, lat float64) int64 {
		st, body := h.hAs(who, "POST", "/api/v1/intake", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "垃圾",
			"lat": lat, "lon": 111.6515, "channel": "online"}})
		if st != 201 {
			t.Fatalf("file: %d %v", st, body)
		}
		return int64(body["case"].(map[string]any)["id"].(float64))
	}
	a := file("demo.citizen", 27.7015)
	b := file("demo.enterprise", 27.7016) // about 11 m north
	far := file("demo.citizen", 27.7032)  // about 180 m: outside 150 m
	_, d := h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/cases/%d/duplicates", b), nil)
	ds := d["duplicates"].([]any)
	if len(ds) != 1 || int64(ds[0].(map[string]any)["case_id"].(float64)) != a {
		t.Fatalf("duplicates of b: %v", d)
	}
	_, d = h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/cases/%d/duplicates", far), nil)
	if len(d["duplicates"].([]any)) != 0 {
		t.Fatalf("a case 180 m away is a duplicate: %v", d)
	}
	if st, _ := h.hAs("demo.citizen", "GET", fmt.Sprintf("/api/v1/cases/%d/duplicates", b), nil); st != 404 {
		t.Fatalf("the citizen sees another reporter's case: %d", st)
	}
	if st, _ := h.hAs("demo.admin", "PUT", "/api/v1/settings/duplicates", map[string]any{"distance_m": 300, "window_hours": 24}); st != 200 {
		t.Fatalf("set rule: %d", st)
	}
	_, d = h.hAs("demo.dispatcher", "GET", fmt.Sprintf("/api/v1/cases/%d/duplicates", far), nil)
	if len(d["duplicates"].([]any)) != 2 {
		t.Fatalf("with 300 m the far case repeats both: %v", d)
	}
	if st, _ := h.hAs("demo.admin", "PUT", "/api/v1/settings/duplicates", map[string]any{"distance_m": -1, "window_hours": 24}); st != 400 {
		t.Fatalf("bad rule: %d", st)
	}
	flags, err := h.svc.DuplicateFlags(context.Background(), []int64{a, b, far})
	if err != nil || flags[b] != 1 || flags[a] != 0 || flags[far] != 0 {
		t.Fatalf("queue flags found at intake: %v %v", flags, err)
	}
	st, body := h.hAs("demo.dispatcher", "POST", fmt.Sprintf("/api/v1/cases/%d/duplicates/merge", b), map[string]any{"into": a, "version": 1})
	if st != 200 || body["status"] != "merged" {
		t.Fatalf("merge: %d %v", st, body)
	}
	for _, who := range []string{"demo.citizen", "demo.enterprise"} {
		_, n := h.hAs(who, "GET", "/api/v1/notifications", nil)
		if !strings.Contains(fmt.Sprint(n), "合并") {
			t.Fatalf("%s was not told of the merge: %v", who, n)
		}
	}
}

// TestIntakeBadInput: every kind of bad input to the doors' routes gets a 4xx answer in
// the API's error format and changes nothing.
func TestIntakeBadInput(t *testing.T) {
	h := hServer(t, 0)
	h.hFiles()
	count := func() int {
		_, body := h.hAs("demo.admin", "GET", "/api/v1/cases?limit=200", nil)
		return len(body["cases"].([]any))
	}
	before := count()
	good := map[string]any{"case": map[string]any{"matter": "SR-001", "title": "t", "region": "431382001001", "channel": "window"}}
	for _, c := range []struct {
		name, method, path, who string
		body                    any
		want                    int
	}{
		{"no token", "POST", "/api/v1/intake", "", good, 401},
		{"not JSON", "POST", "/api/v1/intake", "demo.dispatcher", "{", 400},
		{"unknown field", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": good["case"], "colour": 1}, 400},
		{"wrong type", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": 7}}, 400},
		{"unknown matter", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": "NOPE", "title": "t", "region": "431382001001"}}, 400},
		{"unknown region", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "t", "region": "999"}}, 400},
		{"unknown channel", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "t", "region": "431382001001", "channel": "fax"}}, 400},
		{"bad attribute", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": good["case"], "attributes": map[string]any{"x": []string{"1"}}}, 400},
		{"lat alone", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "t", "lat": 27.7}}, 400},
		{"lat range", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "t", "lat": 95, "lon": 111}}, 400},
		{"window outside scope", "POST", "/api/v1/intake", "demo.dispatcher", map[string]any{"case": map[string]any{"matter": "SR-001", "title": "t", "region": "431382002", "channel": "window"}}, 403},
		{"attachment of no case", "GET", "/api/v1/cases/999999/attachments", "demo.dispatcher", nil, 404},
		{"attachment id", "GET", "/api/v1/attachments/abc", "demo.dispatcher", nil, 404},
		{"attachment missing", "GET", "/api/v1/attachments/12345", "demo.dispatcher", nil, 404},
		{"attach JSON", "POST", "/api/v1/cases/1/attachments", "demo.dispatcher", map[string]any{"file": "x"}, 400},
		{"duplicates of no case", "GET", "/api/v1/cases/999999/duplicates", "demo.dispatcher", nil, 404},
		{"merge bad body", "POST", "/api/v1/cases/1/duplicates/merge", "demo.dispatcher", map[string]any{"into": "x"}, 400},
		{"attributes of no matter", "GET", "/api/v1/matters/NOPE/attributes", "demo.dispatcher", nil, 404},
		{"bad attributes", "PUT", "/api/v1/matters/SR-001/attributes", "demo.admin", map[string]any{"attributes": []any{map[string]any{"code": "a", "datatype": "colour", "description": "d"}}}, 400},
		{"attributes by dispatcher", "PUT", "/api/v1/matters/SR-001/attributes", "demo.dispatcher", map[string]any{"attributes": []any{}}, 403},
		{"rule NaN-ish", "PUT", "/api/v1/settings/duplicates", "demo.admin", map[string]any{"distance_m": 100, "window_hours": 1e300}, 400},
		{"client no name", "POST", "/api/v1/open311/clients", "demo.admin", map[string]any{"name": " "}, 400},
		{"client missing", "PUT", "/api/v1/open311/clients/99", "demo.admin", map[string]any{"disabled": true}, 404},
		{"public no matter", "POST", "/api/v1/public/reports", "", map[string]any{"description": "x"}, 400},
		{"public bad phone", "POST", "/api/v1/public/reports", "", map[string]any{"matter": "SR-001", "phone": "call me", "region": "431382001001"}, 400},
		{"public unknown field", "POST", "/api/v1/public/reports", "", map[string]any{"matter": "SR-001", "user_id": 1}, 400},
		{"follow empty", "POST", "/api/v1/public/follow", "", map[string]any{"number": "", "secret": ""}, 400},
		{"nul", "POST", "/api/v1/intake", "demo.dispatcher", `{"case":{"matter":"SR-001","title":"a\u0000b","region":"431382001001"}}`, 400},
	} {
		status, body := h.hDo(c.method, c.path, h.hTok(c.who), c.body)
		if status != c.want {
			t.Errorf("%s: %d, want %d: %v", c.name, status, c.want, body)
			continue
		}
		if e, ok := body["error"].(map[string]any); !ok || e["code"] == "" || e["message"] == "" {
			t.Errorf("%s: not the error format: %v", c.name, body)
		}
	}
	// a multipart body with the wrong parts
	ct, mp := multipartBody(t, "other", good, nil)
	if st, _, raw := h.hMultipart("/api/v1/intake", "demo.dispatcher", ct, mp); st != 400 {
		t.Errorf("multipart without intake: %d %s", st, raw)
	}
	if st, _, raw := h.hMultipart("/api/v1/intake", "demo.dispatcher", "multipart/form-data", []byte("--x\r\n")); st != 400 {
		t.Errorf("multipart without boundary: %d %s", st, raw)
	}
	if n := count(); n != before {
		t.Fatalf("bad input filed %d cases", n-before)
	}
}
