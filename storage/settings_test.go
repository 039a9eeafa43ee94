package storage

import "testing"

func TestSettingRoundTrip(t *testing.T) {
	db, _ := openTemp(t)
	if v, ok, err := db.Setting("ratio"); v != nil || ok || err != nil {
		t.Errorf("missing setting = %q, %v, %v", v, ok, err)
	}
	if err := db.PutSetting("ratio", []byte("1.5")); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSetting("ratio", []byte("2.0")); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := db.Setting("ratio"); string(v) != "2.0" || !ok || err != nil {
		t.Errorf("Setting = %q, %v, %v", v, ok, err)
	}
}

func TestSettingEmptyValueIsFound(t *testing.T) {
	db, _ := openTemp(t)
	if err := db.PutSetting("flag", nil); err != nil {
		t.Fatal(err)
	}
	v, ok, err := db.Setting("flag")
	if !ok || err != nil || len(v) != 0 {
		t.Errorf("empty setting = %q, %v, %v; want found and empty", v, ok, err)
	}
}

func TestPutSettingRejectsEmptyKey(t *testing.T) {
	db, _ := openTemp(t)
	if err := db.PutSetting("", []byte("x")); err == nil {
		t.Error("empty key accepted")
	}
}
