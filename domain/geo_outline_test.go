package domain

import "testing"

func TestCheckOutline(t *testing.T) {
	for _, tc := range []struct {
		name, geojson, key string
	}{
		{"a square", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`, ""},
		{"a triangle", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`, ""},
		{"a concave one", `{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[1,1],[0,2],[0,0]]]}`, ""},
		{"a point repeated", `{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0],[0,0]]]}`, "region.polygon_points"},
		{"a line", `{"type":"Polygon","coordinates":[[[0,0],[0,1],[0,2],[0,0]]]}`, "region.polygon_points"},
		{"a bow tie", `{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,0.6],[0,0]]]}`, "region.polygon_crossing"},
		{"an edge back over another", `{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[1,0],[0,1],[0,0]]]}`, "region.polygon_crossing"},
		{"a hole crossing itself", `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[3,3],[3,1],[1,2.5],[1,1]]]}`, "region.polygon_crossing"},
	} {
		p, err := ParsePolygon(tc.geojson)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = p.CheckOutline()
		key := ""
		if e, ok := err.(*Error); ok {
			key = e.Key
		}
		if key != tc.key {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.key)
		}
	}
}

func TestTileHost(t *testing.T) {
	for _, tc := range []struct{ template, host string }{
		{"https://tile.example.cn/{z}/{x}/{y}.png", "https://tile.example.cn"},
		{"http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png?style=1", "http://10.0.0.5:8080"},
		{"https://tile.example.cn/{z}/{x}.png", ""},
		{"ftp://tile.example.cn/{z}/{x}/{y}.png", ""},
		{"/tiles/{z}/{x}/{y}.png", ""},
		{`https://tile.example.cn/{z}/{x}/{y}.png"onerror="x`, ""},
		{"https://{s}.tile.example.cn/{z}/{x}/{y}.png", ""},
		{"https://user:pw@tile.example.cn/{z}/{x}/{y}.png", ""},
	} {
		host, err := TileHost(tc.template)
		if host != tc.host || (err == nil) != (tc.host != "") {
			t.Errorf("%s: %q %v, want %q", tc.template, host, err, tc.host)
		}
	}
}
