package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// exportAudit returns the detail of the newest person.export entries.
func exportAudit(t *testing.T, db *store.DB) []store.AuditEntry {
	t.Helper()
	entries, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Action: "person.export"})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestExportMaskedByDefault(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.people(t)
		rows, err := w.svc.ExportPersons(ctx, w.actor(t, "county"), service.PersonSearch{}, false)
		if err != nil || len(rows) != 2 {
			t.Fatalf("export: %d rows, %v", len(rows), err)
		}
		for _, r := range rows {
			if r.Clear || r.ClearID != "" || r.ClearPhone != "" {
				t.Errorf("masked export carries clear values: %+v", r)
			}
		}
		if rows[0].IDNumber != "110105********002X" || rows[1].Phone != "139****5678" {
			t.Errorf("masked values: %q %q", rows[0].IDNumber, rows[1].Phone)
		}
		entries := exportAudit(t, db)
		if len(entries) != 1 || entries[0].Outcome != "ok" || !strings.Contains(entries[0].Detail, `"rows":2`) ||
			!strings.Contains(entries[0].Detail, `"clear":false`) {
			t.Fatalf("export audit %+v", entries)
		}
	})
}

func TestExportClearOnlyWhereRevealAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.people(t)
		// County: every row in clear, one audit entry saying so.
		rows, err := w.svc.ExportPersons(ctx, w.actor(t, "county"), service.PersonSearch{}, true)
		if err != nil || len(rows) != 2 {
			t.Fatalf("clear export: %d rows, %v", len(rows), err)
		}
		if !rows[0].Clear || rows[0].ClearID != "11010519491231002X" || rows[0].ClearPhone != "13812345678" ||
			!rows[1].Clear || rows[1].ClearID != "" || rows[1].ClearPhone != "13912345678" {
			t.Fatalf("clear rows %+v", rows)
		}
		var d struct {
			Rows      int  `json:"rows"`
			Clear     bool `json:"clear"`
			ClearRows int  `json:"clear_rows"`
		}
		entries := exportAudit(t, db)
		if len(entries) != 1 || json.Unmarshal([]byte(entries[0].Detail), &d) != nil || !d.Clear || d.Rows != 2 || d.ClearRows != 2 {
			t.Fatalf("clear export audit %+v", entries)
		}

		// Officer of the village with home-secretary reach over the
		// township: reads both people, may reveal only the village's.
		id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "village", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		for role, org := range map[string]string{authz.RoleCountyOfficer: "V", authz.RoleHomeSecretary: "T"} {
			if err := w.svc.BootstrapGrant(ctx, id, role, w.orgs[org].Name); err != nil {
				t.Fatal(err)
			}
		}
		w.accounts["village"] = id
		rows, err = w.svc.ExportPersons(ctx, w.actor(t, "village"), service.PersonSearch{}, true)
		if err != nil || len(rows) != 2 {
			t.Fatalf("mixed export: %d rows, %v", len(rows), err)
		}
		if !rows[0].Clear || rows[0].ClearID == "" || rows[1].Clear || rows[1].ClearPhone != "" || rows[1].Phone != "139****5678" {
			t.Fatalf("mixed rows %+v", rows)
		}

		// The host's agreement grants no sensitive data: refused, and the
		// refusal is audited.
		_, err = w.svc.ExportPersons(ctx, w.actor(t, "host"), service.PersonSearch{}, true)
		wantCode(t, err, domain.CodeForbidden, "")
		entries = exportAudit(t, db)
		if len(entries) != 3 || entries[0].Outcome != "denied" {
			t.Fatalf("refused export audit %+v", entries)
		}
		// Masked, the host exports the one member its agreement covers.
		rows, err = w.svc.ExportPersons(ctx, w.actor(t, "host"), service.PersonSearch{}, false)
		if err != nil || len(rows) != 1 || rows[0].Name != "单雄信" {
			t.Fatalf("host export: %+v %v", rows, err)
		}
	})
}

// The audit log never holds the searched ID number or phone in clear.
func TestExportAuditMasksSearchText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.people(t)
		county := w.actor(t, "county")
		for _, c := range []struct{ text, masked string }{
			{"11010519491231002X", "110105********002X"}, {"13912345678", "139****5678"}, {"单雄", "单雄"},
		} {
			rows, err := w.svc.ExportPersons(ctx, county, service.PersonSearch{Text: c.text, Industry: "e"}, false)
			if err != nil {
				t.Fatal(err)
			}
			d := exportAudit(t, db)[0].Detail
			if !strings.Contains(d, `"text":"`+c.masked+`"`) || (c.text != c.masked && strings.Contains(d, c.text)) {
				t.Errorf("audit detail for %q: %s", c.text, d)
			}
			if c.text != "13912345678" && len(rows) != 1 {
				t.Errorf("export of %q: %d rows", c.text, len(rows))
			}
		}
		if d := exportAudit(t, db)[0].Detail; !strings.Contains(d, `"industry":"E"`) && !strings.Contains(d, `"industry":"e"`) {
			t.Errorf("filter missing from the audit: %s", d)
		}
	})
}
