package demo

import (
	"gongjian/internal/domain"
	"gongjian/internal/region"
)

// Officer positions, short.
const (
	posSecretary  = "secretary"
	posDeputy     = "deputy_secretary"
	posOrg        = "organization"
	posPropaganda = "propaganda"
	posDiscipline = "discipline"
	posLeader     = "leader"
)

// guannanTowns are the eleven towns of Guannan County (GB/T 2260 320724),
// each with two village branches whose names are invented. Their township
// codes come from the region dictionary (townCode).
var guannanTowns = []struct {
	Name     string
	Villages [2]string
}{
	{"新安镇", [2]string{"东园村", "西湖村"}},
	{"堆沟港镇", [2]string{"港南村", "海丰村"}},
	{"田楼镇", [2]string{"田东村", "新河村"}},
	{"北陈集镇", [2]string{"陈东村", "集北村"}},
	{"张店镇", [2]string{"张北村", "店西村"}},
	{"三口镇", [2]string{"口东村", "三河村"}},
	{"孟兴庄镇", [2]string{"兴庄村", "孟南村"}},
	{"汤沟镇", [2]string{"汤东村", "沟西村"}},
	{"百禄镇", [2]string{"禄北村", "百顺村"}},
	{"新集镇", [2]string{"新西村", "集南村"}},
	{"李集镇", [2]string{"李北村", "李南村"}},
}

// guannanCode is the county's GB/T 2260 code.
const guannanCode = "320724"

// townCode is the township code of a Guannan town from the region
// dictionary, or the county's code when the dictionary does not have it
// (a test makes sure it has every one).
func townCode(name string) string {
	for _, m := range region.FindIn(guannanCode, name) {
		if m.Level == region.Township && !m.Historical && m.Name == name {
			return m.Code
		}
	}
	return guannanCode
}

// guannanOrgs lists the scenario's organizations, parents first. today
// places the officers' current terms.
func guannanOrgs(today domain.Date) []Org {
	var out []Org
	out = append(out, originOrgs(today)...)
	out = append(out, mobileOrgs(today)...)
	out = append(out, hostOrgs()...)
	return out
}

// originOrgs is the county's own tree: the county committee, its
// organization department, the town committees and two village branches
// each. The founding dates here are illustrative.
func originOrgs(today domain.Date) []Org {
	o := domain.SideOrigin
	out := []Org{
		{Name: orgCounty, ShortName: "灌南县委", Side: o, Kind: domain.KindCommittee, RegionCode: guannanCode,
			FoundedOn: date("1958-01-01"), Note: "灌南县建县，成立中共灌南县委员会"},
		{Name: orgDept, ShortName: "县委组织部", Parent: orgCounty, Side: o, Kind: domain.KindOffice, RegionCode: guannanCode,
			FoundedOn: date("1958-01-01"), Mailbox: "zzb@guannan.example"},
	}
	for _, t := range guannanTowns {
		town, code := "中共灌南县"+t.Name+"委员会", townCode(t.Name)
		out = append(out, Org{Name: town, ShortName: t.Name + "党委", Parent: orgCounty, Side: o, Kind: domain.KindCommittee,
			RegionCode: code, FoundedOn: date("1983-06-01")})
		for _, v := range t.Villages {
			village := Org{Name: "中共灌南县" + t.Name + v + "支部委员会", ShortName: v + "党支部", Parent: town, Side: o,
				Kind: domain.KindBranch, RegionCode: code, Industry: "A", FoundedOn: date("1984-03-01")}
			if village.Name == orgDongyuan {
				village.Officers = []Officer{{Name: "刘海燕", Position: posSecretary, From: monthsAgo(today, 30)}}
			}
			out = append(out, village)
		}
	}
	return out
}

