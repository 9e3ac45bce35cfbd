package demo

import "gongjian/internal/domain"

// guannanAgreements are the co-management agreements between the county
// and the host counterparties, one or more in every state as of today (the
// service clock's date), so the demo stays meaningful in later years:
//
//   - in force: Hangzhou with its Gongshu street (folded into the street's
//     sequence, the secretary sitting in), the Xiaoshan and Yuhang
//     branches with their district and community, Suzhou with the Wuzhong
//     district department, Minhang;
//   - in force and ending within 60 days (renewal due): Wuxi;
//   - expired (ended on 31 December last year): Suzhou with the Taihuwan
//     street, whose officer therefore sees nothing;
//   - terminated with a reason: Pudong;
//   - signed, beginning on the first of next month (pending): Huangdao;
//   - draft: Kunshan.
//
// No agreement grants view_sensitive: ID numbers and phones stay with the
// county and the mobile organizations.
func guannanAgreements(today domain.Date) []Agreement {
	y := today.Time().Year()
	jan1 := func(year int) domain.Date { return domain.NewDate(year, 1, 1) }
	dec31 := func(year int) domain.Date { return domain.NewDate(year, 12, 31) }
	nextMonth := monthsAgo(today, -1)
	renewalEnd := today.AddDays(40)
	caps := func(cs ...domain.Capability) []domain.Capability { return cs }
	const (
		basic, attendance, feedback = domain.CapViewBasic, domain.CapAttendance, domain.CapFeedback
		cultivation, cases          = domain.CapCultivation, domain.CapCases
	)
	return []Agreement{
		{Title: "驻杭州流动党委与拱墅区运河湾街道党工委共建共管协议", Origin: orgCounty,
			Mobile: []string{orgHangzhou}, Host: []string{orgYunhewan},
			Capabilities: caps(basic, attendance, feedback, cultivation, cases),
			From:         jan1(y - 1), To: dec31(y + 2), Folded: true, SitsIn: true,
			SignedOn: domain.NewDate(y-2, 12, 20)},
		{Title: "驻杭州流动党委萧山支部与萧山区委组织部共建共管协议", Origin: orgCounty,
			Mobile: []string{orgHZXiao}, Host: []string{orgXiaoDept},
			Capabilities: caps(basic, attendance, feedback),
			From:         domain.NewDate(y-1, 7, 1), To: domain.NewDate(y+2, 6, 30),
			SignedOn: domain.NewDate(y-1, 6, 25)},
		{Title: "驻杭州流动党委余杭支部与余杭区良渚湾社区党委共建共管协议", Origin: orgCounty,
			Mobile: []string{orgHZYuhang}, Host: []string{orgLiangzhu},
			Capabilities: caps(basic, attendance),
			From:         jan1(y), To: dec31(y + 1), Folded: true,
			SignedOn: domain.NewDate(y-1, 12, 26)},
		{Title: "驻苏州流动党总支与吴中区委组织部共建共管协议", Origin: orgCounty,
			Mobile: []string{orgSuzhou}, Host: []string{orgWuzhong},
			Capabilities: caps(basic, attendance, feedback, cultivation),
			From:         jan1(y), To: dec31(y + 2), SitsIn: true,
			SignedOn: domain.NewDate(y-1, 12, 28)},
		{Title: "驻苏州流动党总支与吴中区太湖湾街道党工委共建共管协议", Origin: orgCounty,
			Mobile: []string{orgSuzhou}, Host: []string{orgTaihuwan},
			Capabilities: caps(basic, attendance, feedback),
			From:         jan1(y - 3), To: dec31(y - 1), Folded: true,
			SignedOn: domain.NewDate(y-4, 12, 18)},
		{Title: "驻上海闵行流动党支部与闵行区委组织部共建共管协议", Origin: orgCounty,
			Mobile: []string{orgMinhang}, Host: []string{orgMHDept},
			Capabilities: caps(basic, attendance, feedback, cases),
			From:         domain.NewDate(y-1, 3, 1), To: domain.NewDate(y+2, 2, 28),
			SignedOn: domain.NewDate(y-1, 2, 20)},
		{Title: "驻无锡流动党支部、驻无锡新吴流动党支部与新吴区委组织部共建共管协议", Origin: orgCounty,
			Mobile: []string{orgWuxi, orgXinwu}, Host: []string{orgXWDept},
			Capabilities: caps(basic, attendance, feedback),
			From:         renewalEnd.AddYears(-3).AddDays(1), To: renewalEnd,
			SignedOn: renewalEnd.AddYears(-3).AddDays(-9)},
		{Title: "驻上海浦东流动党支部与浦东新区金桥湾街道党工委共建共管协议", Origin: orgCounty,
			Mobile: []string{orgPudong}, Host: []string{orgJinqiaowa},
			Capabilities: caps(basic, attendance, feedback),
			From:         domain.NewDate(y-2, 3, 1), To: domain.NewDate(y+1, 2, 28),
			SignedOn: domain.NewDate(y-2, 2, 20), TerminatedOn: today.AddDays(-75),
			Reason: "支部多数党员随施工项目转往闵行区，由驻上海闵行流动党支部接续管理，经双方协商提前终止"},
		{Title: "驻青岛黄岛流动党支部与黄岛区委组织部共建共管协议", Origin: orgCounty,
			Mobile: []string{orgHuangdao}, Host: []string{orgHDDept},
			Capabilities: caps(basic, attendance, feedback, cultivation),
			From:         nextMonth, To: nextMonth.AddYears(3).AddDays(-1),
			SignedOn: today.AddDays(-7)},
		{Title: "驻昆山流动党支部与昆山市委组织部共建共管协议（草案）", Origin: orgCounty,
			Mobile: []string{orgKunshan}, Host: []string{orgKSDept},
			Capabilities: caps(basic, attendance, feedback, cultivation),
			From:         nextMonth, To: nextMonth.AddYears(3).AddDays(-1)},
	}
}
