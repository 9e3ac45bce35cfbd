package demo

import (
	"context"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The Guannan scenario. What is real: Guannan County (GB/T 2260 320724)
// and its eleven towns with their township codes, the five host cities
// and their districts, and the story the county reports (14 mobile
// organizations; the Hangzhou one founded as a branch with 13 members in
// 1998 and upgraded to a committee with 158 in April 2010; Suzhou a
// general branch; Qingdao, Wuxi and Shanghai branches). What is invented,
// and marked where it appears: every person, the village names, the host
// streets and communities, the days of the month, the founding dates of
// the origin organizations, and how the fourteen spread over the cities.
//
// The names the tests, the e2e suite and the README rely on.
const (
	orgCounty    = "中共灌南县委员会"
	orgDept      = "中共灌南县委组织部"
	orgXinan     = "中共灌南县新安镇委员会"
	orgDongyuan  = "中共灌南县新安镇东园村支部委员会" // invented village
	orgHangzhou  = "中共灌南县驻杭州流动党委"
	orgHZGongshu = "中共灌南县驻杭州流动党委拱墅支部"
	orgHZXiao    = "中共灌南县驻杭州流动党委萧山支部"
	orgHZYuhang  = "中共灌南县驻杭州流动党委余杭支部"
	orgSuzhou    = "中共灌南县驻苏州流动党总支"
	orgQingdao   = "中共灌南县驻青岛流动党支部"
	orgHuangdao  = "中共灌南县驻青岛黄岛流动党支部"
	orgWuxi      = "中共灌南县驻无锡流动党支部"
	orgXinwu     = "中共灌南县驻无锡新吴流动党支部"
	orgShanghai  = "中共灌南县驻上海流动党支部"
	orgPudong    = "中共灌南县驻上海浦东流动党支部"
	orgMinhang   = "中共灌南县驻上海闵行流动党支部"
	orgKunshan   = "中共灌南县驻昆山流动党支部"

	orgYunhewan  = "中共杭州市拱墅区运河湾街道工作委员会" // invented street
	orgXiaoDept  = "中共杭州市萧山区委组织部"
	orgLiangzhu  = "中共杭州市余杭区良渚湾社区委员会"   // invented community
	orgTaihuwan  = "中共苏州市吴中区太湖湾街道工作委员会" // invented street
	orgWuzhong   = "中共苏州市吴中区委组织部"
	orgKSDept    = "中共昆山市委组织部"
	orgHDDept    = "中共青岛市黄岛区委组织部"
	orgXWDept    = "中共无锡市新吴区委组织部"
	orgMHDept    = "中共上海市闵行区委组织部"
	orgJinqiaowa = "中共上海市浦东新区金桥湾街道工作委员会" // invented street
)

// guannanAccounts is one account per role and side, with invented people.
// The passwords meet the default policy (10+ characters, three classes,
// not common, not containing the login name); the three separated duties
// need a second factor, so their fixed TOTP secrets are printed for
// visitors to add to an authenticator app. The business accounts hold
// officers' seats in the organizations they are granted at (hangzhou is
// the Hangzhou committee's secretary, suzhou the Suzhou general branch's,
// dongyuan the Dongyuan village branch's).
func guannanAccounts() []Account {
	return []Account{
		{Name: "sysadmin", DisplayName: "王建国", Role: authz.RoleSysAdmin, Password: "Demo-Jianguo-2026",
			TOTPSecret: "QFQE23BSQKFF3ZBA4QQ5ZJQEN7RER3BU"},
		{Name: "secofficer", DisplayName: "李秀英", Role: authz.RoleSecOfficer, Password: "Demo-Xiuying-2026",
			TOTPSecret: "CCYXJTHMNUM5IM3QBH7ZGC7IMO3K4NYD"},
		{Name: "auditor", DisplayName: "张志强", Role: authz.RoleAuditor, Password: "Demo-Zhiqiang-2026",
			TOTPSecret: "W6WKUBATKXGQTKQUQ75FSL7UBR6ETEOS"},
		// At the county root, so the county sees the origin and the
		// mobile sides and registers the host counterparties.
		{Name: "county", DisplayName: "陈立新", Role: authz.RoleCountyOfficer, Org: orgCounty, Password: "Demo-Lixin-2026"},
		{Name: "dongyuan", DisplayName: "刘海燕", Role: authz.RoleHomeSecretary, Org: orgDongyuan, Password: "Demo-Haiyan-2026"},
		{Name: "hangzhou", DisplayName: "周长林", Role: authz.RoleMobileSecretary, Org: orgHangzhou, Password: "Demo-Changlin-2026"},
		{Name: "suzhou", DisplayName: "赵国平", Role: authz.RoleMobileSecretary, Org: orgSuzhou, Password: "Demo-Guoping-2026"},
		// Reaches the Hangzhou committee's subtree through the in-force
		// agreement with its street.
		{Name: "gongshu", DisplayName: "杨慧敏", Role: authz.RoleHostOfficer, Org: orgYunhewan, Password: "Demo-Huimin-2026"},
		// Its street's agreement with the Suzhou general branch ended
		// last year: an empty host view (SCENARIOS, host journey 4).
		{Name: "wuzhong", DisplayName: "沈丽华", Role: authz.RoleHostOfficer, Org: orgTaihuwan, Password: "Demo-Lihua-2026"},
		{Name: "member", DisplayName: "孙小军", Role: authz.RoleMember, Org: orgHZGongshu, Password: "Demo-Xiaojun-2026"},
		{Name: "casework", DisplayName: "吴振华", Role: authz.RoleCaseHandler, Org: orgHangzhou, Password: "Demo-Zhenhua-2026"},
	}
}

// Guannan is the reference scenario: Guannan County's organization tree,
// its 14 mobile organizations in five cities, the host streets and
// district departments they work with, agreements in every state, and one
// account per role and side. Dates that must stay meaningful (officers'
// current terms, agreements' validity) follow the service clock.
func Guannan() Scenario {
	accounts := guannanAccounts()
	return Scenario{
		Name:     "guannan",
		Accounts: accounts,
		Steps: []Step{
			{Name: "organizations", Run: func(ctx context.Context, l *Loader) error {
				for _, o := range guannanOrgs(l.Service.Today()) {
					if err := l.EnsureOrg(ctx, o); err != nil {
						return err
					}
				}
				return nil
			}},
			{Name: "agreements", Run: func(ctx context.Context, l *Loader) error {
				for _, a := range guannanAgreements(l.Service.Today()) {
					if err := l.EnsureAgreement(ctx, a); err != nil {
						return err
					}
				}
				return nil
			}},
			{Name: "accounts", Run: func(ctx context.Context, l *Loader) error {
				for _, a := range accounts {
					if err := l.EnsureAccount(ctx, a); err != nil {
						return err
					}
				}
				return nil
			}},
			// After the accounts: the member account is linked to its person.
			{Name: "people", Run: func(ctx context.Context, l *Loader) error {
				return l.EnsurePeople(ctx, l.People, l.Progress)
			}},
			// Three years of meetings, attendance, feedback, evaluations
			// and dues of the members placed above.
			{Name: "life", Run: func(ctx context.Context, l *Loader) error {
				return l.EnsureLife(ctx)
			}},
			developmentStep(),
		},
		People: DefaultPeople,
	}
}

// date reads a fixed historical date of the scenario.
func date(s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// monthsAgo is the first day of the month n months before today's.
func monthsAgo(today domain.Date, n int) domain.Date {
	t := today.Time()
	return domain.NewDate(t.Year(), t.Month()-time.Month(n), 1)
}
