package images

import (
	"encoding/binary"
	"testing"
)

// gpsTIFF builds a minimal little-endian EXIF block with a GPS position in D/M/S.
func gpsTIFF(latRef, lonRef byte, lat, lon [6]uint32) []byte {
	b := make([]byte, 0, 160)
	le := binary.LittleEndian
	u16 := func(v uint16) { b = le.AppendUint16(b, v) }
	u32 := func(v uint32) { b = le.AppendUint32(b, v) }
	b = append(b, 'I', 'I')
	u16(42)
	u32(8)
	u16(1)
	u16(0x8825)
	u16(4)
	u32(1)
	u32(26)
	u32(0)
	u16(4)
	for _, e := range [][4]uint32{{1, 2, 2, uint32(latRef)}, {2, 5, 3, 80}, {3, 2, 2, uint32(lonRef)}, {4, 5, 3, 104}} {
		u16(uint16(e[0]))
		u16(uint16(e[1]))
		u32(e[2])
		u32(e[3])
	}
	u32(0)
	for _, v := range lat {
		u32(v)
	}
	for _, v := range lon {
		u32(v)
	}
	return b
}

func jpegWith(tiff []byte) []byte {
	app := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xE1, byte((len(app) + 2) >> 8), byte(len(app) + 2)}
	return append(append(out, app...), 0xFF, 0xDA, 0x00, 0x02)
}

func TestExifPosition(t *testing.T) {
	lat := [6]uint32{27, 1, 42, 1, 305000, 10000} // 27°42'30.5"
	lon := [6]uint32{111, 1, 39, 1, 54, 1}        // 111°39'54"
	cases := []struct {
		name     string
		data     []byte
		ok       bool
		lat, lon float64
	}{
		{"north east", jpegWith(gpsTIFF('N', 'E', lat, lon)), true, 27.708472, 111.665},
		{"south west", jpegWith(gpsTIFF('S', 'W', lat, lon)), true, -27.708472, -111.665},
		{"bad ref", jpegWith(gpsTIFF('X', 'E', lat, lon)), false, 0, 0},
		{"zero denominator", jpegWith(gpsTIFF('N', 'E', [6]uint32{27, 0, 1, 1, 1, 1}, lon)), false, 0, 0},
		{"minutes 60", jpegWith(gpsTIFF('N', 'E', [6]uint32{27, 1, 60, 1, 0, 1}, lon)), false, 0, 0},
		{"latitude 95", jpegWith(gpsTIFF('N', 'E', [6]uint32{95, 1, 0, 1, 0, 1}, lon)), false, 0, 0},
		{"truncated", jpegWith(gpsTIFF('N', 'E', lat, lon))[:60], false, 0, 0},
		{"no exif", []byte{0xFF, 0xD8, 0xFF, 0xDA}, false, 0, 0},
		{"not jpeg", []byte("GIF89a"), false, 0, 0},
		{"empty", nil, false, 0, 0},
	}
	for _, c := range cases {
		la, lo, ok := ExifPosition(c.data)
		if ok != c.ok || (ok && (abs(la-c.lat) > 1e-5 || abs(lo-c.lon) > 1e-5)) {
			t.Errorf("%s: got %v %f,%f want %v %f,%f", c.name, ok, la, lo, c.ok, c.lat, c.lon)
		}
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// FuzzExifPosition holds the EXIF parser to never panicking and to answering only
// positions on the globe.
func FuzzExifPosition(f *testing.F) {
	f.Add(jpegWith(gpsTIFF('N', 'E', [6]uint32{27, 1, 42, 1, 30, 1}, [6]uint32{111, 1, 39, 1, 54, 1})))
	f.Add(jpegWith([]byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01\xff\xff\xff\xff")))
	f.Add([]byte{0xFF, 0xD8})
	f.Fuzz(func(t *testing.T, data []byte) {
		lat, lon, ok := ExifPosition(data)
		if ok && (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
			t.Fatalf("position off the globe: %f,%f", lat, lon)
		}
	})
}
