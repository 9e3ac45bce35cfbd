package service_test

import (
	"slices"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// The clock of newWorld stands at 29 November 2026 (Beijing): the current
// month is 2026-11.

// duesMember registers a member of village V placed in mobile branch MB.
func (w *world) duesMember(t *testing.T, name string, status domain.MemberStatus, joined domain.Date) domain.PersonID {
	t.Helper()
	p, err := w.svc.CreatePerson(ctx, authz.System, service.NewPerson{Name: name, OriginOrgID: w.orgs["V"].ID,
		Membership: &domain.Membership{Status: status, JoinedOn: joined, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) standard(t *testing.T, who string, p domain.PersonID, from domain.Month, b domain.DuesBasis, income domain.Money) domain.DuesStandard {
	t.Helper()
	st, err := w.svc.SetDuesStandard(ctx, w.actor(t, who), p, service.DuesStandardInput{From: from, Basis: b, Income: income})
	if err != nil {
		t.Fatalf("standard %s from %s: %v", b, from, err)
	}
	return st
}

// duesWorld is the world with a full member, 单雄信, paying by wage
// since January 2026, and the mobile secretary who collects.
func duesWorld(t *testing.T, db *store.DB) (*world, domain.PersonID, *authz.Actor) {
	w := newWorld(t, db)
	p := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
	w.standard(t, "mobile", p, 202601, domain.DuesWage, 800000)
	return w, p, w.actor(t, "mobile")
}

func pay(months ...domain.Month) service.DuesPaymentInput {
	return service.DuesPaymentInput{Months: months, Channel: domain.PayWeChat, PaidOn: domain.NewDate(2026, 11, 20), Side: domain.SideMobile}
}

func money(m domain.Money) *domain.Money { return &m }

func TestDuesStandardBandsThroughTheService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		cases := []struct {
			basis  domain.DuesBasis
			income domain.Money
			want   domain.Money
		}{
			{domain.DuesWage, 300000, 1500},   // ¥3,000: 0.5%, the upper bound inclusive
			{domain.DuesWage, 300001, 3000},   // one fen more: 1%
			{domain.DuesWage, 500000, 5000},   // ¥5,000: 1%
			{domain.DuesWage, 500001, 7500},   // 1.5%
			{domain.DuesWage, 1000000, 15000}, // ¥10,000: 1.5%
			{domain.DuesWage, 1000001, 20000}, // 2%
			{domain.DuesRetiree, 500000, 2500},
			{domain.DuesRetiree, 500001, 5000},
			{domain.DuesFarmer, 0, 50},
			{domain.DuesStudent, 0, 20},
			{domain.DuesUnemployed, 0, 20},
		}
		for i, c := range cases {
			from := domain.NewMonth(2025, time.Month(i+1))
			if st := w.standard(t, "mobile", p, from, c.basis, c.income); st.Amount != c.want {
				t.Errorf("%s %d: %d fen, want %d", c.basis, c.income, st.Amount, c.want)
			}
		}
		d, err := w.svc.MemberDues(ctx, w.actor(t, "home"), p)
		if err != nil || len(d.Standards) != len(cases) || d.Current == nil || d.Current.Amount != 20 {
			t.Fatalf("member dues: %+v %v", d.Current, err)
		}
		// A correction replaces the standard of the same month.
		w.standard(t, "mobile", p, 202511, domain.DuesWage, 450000)
		d, _ = w.svc.MemberDues(ctx, w.actor(t, "home"), p)
		if len(d.Standards) != len(cases) || d.Current.Amount != 4500 {
			t.Fatalf("after correction: %d standards, current %d", len(d.Standards), d.Current.Amount)
		}
		// An income change from the month the new pay starts.
		w.standard(t, "mobile", p, 202608, domain.DuesWage, 800000)
		d, _ = w.svc.MemberDues(ctx, w.actor(t, "home"), p)
		if july, _ := domain.StandardFor(d.Standards, 202607); july.Amount != 4500 || d.Current.Amount != 12000 {
			t.Fatalf("income change: July %d, now %d", july.Amount, d.Current.Amount)
		}
		mobile := w.actor(t, "mobile")
		for _, bad := range []struct {
			in    service.DuesStandardInput
			msgID string
		}{
			{service.DuesStandardInput{From: 202611, Basis: "salary", Income: 100}, "dues.basis_invalid"},
			{service.DuesStandardInput{From: 202611, Basis: domain.DuesWage}, "dues.income_required"},
			{service.DuesStandardInput{From: 202611, Basis: domain.DuesWage, Income: -1}, "dues.income_invalid"},
			{service.DuesStandardInput{From: 202613, Basis: domain.DuesWage, Income: 100}, "dues.month_invalid"},
			{service.DuesStandardInput{From: 202712, Basis: domain.DuesWage, Income: 100}, "dues.from_too_late"},
		} {
			_, err := w.svc.SetDuesStandard(ctx, mobile, p, bad.in)
			wantCode(t, err, domain.CodeInvalid, bad.msgID)
		}
	})
}

func TestDuesRulesSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		r := domain.DefaultDuesRules()
		r.Farmer = 20 // a province that sets ¥0.2
		wantCode(t, w.svc.SetDuesRules(ctx, w.actor(t, "mobile"), r), domain.CodeForbidden, "")
		bad := r
		bad.RetainPer100 = 120
		wantCode(t, w.svc.SetDuesRules(ctx, w.actor(t, "county"), bad), domain.CodeInvalid, "dues.retain_invalid")
		if err := w.svc.SetDuesRules(ctx, w.actor(t, "county"), r); err != nil {
			t.Fatal(err)
		}
		if st := w.standard(t, "mobile", p, 202611, domain.DuesFarmer, 0); st.Amount != 20 {
			t.Fatalf("farmer under the new rules: %d", st.Amount)
		}
		acts := auditActions(t, db)
		if !slices.Contains(acts, "dues.rules") {
			t.Fatalf("audit: %v", acts)
		}
	})
}

func TestDuesPaymentRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		w.standard(t, "mobile", p, 202501, domain.DuesWage, 800000) // ¥120.00 a month
		mobile := w.actor(t, "mobile")
		refuse := func(in service.DuesPaymentInput, code domain.Code, msgID string) {
			t.Helper()
			_, err := w.svc.RecordDues(ctx, mobile, p, in)
			wantCode(t, err, code, msgID)
		}
		refuse(pay(202612), domain.CodeInvalid, "dues.month_future")
		refuse(pay(), domain.CodeInvalid, "dues.months_required")
		refuse(pay(202512, 202513, 202601), domain.CodeInvalid, "dues.month_invalid")
		in := pay(202611)
		in.Channel = "cheque"
		refuse(in, domain.CodeInvalid, "dues.channel_invalid")
		in = pay(202611)
		in.PaidOn = domain.NewDate(2026, 11, 30)
		refuse(in, domain.CodeInvalid, "dues.paid_on_invalid")

		got, err := w.svc.RecordDues(ctx, mobile, p, pay(202611))
		if err != nil || len(got) != 1 || got[0].Amount != 12000 || got[0].Retained != 6000 || got[0].OrgID != w.orgs["MB"].ID {
			t.Fatalf("payment %+v %v", got, err)
		}
		refuse(pay(202611), domain.CodeConflict, "dues.month_paid")

		// Back-pay reaches six months back (May); June to October at once.
		if got, err := w.svc.RecordDues(ctx, mobile, p, pay(202606, 202607, 202608)); err != nil || len(got) != 3 {
			t.Fatalf("a quarter at once: %v %v", got, err)
		}
		if _, err := w.svc.RecordDues(ctx, mobile, p, pay(202605)); err != nil {
			t.Fatalf("six months back: %v", err)
		}
		refuse(pay(202604), domain.CodeRule, "dues.backpay_limit")
		old := pay(202604)
		old.BackPay = "本人在外地住院，支部同意补交"
		if _, err := w.svc.RecordDues(ctx, mobile, p, old); err != nil {
			t.Fatalf("back-pay with the secretary's reason: %v", err)
		}

		// Below the standard only with a hardship approval.
		low := pay(202609)
		low.Amount = money(5000)
		refuse(low, domain.CodeRule, "dues.below_standard")
		low.Hardship = "2026-09-03 支部委员会、流动党委批准减半"
		if got, err := w.svc.RecordDues(ctx, mobile, p, low); err != nil || got[0].Amount != 5000 || got[0].Standard != 12000 {
			t.Fatalf("hardship: %+v %v", got, err)
		}

		// A voluntary extra of ¥1,000 or more goes wholly to the Centre.
		extra := pay(202610)
		extra.Amount = money(12000 + domain.CentreOneOff)
		if got, err := w.svc.RecordDues(ctx, mobile, p, extra); err != nil || got[0].Retained != 6000 {
			t.Fatalf("one-off extra: %+v %v", got, err)
		}

		// Nothing is half done: a batch with one paid month records none.
		refuse(pay(202603, 202611), domain.CodeRule, "dues.backpay_limit")
		old = pay(202603, 202611)
		old.BackPay = "补交"
		refuse(old, domain.CodeConflict, "dues.month_paid")
		d, err := w.svc.MemberDues(ctx, mobile, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Payments) != 8 || slices.ContainsFunc(d.Payments, func(x domain.DuesPayment) bool { return x.Month == 202603 }) {
			t.Fatalf("payments after refusals: %d", len(d.Payments))
		}

		// Paying is contact: the member's last contact moves to the day paid.
		cs, err := store.Contacts(ctx, db.Read(), p, 20)
		if err != nil || len(cs) == 0 || cs[0].Channel != "dues" || !cs[0].Reached || cs[0].On != domain.NewDate(2026, 11, 20) {
			t.Fatalf("contacts %+v %v", cs, err)
		}
		row, _ := store.PersonByID(ctx, db.Read(), p)
		if row.Membership.LastContactOn != domain.NewDate(2026, 11, 20) {
			t.Fatalf("last contact %s", row.Membership.LastContactOn)
		}
	})
}

func TestDuesBeforeAdmissionAndNonMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.duesMember(t, "张丽", domain.StatusProbationary, domain.NewDate(2026, 6, 15))
		mobile := w.actor(t, "mobile")
		_, err := w.svc.SetDuesStandard(ctx, mobile, p, service.DuesStandardInput{From: 202605, Basis: domain.DuesWage, Income: 400000})
		wantCode(t, err, domain.CodeRule, "dues.before_admission")
		w.standard(t, "mobile", p, 202606, domain.DuesWage, 400000)
		in := pay(202605)
		_, err = w.svc.RecordDues(ctx, mobile, p, in)
		wantCode(t, err, domain.CodeRule, "dues.before_admission")
		if _, err := w.svc.RecordDues(ctx, mobile, p, pay(202606)); err != nil {
			t.Fatalf("the month of admission: %v", err)
		}
		applicant, err := w.svc.CreatePerson(ctx, authz.System, service.NewPerson{Name: "王强", OriginOrgID: w.orgs["V"].ID,
			Membership: &domain.Membership{Status: domain.StatusActivist, HomeOrgID: w.orgs["V"].ID, MobileOrgID: w.orgs["MB"].ID}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.SetDuesStandard(ctx, mobile, applicant, service.DuesStandardInput{From: 202611, Basis: domain.DuesStudent})
		wantCode(t, err, domain.CodeRule, "dues.not_member")
	})
}

func TestDuesClosedMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, p, mobile := duesWorld(t, db)
		wantCode(t, w.svc.CloseDuesMonth(ctx, mobile, w.orgs["M"].ID, 202612), domain.CodeInvalid, "dues.close_future")
		wantCode(t, w.svc.CloseDuesMonth(ctx, w.actor(t, "host"), w.orgs["M"].ID, 202609), domain.CodeForbidden, "")
		wantCode(t, w.svc.CloseDuesMonth(ctx, mobile, w.orgs["V"].ID, 202609), domain.CodeNotFound, "")
		if err := w.svc.CloseDuesMonth(ctx, mobile, w.orgs["M"].ID, 202609); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.CloseDuesMonth(ctx, mobile, w.orgs["M"].ID, 202609), domain.CodeConflict, "dues.month_already_closed")
		// M closed September: its branch MB collects nothing for it, and a
		// batch holding September records no month at all.
		_, err := w.svc.RecordDues(ctx, mobile, p, pay(202608, 202609))
		wantCode(t, err, domain.CodeRule, "dues.month_closed")
		// The home organization has not closed September.
		home := pay(202609)
		home.Side = domain.SideOrigin
		if _, err := w.svc.RecordDues(ctx, w.actor(t, "home"), p, home); err != nil {
			t.Fatalf("home collects September: %v", err)
		}
		d, _ := w.svc.MemberDues(ctx, mobile, p)
		if len(d.Payments) != 1 || d.Payments[0].Side != domain.SideOrigin || d.Payments[0].OrgID != w.orgs["V"].ID {
			t.Fatalf("payments %+v", d.Payments)
		}
		od, err := w.svc.OrgDues(ctx, mobile, w.orgs["MB"].ID, service.OrgDuesQuery{})
		if err != nil || od.Columns[8].Closed != w.orgs["M"].Name || od.Columns[7].Closed != "" {
			t.Fatalf("columns: %+v %v", od.Columns[7:9], err)
		}
		acts := auditActions(t, db)
		if !slices.Contains(acts, "dues.close") {
			t.Fatalf("audit %v", acts)
		}
	})
}