// mobileOrgs is the mobile side: the 14 organizations the county set up in
// Hangzhou, Suzhou, Qingdao, Wuxi and Shanghai, directly under the county
// root, with their branches, groups and attached mass organizations. How
// the fourteen spread beyond the five the county names (one per city), the
// founding dates after the Hangzhou one, and every officer are invented.
func mobileOrgs(today domain.Date) []Org {
	m := domain.SideMobile
	term := monthsAgo(today, 20) // the Hangzhou committee's current term began
	top := func(name, short string, kind domain.OrgKind, code, industry, founded string, members int, officers ...Officer) Org {
		return Org{Name: name, ShortName: short, Parent: orgCounty, Side: m, Kind: kind, RegionCode: code, Industry: industry,
			FoundedOn: date(founded), Members: members, Note: "县委批准设立", Officers: officers}
	}
	child := func(parent, name, short string, kind domain.OrgKind, code, industry, founded string, officers ...Officer) Org {
		return Org{Name: name, ShortName: short, Parent: parent, Side: m, Kind: kind, RegionCode: code, Industry: industry,
			FoundedOn: date(founded), Officers: officers}
	}
	sec := func(name string, months int) Officer {
		return Officer{Name: name, Position: posSecretary, From: monthsAgo(today, months)}
	}
	as := func(pos, name string, months int) Officer {
		return Officer{Name: name, Position: pos, From: monthsAgo(today, months)}
	}
	lead := func(name string, months int) Officer {
		return Officer{Name: name, Position: posLeader, From: monthsAgo(today, months)}
	}

	// Hangzhou: founded as a branch with 13 members in 1998, upgraded to a
	// committee with 158 in April 2010 (the day of the month invented).
	hangzhou := top(orgHangzhou, "驻杭流动党委", domain.KindBranch, "330105", "E", "1998-03-18", 13,
		Officer{Name: "孙立本", Position: posSecretary, From: date("1998-03-18"), To: date("2010-04-15")},
		Officer{Name: "郑宏伟", Position: posSecretary, From: date("2010-04-16"), To: term.AddDays(-1)},
		Officer{Name: "周长林", Position: posSecretary, From: term},
		Officer{Name: "郑国华", Position: posDeputy, From: term},
		Officer{Name: "王春梅", Position: posOrg, From: term},
		Officer{Name: "陈建军", Position: posPropaganda, From: term},
		Officer{Name: "李德明", Position: posDiscipline, From: term},
	)
	hangzhou.Note = "县委组织部批准在杭州设立流动党支部"
	hangzhou.Mailbox = "hangzhou@guannan.example"
	hangzhou.Upgrades = []Upgrade{{To: domain.KindCommittee, On: date("2010-04-16"), Members: 158,
		Note: "党员由建立时的13名发展到158名，经县委批准升格为流动党委（党委建制）"}}

	suzhou := top(orgSuzhou, "驻苏流动党总支", domain.KindGeneralBranch, "320506", "C", "2008-06-20", 52,
		sec("赵国平", 16), as(posDeputy, "徐兰英", 16), as(posOrg, "马永强", 16))
	suzhou.Mailbox = "suzhou@guannan.example"

	return []Org{
		hangzhou,
		// The Hangzhou branches by district and trade (158 members: 48,
		// 40, 32, 22, 16), groups by site, and the attached mass
		// organizations (their names invented).
		child(orgHangzhou, orgHZGongshu, "驻杭拱墅支部", domain.KindBranch, "330105", "E", "2010-05-08", sec("彭立华", 14), as(posDeputy, "孙国庆", 14)),
		child(orgHZGongshu, orgHZGongshu+"第一党小组", "驻杭拱墅一组", domain.KindGroup, "330105", "E", "2012-03-01", lead("田大勇", 10)),
		child(orgHZGongshu, orgHZGongshu+"第二党小组", "驻杭拱墅二组", domain.KindGroup, "330105", "E", "2015-09-01", lead("石振东", 10)),
		child(orgHangzhou, orgHZXiao, "驻杭萧山支部", domain.KindBranch, "330109", "C", "2010-05-08", sec("蒋文斌", 14), as(posDeputy, "陆红英", 14)),
		child(orgHZXiao, orgHZXiao+"第一党小组", "驻杭萧山一组", domain.KindGroup, "330109", "C", "2013-04-01", lead("崔红梅", 10)),
		child(orgHangzhou, orgHZYuhang, "驻杭余杭支部", domain.KindBranch, "330110", "G", "2011-07-01", sec("袁春生", 14)),
		child(orgHangzhou, "中共灌南县驻杭州流动党委滨江支部", "驻杭滨江支部", domain.KindBranch, "330108", "E", "2013-06-01", sec("谢芳", 14)),
		child(orgHangzhou, "中共灌南县驻杭州流动党委西湖支部", "驻杭西湖支部", domain.KindBranch, "330106", "H", "2016-03-01", sec("董建新", 14)),
		child(orgHangzhou, "灌南县驻杭州务工人员工会", "驻杭工会", domain.KindUnion, "330105", "", "2011-05-01"),
		child(orgHangzhou, "共青团灌南县驻杭州流动团工委", "驻杭团工委", domain.KindYouthLeague, "330105", "", "2011-05-04"),
		child(orgHangzhou, "灌南县驻杭州流动妇女联合会", "驻杭妇联", domain.KindWomen, "330105", "", "2012-03-08"),

		// Suzhou: a general branch in Wuzhong with branches in its towns.
		suzhou,
		child(orgSuzhou, "中共灌南县驻苏州流动党总支木渎支部", "驻苏木渎支部", domain.KindBranch, "320506103", "C", "2009-04-01", sec("潘志明", 16)),
		child(orgSuzhou, "中共灌南县驻苏州流动党总支横泾支部", "驻苏横泾支部", domain.KindBranch, "320506005", "E", "2010-08-01", sec("杜丽娟", 16)),
		child(orgSuzhou, "中共灌南县驻苏州流动党总支甪直支部", "驻苏甪直支部", domain.KindBranch, "320506100", "C", "2014-05-01", sec("程海涛", 16)),
		child(orgSuzhou, "灌南县驻苏州务工人员工会", "驻苏工会", domain.KindUnion, "320506", "", "2012-05-01"),
		top(orgKunshan, "驻昆山流动党支部", domain.KindBranch, "320583", "C", "2011-05-18", 15, sec("许光辉", 8)),
		top("中共灌南县驻张家港流动党支部", "驻张家港流动党支部", domain.KindBranch, "320582", "G", "2013-03-20", 8, sec("曹永生", 8)),

		// Qingdao.
		top(orgQingdao, "驻青岛流动党支部", domain.KindBranch, "370200", "E", "2009-05-10", 18, sec("胡志刚", 12), as(posDeputy, "马春华", 12)),
		child(orgQingdao, orgQingdao+"第一党小组", "驻青一组", domain.KindGroup, "370200", "E", "2012-06-01", lead("任广才", 12)),
		child(orgQingdao, orgQingdao+"第二党小组", "驻青二组", domain.KindGroup, "370200", "G", "2014-06-01", lead("姚金山", 12)),
		top(orgHuangdao, "驻黄岛流动党支部", domain.KindBranch, "370211", "G", "2013-08-08", 12, sec("高建平", 12)),
		top("中共灌南县驻青岛城阳流动党支部", "驻城阳流动党支部", domain.KindBranch, "370214", "C", "2015-04-01", 6, sec("林小峰", 12)),

		// Wuxi.
		top(orgWuxi, "驻无锡流动党支部", domain.KindBranch, "320200", "C", "2009-09-15", 21, sec("何家宝", 18), as(posDeputy, "顾美华", 18)),
		top(orgXinwu, "驻新吴流动党支部", domain.KindBranch, "320214", "C", "2016-06-01", 10, sec("罗文清", 18)),
		top("中共灌南县驻江阴流动党支部", "驻江阴流动党支部", domain.KindBranch, "320281", "C", "2016-05-05", 5, sec("梁红霞", 18)),

		// Shanghai.
		top(orgShanghai, "驻上海流动党支部", domain.KindBranch, "310000", "G", "2010-03-01", 24, sec("宋海波", 6), as(posDeputy, "唐秀兰", 6)),
		top(orgPudong, "驻浦东流动党支部", domain.KindBranch, "310115", "E", "2012-04-12", 9, sec("韩明亮", 6)),
		top(orgMinhang, "驻闵行流动党支部", domain.KindBranch, "310112", "C", "2012-04-12", 11, sec("冯玉珍", 6)),
		top("中共灌南县驻上海松江流动党支部", "驻松江流动党支部", domain.KindBranch, "310117", "C", "2014-07-01", 7, sec("邓卫国", 6)),
	}
}

