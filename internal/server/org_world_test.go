package server_test

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/clock"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/seal"
	"gongjian/internal/server"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/web/assets"
)

// orgWorld is the county of the service's access tests, served over HTTP:
// origin C → township T → village V; mobile M (with branch MB) and M2
// under C; host street committees H and H2. Agreement A1 (M with H, in
// force through 2026: basic data, attendance, feedback), A2 (M2 with H, a
// draft) and A3 (M2 with H, expired at the end of 2025). One account per
// role; the three administrators have TOTP secrets.
type orgWorld struct {
	*env
	orgs       map[string]domain.Org
	accounts   map[string]domain.AccountID
	agreements map[string]domain.AgreementID
	tokens     map[string]string
}

const adminSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// worldRoles are the accounts of the world: name → role and organization.
var worldRoles = map[string][2]string{
	"county": {authz.RoleCountyOfficer, "C"}, "home": {authz.RoleHomeSecretary, "V"},
	"mobile": {authz.RoleMobileSecretary, "M"}, "host": {authz.RoleHostOfficer, "H"},
	"member": {authz.RoleMember, "MB"}, "cases": {authz.RoleCaseHandler, "M"},
	"auditor": {authz.RoleAuditor, ""}, "sysadmin": {authz.RoleSysAdmin, ""}, "secofficer": {authz.RoleSecOfficer, ""},
}

// newOrgEnv is newEnv with a data folder, where signed agreements go.
func newOrgEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	keys, err := seal.New("std")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := clock.NewFake(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC))
	svc, err := service.New(db, service.Config{Clock: clk, Keys: keys, PasswordParams: auth.TestParams, Log: quiet, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Options{Service: svc, I18n: bundle, Static: static, Keys: keys, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{svc: svc, db: db, clock: clk, srv: srv}
}

func newOrgWorld(t *testing.T, db *store.DB) *orgWorld {
	t.Helper()
	w := &orgWorld{env: newOrgEnv(t, db), orgs: map[string]domain.Org{}, accounts: map[string]domain.AccountID{},
		agreements: map[string]domain.AgreementID{}, tokens: map[string]string{}}
	mk := func(key, parent string, side domain.Side, kind domain.OrgKind) {
		in := service.NewOrg{Name: "组织" + key, Side: side, Kind: kind, FoundedOn: domain.NewDate(2005, 3, 1)}
		if parent != "" {
			in.ParentID = w.orgs[parent].ID
		}
		id, err := w.svc.BootstrapOrg(ctx, in)
		if err != nil {
			t.Fatalf("org %s: %v", key, err)
		}
		w.orgs[key] = w.org(t, id)
	}
	mk("C", "", domain.SideOrigin, domain.KindCommittee)
	mk("T", "C", domain.SideOrigin, domain.KindCommittee)
	mk("V", "T", domain.SideOrigin, domain.KindBranch)
	mk("M", "C", domain.SideMobile, domain.KindCommittee)
	mk("MB", "M", domain.SideMobile, domain.KindBranch)
	mk("M2", "C", domain.SideMobile, domain.KindBranch)
	mk("H", "", domain.SideHost, domain.KindCommittee)
	mk("H2", "", domain.SideHost, domain.KindCommittee)
	agree := func(key, mobile string, from, to domain.Date, sign bool, caps ...domain.Capability) {
		id, err := w.svc.BootstrapAgreement(ctx, service.NewAgreement{Title: "协议" + key, OriginID: w.orgs["C"].ID,
			MobileIDs: []domain.OrgID{w.orgs[mobile].ID}, HostIDs: []domain.OrgID{w.orgs["H"].ID}, Capabilities: caps,
			ValidFrom: from, ValidTo: to})
		if err != nil {
			t.Fatalf("agreement %s: %v", key, err)
		}
		if sign {
			if err := w.svc.SignAgreement(ctx, authz.System, id, 0, from); err != nil {
				t.Fatalf("sign %s: %v", key, err)
			}
		}
		w.agreements[key] = id
	}
	agree("A1", "M", domain.NewDate(2026, 1, 1), domain.NewDate(2026, 12, 31), true,
		domain.CapViewBasic, domain.CapAttendance, domain.CapFeedback)
	agree("A2", "M2", domain.NewDate(2026, 6, 1), domain.NewDate(2027, 5, 31), false, domain.Capabilities()...)
	agree("A3", "M2", domain.NewDate(2024, 1, 1), domain.NewDate(2025, 12, 31), true, domain.Capabilities()...)
	for name, grant := range worldRoles {
		id, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: name, DisplayName: name, Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		org := ""
		if grant[1] != "" {
			org = w.orgs[grant[1]].Name
		}
		if err := w.svc.BootstrapGrant(ctx, id, grant[0], org); err != nil {
			t.Fatal(err)
		}
		if info, _ := authz.Role(grant[0]); info.NeedsMFA {
			if err := w.svc.EnrolTOTPWithSecret(ctx, id, adminSecret); err != nil {
				t.Fatal(err)
			}
		}
		w.accounts[name] = id
	}
	return w
}

// org reads an organization as it now is (its version changes with every
// edit).
func (w *orgWorld) org(t *testing.T, id domain.OrgID) domain.Org {
	t.Helper()
	o, err := store.OrgByID(ctx, w.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// signIn opens a browser session for one of the world's accounts, with
// the second factor where its role demands one.
func (w *orgWorld) signIn(t *testing.T, name string) *browser {
	t.Helper()
	b := w.browser(t)
	if info, _ := authz.Role(worldRoles[name][0]); info.NeedsMFA {
		b.loginAdmin(name, adminSecret)
		return b
	}
	if r := b.login(name, goodPassword); r.StatusCode != http.StatusSeeOther || r.location() != "/" {
		t.Fatalf("sign-in of %s: %d %s", name, r.StatusCode, r.location())
	}
	return b
}

// token is an API token of the account, valid for a year so that tests
// may move the clock by weeks.
func (w *orgWorld) token(t *testing.T, name string) string {
	t.Helper()
	if tok, ok := w.tokens[name]; ok {
		return tok
	}
	b := w.signIn(t, name)
	b.get("/account")
	r := b.post("/account/tokens", url.Values{"name": {"矩阵"}, "days": {"365"}})
	tok := between(r.body, `<code class="secret token-value">`, "</code>")
	if !strings.HasPrefix(tok, "gjt_") {
		t.Fatalf("no token for %s:\n%s", name, r.body)
	}
	w.tokens[name] = tok
	return tok
}

// api calls the API with the account's token.
func (w *orgWorld) api(t *testing.T, name, method, path, body string, header ...string) resp {
	t.Helper()
	req, _ := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+w.token(t, name))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return w.browser(t).do(req)
}

// upload posts a multipart form with one file, as a browser does.
func (b *browser) upload(path string, fields url.Values, field, name string, data []byte) resp {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if !fields.Has("csrf") {
		fields.Set("csrf", b.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}