func TestDuesArrearsAndTheSixMonthFlag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		six := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		five := w.duesMember(t, "张丽", domain.StatusFull, domain.NewDate(2001, 7, 1))
		paid := w.duesMember(t, "王强", domain.StatusFull, domain.NewDate(2001, 7, 1))
		w.standard(t, "mobile", six, 202605, domain.DuesWage, 400000)  // May to October unpaid: six complete months
		w.standard(t, "mobile", five, 202606, domain.DuesWage, 400000) // June to October: five
		w.standard(t, "mobile", paid, 202601, domain.DuesWage, 400000)
		mobile := w.actor(t, "mobile")
		var all []domain.Month
		for m := domain.Month(202606); m <= 202611; m = m.Add(1) {
			all = append(all, m)
		}
		if _, err := w.svc.RecordDues(ctx, mobile, paid, pay(all...)); err != nil {
			t.Fatal(err)
		}
		d, err := w.svc.MemberDues(ctx, mobile, six)
		if err != nil || d.Standing.Owed != 7 || d.Standing.Streak != 6 || !d.Standing.Lapsed || d.Owed != 7*4000 || len(d.Unpaid) != 7 {
			t.Fatalf("six: %+v owed %d %v", d.Standing, d.Owed, err)
		}
		d, _ = w.svc.MemberDues(ctx, mobile, five)
		if d.Standing.Owed != 6 || d.Standing.Streak != 5 || d.Standing.Lapsed {
			t.Fatalf("five: %+v", d.Standing)
		}
		d, _ = w.svc.MemberDues(ctx, mobile, paid)
		if d.Standing.Owed != 5 || d.Standing.Streak != 0 || d.Standing.Lapsed { // January to May were never paid
			t.Fatalf("paid: %+v", d.Standing)
		}
		od, err := w.svc.OrgDues(ctx, mobile, w.orgs["M"].ID, service.OrgDuesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if od.Members != 3 || od.Due != 3 || od.Paid != 1 || od.Unpaid != 2 || od.Arrears != 3 || len(od.Lapsed) != 1 || od.Lapsed[0].PersonID != six {
			t.Fatalf("org dues: members %d due %d paid %d unpaid %d arrears %d lapsed %d", od.Members, od.Due, od.Paid, od.Unpaid, od.Arrears, len(od.Lapsed))
		}
		if od.Collected != 6*4000 || od.Retained != 6*2000 || od.Columns[10].Amount != 4000 || od.Columns[10].Retained != 2000 {
			t.Fatalf("totals: %d %d %+v", od.Collected, od.Retained, od.Columns[10])
		}
		unpaid, _ := w.svc.OrgDues(ctx, mobile, w.orgs["M"].ID, service.OrgDuesQuery{Filter: service.DuesUnpaid})
		lapsed, _ := w.svc.OrgDues(ctx, mobile, w.orgs["M"].ID, service.OrgDuesQuery{Filter: service.DuesLapsed})
		if unpaid.Total != 2 || lapsed.Total != 1 || len(lapsed.Rows) != 1 || len(lapsed.Rows[0].Cells) != 12 {
			t.Fatalf("filters: unpaid %d lapsed %d", unpaid.Total, lapsed.Total)
		}
		cells := lapsed.Rows[0].Cells
		if cells[3].State != "none" || cells[4].State != "unpaid" || cells[11].State != "future" {
			t.Fatalf("cells %+v", cells)
		}

		// The check tells the mobile secretary (at M, above MB) and the
		// home secretary (at V), once per member and month.
		res, err := w.svc.CheckDuesLapses(ctx, w.svc.Today())
		if err != nil || res.Lapsed != 1 || res.Told != 1 {
			t.Fatalf("check: %+v %v", res, err)
		}
		if _, err := w.svc.CheckDuesLapses(ctx, w.svc.Today()); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"mobile", "home"} {
			ns, _ := store.Notifications(ctx, db.Read(), w.accounts[who], 0, 10)
			if len(ns) != 1 || ns[0].MsgID != "dues.notice.lapsed" || ns[0].Kind != "dues_lapse" {
				t.Fatalf("%s notices %+v", who, ns)
			}
		}
		if ns, _ := store.Notifications(ctx, db.Read(), w.accounts["host"], 0, 10); len(ns) != 0 {
			t.Fatalf("the host side is told: %+v", ns)
		}
		// In December the five-month member reaches six, and both are told
		// again for the new month.
		w.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, domain.China))
		if res, _ := w.svc.CheckDuesLapses(ctx, w.svc.Today()); res.Lapsed != 2 {
			t.Fatalf("December: %+v", res)
		}
		if ns, _ := store.Notifications(ctx, db.Read(), w.accounts["mobile"], 0, 10); len(ns) != 3 {
			t.Fatalf("December notices: %d", len(ns))
		}
	})
}

func TestDuesScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		p := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		w.standard(t, "home", p, 202601, domain.DuesWage, 400000)
		host := w.actor(t, "host")
		if _, err := w.svc.Person(ctx, host, p); err != nil {
			t.Fatalf("the host sees the member: %v", err)
		}
		_, err := w.svc.MemberDues(ctx, host, p)
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = w.svc.OrgDues(ctx, host, w.orgs["M"].ID, service.OrgDuesQuery{})
		wantCode(t, err, domain.CodeForbidden, "")
		_, err = w.svc.OrgDues(ctx, w.actor(t, "mobile"), w.orgs["V"].ID, service.OrgDuesQuery{})
		wantCode(t, err, domain.CodeNotFound, "")
		_, err = w.svc.RecordDues(ctx, w.actor(t, "member"), p, pay(202611))
		wantCode(t, err, domain.CodeNotFound, "")

		// Each side collects at its own organization only, and a refusal
		// is audited.
		_, err = w.svc.RecordDues(ctx, w.actor(t, "home"), p, pay(202611))
		wantCode(t, err, domain.CodeForbidden, "")
		atHome := pay(202611)
		atHome.Side = domain.SideOrigin
		_, err = w.svc.RecordDues(ctx, w.actor(t, "mobile"), p, atHome)
		wantCode(t, err, domain.CodeForbidden, "")
		entries, _ := store.ListAudit(ctx, db.Read(), store.AuditFilter{Limit: 5})
		if entries[0].Action != "dues.pay" || entries[0].Outcome != "denied" {
			t.Fatalf("refusal not audited: %+v", entries[0])
		}
		if got, err := w.svc.RecordDues(ctx, w.actor(t, "home"), p, atHome); err != nil || got[0].OrgID != w.orgs["V"].ID {
			t.Fatalf("home collects: %v", err)
		}
		d, err := w.svc.MemberDues(ctx, w.actor(t, "home"), p)
		if err != nil || len(d.Collectors) != 1 || d.Collectors[0].ID != w.orgs["V"].ID {
			t.Fatalf("home collectors %+v %v", d.Collectors, err)
		}
		d, _ = w.svc.MemberDues(ctx, w.actor(t, "county"), p)
		if len(d.Collectors) != 2 {
			t.Fatalf("county collectors %+v", d.Collectors)
		}

		// No agreement capability carries dues, not even the funds one.
		m := w.orgs["M"]
		all := &authz.Actor{AccountID: 99, Reach: []authz.Reach{{Role: authz.RoleHostOfficer, OrgID: m.ID, Path: m.Path, Side: domain.SideMobile,
			Agreement: 1, Caps: domain.Capabilities()}}}
		for _, perm := range []authz.Perm{authz.DuesRead, authz.DuesCollect, authz.DuesRules} {
			if all.CanAt(perm, authz.Target{ID: m.ID, Path: m.Path, Side: m.Side}).Allowed {
				t.Errorf("an agreement grants %s", perm)
			}
		}

		// A member sees their own dues.
		acc, err := w.svc.BootstrapAccount(ctx, service.NewAccount{Name: "shan", DisplayName: "单雄信", Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.BootstrapGrant(ctx, acc, authz.RoleMember, w.orgs["MB"].Name); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error { return store.SetAccountPerson(ctx, tx, acc, p) }); err != nil {
			t.Fatal(err)
		}
		own, err := w.svc.ActorFor(ctx, acc)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := w.svc.OwnDues(ctx, own)
		if err != nil || mine.Person.ID != p || mine.Current == nil || mine.Current.Amount != 4000 || len(mine.Payments) != 1 {
			t.Fatalf("own dues %+v %v", mine, err)
		}
		_, err = w.svc.MemberDues(ctx, own, p)
		wantCode(t, err, domain.CodeNotFound, "")
	})
}

