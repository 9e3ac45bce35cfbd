package demo

import (
	"context"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The organizations of the Guannan scenario. The county, its organization
// department and the townships are real places of Guannan County, Jiangsu
// (GB/T 2260 320724); the mobile organizations follow the cities the county
// reports. Invented, and marked so here: the village names, and the two
// host streets (运河湾街道 in Gongshu District, Hangzhou, and 太湖湾街道 in
// Wuzhong District, Suzhou; the districts are real). The mobile
// organizations hang under the organization department, which sets them up
// and directs them.
const (
	orgCounty    = "中共灌南县委员会"
	orgDept      = "中共灌南县委组织部"
	orgXinan     = "中共灌南县新安镇委员会"
	orgDongyuan  = "中共灌南县新安镇东园村支部委员会" // invented village
	orgHangzhou  = "中共灌南县驻杭州流动党委"
	orgHZGongshu = "中共灌南县驻杭州流动党委拱墅支部"
	orgYunhewan  = "中共杭州市拱墅区运河湾街道工作委员会" // invented street
)

func guannanOrgs() []Org {
	o, m, h := domain.SideOrigin, domain.SideMobile, domain.SideHost
	return []Org{
		{Name: orgCounty, ShortName: "灌南县委", Side: o},
		{Name: orgDept, ShortName: "县委组织部", Parent: orgCounty, Side: o},
		{Name: orgXinan, ShortName: "新安镇党委", Parent: orgCounty, Side: o},
		{Name: "中共灌南县堆沟港镇委员会", ShortName: "堆沟港镇党委", Parent: orgCounty, Side: o},
		{Name: "中共灌南县田楼镇委员会", ShortName: "田楼镇党委", Parent: orgCounty, Side: o},
		{Name: "中共灌南县汤沟镇委员会", ShortName: "汤沟镇党委", Parent: orgCounty, Side: o},
		{Name: orgDongyuan, ShortName: "东园村党支部", Parent: orgXinan, Side: o},
		{Name: "中共灌南县新安镇西湖村支部委员会", ShortName: "西湖村党支部", Parent: orgXinan, Side: o},        // invented village
		{Name: "中共灌南县堆沟港镇港南村支部委员会", ShortName: "港南村党支部", Parent: "中共灌南县堆沟港镇委员会", Side: o}, // invented village
		{Name: "中共灌南县田楼镇田东村支部委员会", ShortName: "田东村党支部", Parent: "中共灌南县田楼镇委员会", Side: o},   // invented village

		{Name: orgHangzhou, ShortName: "驻杭流动党委", Parent: orgDept, Side: m},
		{Name: orgHZGongshu, ShortName: "驻杭拱墅支部", Parent: orgHangzhou, Side: m},
		{Name: "中共灌南县驻杭州流动党委萧山支部", ShortName: "驻杭萧山支部", Parent: orgHangzhou, Side: m},
		{Name: "中共灌南县驻苏州流动党总支", ShortName: "驻苏州流动党总支", Parent: orgDept, Side: m},
		{Name: "中共灌南县驻青岛流动党支部", ShortName: "驻青岛流动党支部", Parent: orgDept, Side: m},
		{Name: "中共灌南县驻无锡流动党支部", ShortName: "驻无锡流动党支部", Parent: orgDept, Side: m},
		{Name: "中共灌南县驻上海流动党支部", ShortName: "驻上海流动党支部", Parent: orgDept, Side: m},

		{Name: orgYunhewan, ShortName: "运河湾街道党工委", Side: h},
		{Name: "中共苏州市吴中区太湖湾街道工作委员会", ShortName: "太湖湾街道党工委", Side: h}, // invented street
	}
}

// guannanAccounts is one account per role, with invented people. The
// passwords meet the default policy (10+ characters, three classes, not
// common, not containing the login name); the three separated duties need
// a second factor, so their fixed TOTP secrets are printed for visitors to
// add to an authenticator app.
func guannanAccounts() []Account {
	return []Account{
		{Name: "sysadmin", DisplayName: "王建国", Role: authz.RoleSysAdmin, Password: "Demo-Jianguo-2026",
			TOTPSecret: "QFQE23BSQKFF3ZBA4QQ5ZJQEN7RER3BU"},
		{Name: "secofficer", DisplayName: "李秀英", Role: authz.RoleSecOfficer, Password: "Demo-Xiuying-2026",
			TOTPSecret: "CCYXJTHMNUM5IM3QBH7ZGC7IMO3K4NYD"},
		{Name: "auditor", DisplayName: "张志强", Role: authz.RoleAuditor, Password: "Demo-Zhiqiang-2026",
			TOTPSecret: "W6WKUBATKXGQTKQUQ75FSL7UBR6ETEOS"},
		{Name: "county", DisplayName: "陈立新", Role: authz.RoleCountyOfficer, Org: orgDept, Password: "Demo-Lixin-2026"},
		{Name: "dongyuan", DisplayName: "刘海燕", Role: authz.RoleHomeSecretary, Org: orgDongyuan, Password: "Demo-Haiyan-2026"},
		{Name: "hangzhou", DisplayName: "周长林", Role: authz.RoleMobileSecretary, Org: orgHangzhou, Password: "Demo-Changlin-2026"},
		{Name: "gongshu", DisplayName: "杨慧敏", Role: authz.RoleHostOfficer, Org: orgYunhewan, Password: "Demo-Huimin-2026"},
		{Name: "member", DisplayName: "孙小军", Role: authz.RoleMember, Org: orgHZGongshu, Password: "Demo-Xiaojun-2026"},
		{Name: "casework", DisplayName: "吴振华", Role: authz.RoleCaseHandler, Org: orgHangzhou, Password: "Demo-Zhenhua-2026"},
	}
}

// Guannan is the reference scenario: Guannan County's organization tree,
// its mobile organizations in five cities, two host streets, and one
// account per role.
func Guannan() Scenario {
	accounts := guannanAccounts()
	return Scenario{
		Name:     "guannan",
		Accounts: accounts,
		Steps: []Step{
			{Name: "organizations", Run: func(ctx context.Context, l *Loader) error { return l.EnsureOrgs(ctx, guannanOrgs()) }},
			{Name: "accounts", Run: func(ctx context.Context, l *Loader) error {
				for _, a := range accounts {
					if err := l.EnsureAccount(ctx, a); err != nil {
						return err
					}
				}
				return nil
			}},
		},
	}
}
