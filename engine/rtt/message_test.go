package rtt

import (
	"bytes"
	"errors"
	"testing"
)

func TestMessageMarshal(t *testing.T) {
	m := Message{Kind: KindPing, Nonce: 0x0102030405060708, SentUnixNano: -2}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{'p', 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}
	if !bytes.Equal(got, want) {
		t.Fatalf("MarshalBinary = %x, want %x", got, want)
	}
	back, err := Parse(got)
	if err != nil || back != m {
		t.Fatalf("Parse = %+v, %v; want %+v", back, err, m)
	}
}

func TestMessageMarshalBadKind(t *testing.T) {
	if _, err := (Message{Kind: 'x'}).MarshalBinary(); !errors.Is(err, ErrMessage) {
		t.Fatalf("err = %v, want ErrMessage", err)
	}
}

func TestParseRejects(t *testing.T) {
	valid := append([]byte{'o'}, make([]byte, 16)...)
	tests := []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"short", valid[:16]},
		{"long", append(bytes.Clone(valid), 0)},
		{"zero kind", append([]byte{0}, valid[1:]...)},
		{"unknown kind", append([]byte{'P'}, valid[1:]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := Parse(tt.b); !errors.Is(err, ErrMessage) {
				t.Fatalf("Parse = %+v, %v; want ErrMessage", m, err)
			}
		})
	}
	if _, err := Parse(valid); err != nil {
		t.Fatalf("control: Parse(valid) = %v", err)
	}
}

func TestPong(t *testing.T) {
	ping := Message{Kind: KindPing, Nonce: 42, SentUnixNano: 7}
	want := Message{Kind: KindPong, Nonce: 42, SentUnixNano: 7}
	if got := Pong(ping); got != want {
		t.Fatalf("Pong = %+v, want %+v", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, m := range []Message{{Kind: KindPing, Nonce: 1, SentUnixNano: 2}, {Kind: KindPong}} {
		b, _ := m.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte("p"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			return
		}
		// Whatever parses must re-encode to the same bytes.
		out, err := m.MarshalBinary()
		if err != nil {
			t.Fatalf("parsed %+v but cannot marshal: %v", m, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip %x → %x", b, out)
		}
	})
}
