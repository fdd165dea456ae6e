package images

import "encoding/binary"

// ExifPosition reads the GPS position a camera wrote into a JPEG's EXIF block. It is a
// small parser for exactly that: the APP1 segment, the TIFF header, IFD0's pointer to the
// GPS IFD and its latitude/longitude rationals. Every offset is checked against the
// data, so a damaged or hostile file gives ok false, never a panic.
func ExifPosition(jpeg []byte) (lat, lon float64, ok bool) {
	if len(jpeg) < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
		return 0, 0, false
	}
	for i := 2; i+4 <= len(jpeg); {
		if jpeg[i] != 0xFF {
			return 0, 0, false
		}
		marker := jpeg[i+1]
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // image data starts: no EXIF before it
			return 0, 0, false
		}
		size := int(binary.BigEndian.Uint16(jpeg[i+2:]))
		if size < 2 || i+2+size > len(jpeg) {
			return 0, 0, false
		}
		seg := jpeg[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffGPS(seg[6:])
		}
		i += 2 + size
	}
	return 0, 0, false
}

type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

func (t tiff) u16(off int) (int, bool) {
	if off < 0 || off+2 > len(t.b) {
		return 0, false
	}
	return int(t.bo.Uint16(t.b[off:])), true
}

func (t tiff) u32(off int) (int, bool) {
	if off < 0 || off+4 > len(t.b) {
		return 0, false
	}
	v := t.bo.Uint32(t.b[off:])
	if v > 1<<30 {
		return 0, false
	}
	return int(v), true
}

// entry finds tag in the IFD at off and gives its type, count and value field offset.
func (t tiff) entry(ifd, tag int) (typ, count, valueOff int, ok bool) {
	n, ok := t.u16(ifd)
	if !ok || n > 1000 {
		return 0, 0, 0, false
	}
	for k := 0; k < n; k++ {
		e := ifd + 2 + 12*k
		tg, ok1 := t.u16(e)
		ty, ok2 := t.u16(e + 2)
		c, ok3 := t.u32(e + 4)
		if !ok1 || !ok2 || !ok3 {
			return 0, 0, 0, false
		}
		if tg == tag {
			return ty, c, e + 8, true
		}
	}
	return 0, 0, 0, false
}

func tiffGPS(b []byte) (lat, lon float64, ok bool) {
	if len(b) < 8 {
		return 0, 0, false
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return 0, 0, false
	}
	if m, _ := t.u16(2); m != 42 {
		return 0, 0, false
	}
	ifd0, ok := t.u32(4)
	if !ok {
		return 0, 0, false
	}
	_, _, off, ok := t.entry(ifd0, 0x8825) // GPSInfo IFD pointer
	if !ok {
		return 0, 0, false
	}
	gps, ok := t.u32(off)
	if !ok {
		return 0, 0, false
	}
	latRef, ok1 := t.ref(gps, 1)
	lat, ok2 := t.degrees(gps, 2)
	lonRef, ok3 := t.ref(gps, 3)
	lon, ok4 := t.degrees(gps, 4)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return 0, 0, false
	}
	if latRef == 'S' {
		lat = -lat
	} else if latRef != 'N' {
		return 0, 0, false
	}
	if lonRef == 'W' {
		lon = -lon
	} else if lonRef != 'E' {
		return 0, 0, false
	}
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 || (lat == 0 && lon == 0) {
		return 0, 0, false
	}
	return lat, lon, true
}

// ref reads an ASCII reference tag (N/S, E/W), stored inline.
func (t tiff) ref(ifd, tag int) (byte, bool) {
	typ, count, off, ok := t.entry(ifd, tag)
	if !ok || typ != 2 || count < 1 || off >= len(t.b) {
		return 0, false
	}
	return t.b[off], true
}

// degrees reads three RATIONALs (degrees, minutes, seconds) as decimal degrees.
func (t tiff) degrees(ifd, tag int) (float64, bool) {
	typ, count, off, ok := t.entry(ifd, tag)
	if !ok || typ != 5 || count != 3 {
		return 0, false
	}
	at, ok := t.u32(off)
	if !ok {
		return 0, false
	}
	var v [3]float64
	for k := range v {
		num, ok1 := t.u32(at + 8*k)
		den, ok2 := t.u32(at + 8*k + 4)
		if !ok1 || !ok2 || den == 0 {
			return 0, false
		}
		v[k] = float64(num) / float64(den)
	}
	if v[1] >= 60 || v[2] >= 60 {
		return 0, false
	}
	return v[0] + v[1]/60 + v[2]/3600, true
}
