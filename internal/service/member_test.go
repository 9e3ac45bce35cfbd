package service_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// shanID is 单雄信's ID number in world.people.
const shanID = "11010519491231002X"

// linkedMember makes the world's people and links the "member" account
// (member role at MB) to 单雄信, placed in MB with home branch V.
func (w *world) linkedMember(t *testing.T) (member, worker domain.PersonID) {
	t.Helper()
	member, worker = w.people(t)
	if _, err := w.svc.LinkPerson(ctx, w.actor(t, "secofficer"), w.accounts["member"], shanID); err != nil {
		t.Fatal(err)
	}
	return member, worker
}

func TestLinkPersonByIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t)
		sec, acc := w.actor(t, "secofficer"), w.accounts["member"]

		// Before the link: no own record, even for the member role.
		_, err := w.svc.OwnPerson(ctx, w.actor(t, "member"))
		wantCode(t, err, domain.CodeNotFound, "")

		// Only the security officer links; the refusal is audited.
		_, err = w.svc.LinkPerson(ctx, w.actor(t, "county"), acc, shanID)
		wantCode(t, err, domain.CodeForbidden, "")
		// A malformed number, an unknown one and a worker's are refused
		// on the field.
		_, err = w.svc.LinkPerson(ctx, sec, acc, "110105194912310021")
		wantCode(t, err, domain.CodeInvalid, "")
		_, err = w.svc.LinkPerson(ctx, sec, acc, "320724199003154027")
		wantCode(t, err, domain.CodeInvalid, "account.person_unknown")

		p, err := w.svc.LinkPerson(ctx, sec, acc, " "+strings.ToLower(shanID)+" ")
		if err != nil || p.ID != member || p.IDNumber != "110105********002X" {
			t.Fatalf("link: %+v %v", p, err)
		}
		own, err := w.svc.OwnPerson(ctx, w.actor(t, "member"))
		if err != nil || own.ID != member || own.Name != "单雄信" {
			t.Fatalf("own record: %+v %v", own, err)
		}
		linked, err := w.svc.LinkedPerson(ctx, sec, acc)
		if err != nil || linked.ID != member {
			t.Fatalf("linked: %+v %v", linked, err)
		}

		// The same record for a second account is a conflict naming the first.
		other := w.account(t, "other", authz.RoleMember)
		_, err = w.svc.LinkPerson(ctx, sec, other, shanID)
		wantCode(t, err, domain.CodeConflict, "account.person_taken")
		if e := domain.AsError(err); e.Args["Account"] != "member" || e.Field != "id_number" {
			t.Errorf("conflict: %+v", e)
		}

		if err := w.svc.UnlinkPerson(ctx, sec, acc); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.OwnPerson(ctx, w.actor(t, "member"))
		wantCode(t, err, domain.CodeNotFound, "")
		if _, err := w.svc.LinkPerson(ctx, sec, other, shanID); err != nil {
			t.Fatalf("link after unlink: %v", err)
		}
		if err := w.svc.UnlinkPerson(ctx, w.actor(t, "county"), other); err == nil {
			t.Fatal("the county unlinked an account")
		}

		acts := auditActions(t, db)
		for _, want := range []string{"account.link_person", "account.unlink_person"} {
			if !slices.Contains(acts, want) {
				t.Errorf("no %s in the audit log: %v", want, acts)
			}
		}
		denied, err := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range denied {
			if e.Outcome == "denied" && strings.HasSuffix(e.Action, "link_person") {
				n++
			}
			if strings.Contains(e.Detail, shanID) {
				t.Errorf("the audit log holds the clear ID number: %s %s", e.Action, e.Detail)
			}
		}
		if n != 2 {
			t.Errorf("%d refused links audited, want 2", n)
		}
	})
}

func TestOwnPersonNeedsMemberRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.people(t)
		// Linked in the store, as the demo links its member account, but
		// on an account without the member role: no own record.
		if err := db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, w.accounts["county"], member) }); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.OwnPerson(ctx, w.actor(t, "county"))
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = w.svc.OwnPerson(ctx, nil)
		wantCode(t, err, domain.CodeNotFound, "")
		if err := db.Tx(ctx, func(tx store.Tx) error {
			if err := store.SetAccountPerson(ctx, tx, w.accounts["county"], 0); err != nil {
				return err
			}
			return store.SetAccountPerson(ctx, tx, w.accounts["member"], member)
		}); err != nil {
			t.Fatal(err)
		}
		if p, err := w.svc.OwnPerson(ctx, w.actor(t, "member")); err != nil || p.ID != member {
			t.Fatalf("store-linked member: %+v %v", p, err)
		}
	})
}

func TestCertificateIssueRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, worker := w.people(t)
		home, county := w.actor(t, "home"), w.actor(t, "county")
		today := w.svc.Today() // 2026-11-29
		good := service.NewCertificate{Number: " gn-2026-0001 ", From: today, To: today.AddMonths(12)}

		for _, c := range []struct {
			in    service.NewCertificate
			field string
			msg   string
		}{
			{service.NewCertificate{From: today, To: today.AddDays(30)}, "number", "certificate.number_required"},
			{service.NewCertificate{Number: "GN 1", From: today, To: today.AddDays(30)}, "number", "certificate.number_format"},
			{service.NewCertificate{Number: "-GN2026", From: today, To: today.AddDays(30)}, "number", "certificate.number_format"},
			{service.NewCertificate{Number: "GN-2026-0001", To: today}, "valid_from", "certificate.from_required"},
			{service.NewCertificate{Number: "GN-2026-0001", From: today}, "valid_to", "certificate.to_required"},
			{service.NewCertificate{Number: "GN-2026-0001", From: today, To: today}, "valid_to", "certificate.to_before_from"},
			{service.NewCertificate{Number: "GN-2026-0001", From: today, To: today.AddMonths(12).AddDays(1)}, "valid_to", "certificate.too_long"},
		} {
			err := w.svc.IssueCertificate(ctx, home, member, c.in)
			wantCode(t, err, domain.CodeInvalid, c.msg)
			if f := domain.AsError(err).Field; f != c.field {
				t.Errorf("%s: field %q, want %q", c.msg, f, c.field)
			}
		}
		// The mobile side sees the member but does not issue; the host
		// does not see the member at all; a worker has no certificate.
		err := w.svc.IssueCertificate(ctx, w.actor(t, "mobile"), member, good)
		wantCode(t, err, domain.CodeForbidden, "certificate.home_only")
		err = w.svc.IssueCertificate(ctx, w.actor(t, "member"), member, good)
		wantCode(t, err, domain.CodeNotFound, "")
		err = w.svc.IssueCertificate(ctx, county, worker, good)
		wantCode(t, err, domain.CodeRule, "certificate.not_member")

		if err := w.svc.IssueCertificate(ctx, home, member, good); err != nil {
			t.Fatal(err)
		}
		p, _ := w.svc.Person(ctx, county, member)
		if m := p.Membership; m.CertificateNo != "GN-2026-0001" || m.CertificateFrom != today || m.CertificateTo.String() != "2027-11-29" {
			t.Fatalf("certificate stored: %+v", m)
		}
		hist, _ := w.svc.PersonHistory(ctx, county, member)
		if len(hist) == 0 || hist[0].Kind != "certificate_issued" || !strings.Contains(hist[0].Detail, "GN-2026-0001") || hist[0].ActorName != "home" {
			t.Errorf("history: %+v", hist)
		}
		if acts := auditActions(t, db); !slices.Contains(acts, "person.certificate") {
			t.Errorf("audit: %v", acts)
		}

		// The number belongs to one member; a stale form is a conflict.
		other, err := w.svc.CreatePerson(ctx, county, service.NewPerson{Name: "王五", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID}})
		if err != nil {
			t.Fatal(err)
		}
		err = w.svc.IssueCertificate(ctx, home, other, good)
		wantCode(t, err, domain.CodeConflict, "certificate.number_taken")
		stale := good
		stale.Version = 1
		err = w.svc.IssueCertificate(ctx, home, member, stale)
		wantCode(t, err, domain.CodeConflict, "error.stale")

		// The maximum is data: a county may allow two years.
		long := service.NewCertificate{Number: "GN-2026-0002", From: today, To: today.AddMonths(24)}
		wantCode(t, w.svc.IssueCertificate(ctx, home, other, long), domain.CodeInvalid, "certificate.too_long")
		if err := w.svc.SetCertificatePolicy(ctx, home, service.CertificatePolicy{MaxMonths: 24}); err == nil {
			t.Fatal("a secretary changed the policy")
		}
		wantCode(t, w.svc.SetCertificatePolicy(ctx, w.actor(t, "secofficer"), service.CertificatePolicy{MaxMonths: 0}), domain.CodeInvalid, "certificate.policy_invalid")
		if err := w.svc.SetCertificatePolicy(ctx, w.actor(t, "secofficer"), service.CertificatePolicy{MaxMonths: 24}); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.IssueCertificate(ctx, home, other, long); err != nil {
			t.Fatalf("two-year certificate under the new policy: %v", err)
		}
	})
}

func TestCertificateToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, _ := w.linkedMember(t)
		home := w.actor(t, "home")
		today := w.svc.Today()
		if err := w.svc.IssueCertificate(ctx, home, member, service.NewCertificate{Number: "GN-2026-0001", From: today, To: today.AddMonths(6)}); err != nil {
			t.Fatal(err)
		}
		own, err := w.svc.OwnCertificate(ctx, w.actor(t, "member"))
		if err != nil || own.Token == "" || own.Person.ID != member {
			t.Fatalf("own certificate: %+v %v", own, err)
		}
		official, err := w.svc.Certificate(ctx, home, member)
		if err != nil || official.Token != own.Token || !official.CanIssue {
			t.Fatalf("official's view: %+v %v", official, err)
		}
		if c, _ := w.svc.Certificate(ctx, w.actor(t, "mobile"), member); c.CanIssue {
			t.Error("the mobile side may issue")
		}
		// The token names no one.
		for _, s := range []string{"单雄信", shanID, "13812345678", "shan"} {
			if strings.Contains(own.Token, s) {
				t.Errorf("token holds %q", s)
			}
		}

		c, err := w.svc.VerifyCertificate(ctx, own.Token)
		if err != nil || c.State != service.CertValid || c.Name != "单*信" || c.IDNumber != "110105********002X" ||
			c.HomeOrg != "组织V" || c.MobileOrg != "组织MB" || c.Number != "GN-2026-0001" || c.ValidFrom != today {
			t.Fatalf("valid: %+v %v", c, err)
		}

		// Forged: any change to the token, a truncation, garbage, a token
		// signed with another key.
		raw := []byte(own.Token)
		flipped := append([]byte{}, raw...)
		flipped[3] ^= 1
		forged := []string{string(flipped), own.Token[:len(own.Token)-3], "", "abc", "!!!!", own.Token + "AA"}
		other := newEnv(t, db)
		for _, tok := range forged {
			c, err := w.svc.VerifyCertificate(ctx, tok)
			if err != nil || c.State != service.CertForged || c.Name != "" || c.Number != "" || c.IDNumber != "" {
				t.Errorf("token %q: %+v %v", tok, c, err)
			}
		}
		if c, _ := other.svc.VerifyCertificate(ctx, own.Token); c.State != service.CertForged {
			t.Errorf("another keyring accepted the token: %+v", c)
		}

		// Expired: the clock passes the last day.
		w.clock.Advance(200 * 24 * time.Hour)
		if c, _ := w.svc.VerifyCertificate(ctx, own.Token); c.State != service.CertExpired || c.Name != "单*信" {
			t.Errorf("after expiry: %+v", c)
		}

		// Replaced: a renewal changes the validity, a new number too.
		if err := w.svc.IssueCertificate(ctx, home, member, service.NewCertificate{Number: "GN-2027-0001", From: w.svc.Today(),
			To: w.svc.Today().AddMonths(12)}); err != nil {
			t.Fatal(err)
		}
		if c, _ := w.svc.VerifyCertificate(ctx, own.Token); c.State != service.CertReplaced || c.Number != "GN-2026-0001" {
			t.Errorf("after renewal: %+v", c)
		}
		renewed, _ := w.svc.OwnCertificate(ctx, w.actor(t, "member"))
		if c, _ := w.svc.VerifyCertificate(ctx, renewed.Token); c.State != service.CertValid || c.Number != "GN-2027-0001" {
			t.Errorf("renewed: %+v", c)
		}

		// Another person's token does not open this one's record: the
		// id is under the signature.
		lisi, err := w.svc.CreatePerson(ctx, w.actor(t, "county"), service.NewPerson{Name: "李四", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusFull, HomeOrgID: w.orgs["V"].ID}})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.IssueCertificate(ctx, home, lisi, service.NewCertificate{Number: "GN-2027-0002", From: w.svc.Today(),
			To: w.svc.Today().AddMonths(3)}); err != nil {
			t.Fatal(err)
		}
		lc, _ := w.svc.Certificate(ctx, home, lisi)
		if c, _ := w.svc.VerifyCertificate(ctx, lc.Token); c.State != service.CertValid || c.Name != "李*" {
			t.Errorf("李四's token: %+v", c)
		}
		if lc.Token == renewed.Token {
			t.Error("two people share a token")
		}
	})
}

