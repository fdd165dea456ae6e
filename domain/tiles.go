package domain

import (
	"net/url"
	"strings"
)

// TileHost checks a tile server's URL template (https://tile.example.cn/{z}/{x}/{y}.png:
// the slippy-map tiles of OpenStreetMap and most Chinese map servers) and gives its host,
// "host[:port]" with its scheme, which the pages' CSP then allows images from. A template
// needs {z}, {x} and {y}, http or https, and no characters a page would have to escape.
func TileHost(template string) (string, error) {
	bad := func(why string) error {
		return &Error{Code: EINVALID, Key: "tiles.template", Message: "tile server: " + why + " (e.g. https://tile.example.cn/{z}/{x}/{y}.png)"}
	}
	if len(template) > 300 {
		return "", bad("at most 300 characters")
	}
	if strings.ContainsAny(template, " \t\r\n\"'<>\\`") {
		return "", bad("no spaces, quotes or angle brackets")
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(template, p) {
			return "", bad("the template needs {z}, {x} and {y}")
		}
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(template))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || strings.ContainsAny(u.Host, "{}*;") {
		return "", bad("an http or https address with a host")
	}
	return u.Scheme + "://" + u.Host, nil
}