// hostOrgs are the host-side counterparties the county registers: street
// and community working committees (the names invented, the districts
// real) and district organization departments, each a root.
func hostOrgs() []Org {
	h := domain.SideHost
	// The founding dates are illustrative, after the district's own
	// (Xinwu 2016; Huangdao in its present form 2012).
	org := func(name, short string, kind domain.OrgKind, code, founded string) Org {
		return Org{Name: name, ShortName: short, Side: h, Kind: kind, RegionCode: code, FoundedOn: date(founded)}
	}
	return []Org{
		org(orgYunhewan, "运河湾街道党工委", domain.KindCommittee, "330105", "2021-04-09"),
		org(orgXiaoDept, "萧山区委组织部", domain.KindOffice, "330109", "2001-03-25"),
		org(orgLiangzhu, "良渚湾社区党委", domain.KindCommittee, "330110", "2019-07-01"),
		org(orgTaihuwan, "太湖湾街道党工委", domain.KindCommittee, "320506", "2012-10-01"),
		org(orgWuzhong, "吴中区委组织部", domain.KindOffice, "320506", "2001-02-28"),
		org(orgKSDept, "昆山市委组织部", domain.KindOffice, "320583", "1989-09-01"),
		org(orgHDDept, "黄岛区委组织部", domain.KindOffice, "370211", "2012-12-01"),
		org(orgXWDept, "新吴区委组织部", domain.KindOffice, "320214", "2016-01-01"),
		org(orgMHDept, "闵行区委组织部", domain.KindOffice, "310112", "1992-09-26"),
		org(orgJinqiaowa, "金桥湾街道党工委", domain.KindCommittee, "310115", "2008-05-01"),
	}
}
