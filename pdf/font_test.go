package pdf

import (
	"encoding/binary"
	"testing"
)

func TestFirstFontOfCollection(t *testing.T) {
	be := binary.BigEndian
	// a collection of one font with two tables, the second unaligned
	font := make([]byte, 12+32)
	be.PutUint32(font[0:], 0x00010000)
	be.PutUint16(font[4:], 2)
	tables := [][]byte{[]byte("abc"), []byte("defgh")}
	ttc := append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01"), 0, 0, 0, 16)
	data := []byte{}
	base := len(ttc) + len(font)
	for i, tb := range tables {
		copy(font[12+16*i:], []string{"AAAA", "BBBB"}[i])
		be.PutUint32(font[12+16*i+8:], uint32(base+len(data)))
		be.PutUint32(font[12+16*i+12:], uint32(len(tb)))
		data = append(data, tb...)
	}
	ttc = append(append(ttc, font...), data...)
	out, err := firstFontOfCollection(ttc)
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range tables {
		off, n := be.Uint32(out[12+16*i+8:]), be.Uint32(out[12+16*i+12:])
		if off%4 != 0 || string(out[off:off+n]) != string(tb) {
			t.Errorf("table %d at %d: %q", i, off, out[off:off+n])
		}
	}
	for _, bad := range [][]byte{nil, []byte("ttcf"), append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01"), 0xff, 0, 0, 0), ttc[:len(ttc)-2]} {
		if _, err := firstFontOfCollection(bad); err == nil {
			t.Errorf("accepted %d bad bytes", len(bad))
		}
	}
}