func TestDuesYearlyRenewal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.duesMember(t, "单雄信", domain.StatusFull, domain.NewDate(2001, 7, 1))
		b := w.duesMember(t, "张丽", domain.StatusFull, domain.NewDate(2001, 7, 1))
		none := w.duesMember(t, "王强", domain.StatusFull, domain.NewDate(2001, 7, 1))
		w.standard(t, "mobile", a, 202601, domain.DuesWage, 300000)
		w.standard(t, "mobile", a, 202608, domain.DuesWage, 400000) // the last declaration
		w.standard(t, "mobile", b, 202603, domain.DuesRetiree, 600000)
		w.standard(t, "mobile", b, 202701, domain.DuesRetiree, 450000) // already declared for next year
		r := domain.DefaultDuesRules()
		r.Wage[1].Rate = 120 // the county changes the second band to 1.2%
		if err := w.svc.SetDuesRules(ctx, w.actor(t, "county"), r); err != nil {
			t.Fatal(err)
		}
		n, err := w.svc.RenewDuesStandards(ctx, 2027)
		if err != nil || n != 1 {
			t.Fatalf("renewed %d, %v", n, err)
		}
		if n, _ := w.svc.RenewDuesStandards(ctx, 2027); n != 0 {
			t.Fatalf("a second run renewed %d", n)
		}
		w.clock.Set(time.Date(2027, 1, 1, 8, 0, 0, 0, domain.China))
		if res, err := w.svc.RunDuesYear(ctx); err != nil || res != "renewed=0" {
			t.Fatalf("job: %q %v", res, err)
		}
		d, _ := w.svc.MemberDues(ctx, w.actor(t, "county"), a)
		if d.Current == nil || d.Current.From != 202701 || d.Current.Income != 400000 || d.Current.Amount != 4800 || d.Current.SetBy != "system" {
			t.Fatalf("renewed standard %+v", d.Current)
		}
		d, _ = w.svc.MemberDues(ctx, w.actor(t, "county"), b)
		if d.Current.Amount != 2250 || len(d.Standards) != 2 {
			t.Fatalf("declared standard kept: %+v", d.Current)
		}
		d, _ = w.svc.MemberDues(ctx, w.actor(t, "county"), none)
		if len(d.Standards) != 0 {
			t.Fatal("a member without a declaration got a standard")
		}
		if acts := auditActions(t, db); slices.Index(acts, "dues.renew") < 0 {
			t.Fatalf("audit %v", acts)
		}
	})
}

// A payment racing a closing of its month waits for it and is refused:
// read before the closing committed, "not closed" would have let it in.
func TestDuesPaymentWaitsForAClosing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, p, mobile := duesWorld(t, db)
		closing, release, closed := make(chan int, 1), make(chan struct{}), make(chan error, 1)
		go func() {
			closed <- db.Tx(ctx, func(tx store.Tx) error {
				pid := 0
				if tx.Dialect() == store.Postgres {
					if err := tx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
						return err
					}
				}
				if err := store.LockDuesClosing(ctx, tx, w.orgs["M"].ID); err != nil {
					return err
				}
				if err := store.CloseDuesMonth(ctx, tx, w.orgs["M"].ID, 202609, "test", w.clock.Now()); err != nil {
					return err
				}
				closing <- pid
				<-release
				return nil
			})
		}()
		pid := <-closing
		waits := db.Stats().WaitCount
		paid := make(chan error, 1)
		go func() {
			_, err := w.svc.RecordDues(ctx, mobile, p, pay(202609))
			paid <- err
		}()
		// Let the closing commit once the payment has read what it reads
		// before waiting: it waits on the closing's lock (PostgreSQL) or
		// for the one write connection (SQLite), unless it did not wait.
		var err error
		for done := false; !done; {
			select {
			case err = <-paid: // it did not wait: the closing is still open
				done = true
			default:
				if blockedBy(t, db, pid) || db.Dialect() == store.SQLite && db.Stats().WaitCount > waits {
					close(release)
					release, err, done = nil, <-paid, true
				} else {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}
		if release != nil {
			close(release)
		}
		if cerr := <-closed; cerr != nil {
			t.Fatal(cerr)
		}
		wantCode(t, err, domain.CodeRule, "dues.month_closed")
	})
}

// blockedBy says whether a PostgreSQL backend waits for a lock that the
// backend pid holds.
func blockedBy(t *testing.T, db *store.DB, pid int) bool {
	if pid == 0 {
		return false
	}
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}