// inbox counts the notices of one of the world's accounts.
func (w *world) inbox(t *testing.T, name string) []store.Notification {
	t.Helper()
	page, err := w.svc.Inbox(ctx, w.actor(t, name), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return page.Notices
}

func TestReportMove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		member, worker := w.linkedMember(t)
		// Mobile branches in Wuxi (the new city) and Suzhou, each with a
		// secretary.
		for key, region := range map[string]string{"WX": "320214", "SZ": "320505"} {
			id, err := w.svc.BootstrapOrg(ctx, service.NewOrg{Name: "组织" + key, Side: domain.SideMobile, Kind: domain.KindBranch,
				RegionCode: region, ParentID: w.orgs["C"].ID, FoundedOn: domain.NewDate(2010, 1, 1)})
			if err != nil {
				t.Fatal(err)
			}
			o, _ := store.OrgByID(ctx, db.Read(), id)
			w.orgs[key] = o
			acc, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: strings.ToLower(key), Password: goodPassword})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.svc.BootstrapGrant(ctx, acc, authz.RoleMobileSecretary, o.Name); err != nil {
				t.Fatal(err)
			}
			w.accounts[strings.ToLower(key)] = acc
		}
		me := w.actor(t, "member")
		today := w.svc.Today()
		move := service.MoveReport{CityCode: "320200", DistrictCode: "320214", Employer: " 无锡新吴电子厂 ", On: today.AddDays(-3)}

		for _, c := range []struct {
			in  func(m *service.MoveReport)
			msg string
		}{
			{func(m *service.MoveReport) { m.CityCode = "" }, "move.city_required"},
			{func(m *service.MoveReport) { m.Employer = " " }, "move.employer_required"},
			{func(m *service.MoveReport) { m.On = domain.Date{} }, "move.date_required"},
			{func(m *service.MoveReport) { m.On = today.AddDays(1) }, "move.date_future"},
			{func(m *service.MoveReport) { m.DistrictCode = "330106" }, "move.district_outside"},
			{func(m *service.MoveReport) { m.CityCode = "32" }, "org.region_unknown"},
			{func(m *service.MoveReport) { m.EmployerUSCC = "91320214MA1X" }, ""},
		} {
			in := move
			c.in(&in)
			wantCode(t, w.svc.ReportMove(ctx, me, in), domain.CodeInvalid, c.msg)
		}
		// Without a linked record, nothing to move.
		wantCode(t, w.svc.ReportMove(ctx, w.actor(t, "county"), move), domain.CodeNotFound, "")
		if n := len(w.inbox(t, "home")); n != 0 {
			t.Fatalf("refused reports notified: %d", n)
		}

		if err := w.svc.ReportMove(ctx, me, move); err != nil {
			t.Fatal(err)
		}
		p, _ := w.svc.Person(ctx, w.actor(t, "county"), member)
		if p.CityCode != "320200" || p.DistrictCode != "320214" || p.Employer != "无锡新吴电子厂" || p.Membership.LastContactOn != today {
			t.Fatalf("record after the move: %+v %+v", p, p.Membership)
		}
		hist, _ := w.svc.PersonHistory(ctx, w.actor(t, "county"), member)
		if hist[0].Kind != "move_reported" || hist[0].On != move.On || !strings.Contains(hist[0].Detail, `"city_code":"330100"`) ||
			!strings.Contains(hist[0].Detail, `"city_code":"320200"`) {
			t.Errorf("event: %+v", hist[0])
		}
		contacts, err := store.Contacts(ctx, db.Read(), member, 10)
		if err != nil || len(contacts) != 1 || contacts[0].Channel != "self_report" || !contacts[0].Reached || contacts[0].On != today {
			t.Errorf("contact: %+v %v", contacts, err)
		}
		if acts := auditActions(t, db); acts[len(acts)-1] != "person.move_report" {
			t.Errorf("audit: %v", acts[len(acts)-1])
		}

		// Told: the home branch's secretary (not the county above it), the
		// mobile secretary above MB, and Wuxi's; not Suzhou, nor the
		// member, nor anyone else. Sent again, nobody gets it twice.
		if err := w.svc.ReportMove(ctx, me, move); err != nil {
			t.Fatal(err)
		}
		for name := range w.accounts {
			want := 0
			if name == "home" || name == "mobile" || name == "wx" {
				want = 1
			}
			ns := w.inbox(t, name)
			if len(ns) != want {
				t.Errorf("%s has %d notices, want %d", name, len(ns), want)
				continue
			}
			if want == 1 && (ns[0].MsgID != "notice.move_reported" || ns[0].Link != "/people/"+itoa(member) ||
				!strings.Contains(ns[0].Args, "江苏省 无锡市 新吴区") || !strings.Contains(ns[0].Args, "单雄信")) {
				t.Errorf("%s's notice: %+v", name, ns[0])
			}
		}

		// A move within the city tells Wuxi's branch only as the member's
		// own mobile organization would be: here it is still MB, so Wuxi
		// is not told again.
		within := move
		within.DistrictCode, within.Employer = "320211", "滨湖某厂"
		if err := w.svc.ReportMove(ctx, me, within); err != nil {
			t.Fatal(err)
		}
		if n := len(w.inbox(t, "wx")); n != 1 {
			t.Errorf("wuxi told of a move within the city: %d notices", n)
		}
		if n := len(w.inbox(t, "home")); n != 2 {
			t.Errorf("home told %d times, want 2", n)
		}

		// No access widened: the member still sees no one else, and asks
		// for no one else's placements.
		_, err = w.svc.Person(ctx, me, worker)
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = w.svc.SuggestPlacement(ctx, me, member)
		wantCode(t, err, domain.CodeNotFound, "")
		sg, err := w.svc.OwnSuggestions(ctx, me)
		if err != nil || len(sg) == 0 || sg[0].Org.ID != w.orgs["WX"].ID {
			t.Fatalf("own suggestions: %+v %v", sg, err)
		}
		_, err = w.svc.OwnSuggestions(ctx, w.actor(t, "county"))
		wantCode(t, err, domain.CodeNotFound, "")
	})
}

func TestInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		w.linkedMember(t)
		me := w.actor(t, "member")
		for i, day := range []int{-5, -4, -3} {
			in := service.MoveReport{CityCode: "320200", Employer: "厂" + itoa(domain.PersonID(i)), On: w.svc.Today().AddDays(day)}
			if err := w.svc.ReportMove(ctx, me, in); err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(time.Minute)
		}
		home := w.actor(t, "home")
		if n, _ := w.svc.UnreadCount(ctx, home); n != 3 {
			t.Fatalf("unread %d", n)
		}
		first, err := w.svc.Inbox(ctx, home, 0, 2)
		if err != nil || len(first.Notices) != 2 || first.Next == 0 || !strings.Contains(first.Notices[0].Args, "厂2") {
			t.Fatalf("first page: %+v %v", first, err)
		}
		rest, err := w.svc.Inbox(ctx, home, first.Next, 2)
		if err != nil || len(rest.Notices) != 1 || rest.Next != 0 || !strings.Contains(rest.Notices[0].Args, "厂0") {
			t.Fatalf("second page: %+v %v", rest, err)
		}
		// Following one reads it; another account cannot open it.
		_, err = w.svc.OpenNotice(ctx, w.actor(t, "mobile"), first.Notices[0].ID)
		wantCode(t, err, domain.CodeNotFound, "")
		n, err := w.svc.OpenNotice(ctx, home, first.Notices[0].ID)
		if err != nil || n.Link == "" {
			t.Fatalf("open: %+v %v", n, err)
		}
		if n, _ := w.svc.UnreadCount(ctx, home); n != 2 {
			t.Errorf("unread after opening one: %d", n)
		}
		if err := w.svc.MarkRead(ctx, home, 0); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.UnreadCount(ctx, home); n != 0 {
			t.Errorf("unread after marking all: %d", n)
		}
		if n, _ := w.svc.UnreadCount(ctx, w.actor(t, "mobile")); n != 3 {
			t.Errorf("the mobile secretary's inbox changed: %d unread", n)
		}
		_, err = w.svc.Inbox(ctx, nil, 0, 10)
		wantCode(t, err, domain.CodeUnauthorized, "")
	})
}

func itoa(id domain.PersonID) string { return strconv.FormatInt(int64(id), 10) }
