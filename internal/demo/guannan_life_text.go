package demo

import (
	"fmt"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/region"
	"gongjian/internal/service"
)

// What the demo's meetings are about and where they take place. The
// topics follow the calendar a mobile branch keeps (national days, the
// seasons of building sites and factories); all invented.

// themeTopics are three topics for each month of the year.
var themeTopics = [12][3]string{
	{"新春走访慰问困难党员和留守家庭", "学习贯彻中央经济工作会议精神", "“迎新春、送温暖”为工友写春联志愿服务"},
	{"学习党章，重温入党誓词", "节后返岗复工安全教育", "学习《中国共产党纪律处分条例》"},
	{"学习全国两会精神", "学雷锋志愿服务进社区", "关爱女职工，宣讲劳动权益保护"},
	{"清明祭英烈，传承红色基因", "高空作业与施工用电安全培训", "学习习近平总书记关于新就业群体的重要论述"},
	{"学习劳动模范事迹，争当岗位先锋", "学习《中国共产党党员权利保障条例》", "农民工工资支付政策宣讲"},
	{"安全生产月：工地隐患排查志愿服务", "学习党史，坚定理想信念", "防汛防暑知识培训"},
	{"庆祝中国共产党成立%d周年，重温入党誓词", "评选表彰优秀流动党员", "为一线工友送清凉"},
	{"学习“八一”精神，走访退役军人党员", "廉洁从业警示教育", "工友子女暑期托管志愿服务"},
	{"学习《习近平谈治国理政》", "中秋联系老家村支部慰问留守老人", "职业技能提升补贴政策解读"},
	{"庆祝中华人民共和国成立%d周年", "学习贯彻党的全会精神", "重阳敬老志愿服务"},
	{"学习贯彻《中国共产党章程》", "冬季消防安全培训", "根治欠薪冬季专项行动政策宣讲"},
	{"学习宪法，弘扬宪法精神", "年终工作总结暨民主评议党员动员", "为返乡工友代购返乡车票"},
}

var (
	assemblyTopics = []string{"通报支部工作，讨论接收预备党员事项", "审议支部党费收缴和使用情况", "讨论发展党员计划和入党积极分子培养",
		"通报共建共管协议落实情况，征求党员意见"}
	lectureTopics = []string{"书记讲党课：做新时代合格的流动党员", "党课：在岗位上发挥先锋模范作用", "党课：学习党的二十届三中全会精神",
		"党课：守纪律、讲规矩，从身边小事做起", "党课：流动不流失，离乡不离党"}
	groupTopics = []string{"党小组学习：读原著、学原文", "党小组会：交流本月工作和思想情况", "党小组会：收集工友急难愁盼问题",
		"党小组学习：观看警示教育片"}
)

// topic is what o's meeting of kind k on day d (the j-th of its period)
// is about.
func topic(o *lifeOrg, k domain.MeetingKind, d domain.Date, j int) string {
	t := d.Time()
	y, mo := t.Year(), int(t.Month())
	q := (mo-1)/3 + 1
	pickOf := func(list []string) string { return list[(y*4+q+int(o.key%97)+j)%len(list)] }
	switch k {
	case domain.MeetingThemeDay:
		s := themeTopics[mo-1][(y+int(o.key%97)+j)%3]
		switch {
		case mo == 7 && strings.Contains(s, "%d"):
			s = fmt.Sprintf(s, y-1921)
		case mo == 10 && strings.Contains(s, "%d"):
			s = fmt.Sprintf(s, y-1949)
		}
		return fmt.Sprintf("%d月主题党日：%s", mo, s)
	case domain.MeetingAssembly:
		return fmt.Sprintf("%d年第%d季度支部党员大会：%s", y, q, pickOf(assemblyTopics))
	case domain.MeetingLecture:
		return pickOf(lectureTopics)
	case domain.MeetingCommittee:
		return fmt.Sprintf("%d月委员会会议：研究本月主题党日安排和党员教育管理工作", mo)
	case domain.MeetingGroup:
		return pickOf(groupTopics)
	case domain.MeetingLifeMeeting:
		return fmt.Sprintf("%d年度组织生活会：对照党章党规查摆问题，开展批评和自我批评", y)
	case domain.MeetingEvaluation:
		return fmt.Sprintf("%d年度民主评议党员", y)
	}
	return "组织生活"
}

// jointTopic is a theme day held with the host organization.
func jointTopic(d domain.Date, j int) string {
	list := []string{"共建主题党日：流动党员与社区党员共同开展志愿服务", "共建主题党日：联合学习，结对帮扶困难工友",
		"共建主题党日：参观社区党群服务中心，共议共建共管事项"}
	t := d.Time()
	return fmt.Sprintf("%d月%s", int(t.Month()), list[(t.Year()+int(t.Month())+j)%len(list)])
}

// sitInTopic is a host committee meeting the secretary sits in on.
func sitInTopic(host string, d domain.Date) string {
	t := d.Time()
	return fmt.Sprintf("列席%s%d年第%d季度会议", shortHost(host), t.Year(), (int(t.Month())-1)/3+1)
}

// shortHost drops the Party prefix of a host organization's name.
func shortHost(name string) string {
	return strings.TrimPrefix(name, "中共")
}

// place is where o meets: its activity room in the host city, the
// committee in the secretary's office.
func (g *life) place(o *lifeOrg, k domain.MeetingKind, d domain.Date) string {
	where := placeName(o.RegionCode)
	switch k {
	case domain.MeetingCommittee:
		return where + "灌南流动党员服务站办公室"
	case domain.MeetingGroup:
		return where + "项目部会议室"
	}
	if draw(5, o.key, dayKey(d)) == 0 {
		return where + "新时代文明实践站"
	}
	return where + "灌南流动党员之家"
}

// placeName is the city and district of a region code: 杭州市拱墅区.
func placeName(code string) string {
	if len(code) > 6 {
		code = code[:6]
	}
	name := func(c string) string {
		if r, ok := region.Lookup(c); ok {
			return r.Name
		}
		return ""
	}
	province := code[:2] + "0000"
	if code[:2] == "31" || code[:2] == "11" || code[:2] == "12" || code[:2] == "50" {
		if code == province {
			return name(province)
		}
		return name(province) + name(code)
	}
	city := code[:4] + "00"
	if code == city {
		return name(city)
	}
	return name(city) + name(code)
}

// minutes are the record of a held meeting: who chaired, who came, what
// was done; the decisions of an assembly.
func minutes(o *lifeOrg, m domain.Meeting, c service.AttendanceCount) (string, string) {
	var b strings.Builder
	if o.secretary != "" {
		fmt.Fprintf(&b, "主持人：%s。", o.secretary)
	}
	switch m.Kind {
	case domain.MeetingCommittee:
		fmt.Fprintf(&b, "出席：%s。", strings.Join(o.officers, "、"))
		b.WriteString("会议研究了本月主题党日安排、流动党员联系和党费收缴情况，明确了分工。")
	default:
		fmt.Fprintf(&b, "应到%d人，实到%d人，请假%d人。", c.Expected, c.Present, c.Leave)
		switch m.Kind {
		case domain.MeetingLifeMeeting:
			b.WriteString("支部班子和党员逐一对照检查，开展批评和自我批评，形成问题清单和整改措施。")
		case domain.MeetingEvaluation:
			b.WriteString("党员个人自评、党员互评、民主测评，支部委员会根据测评情况提出评定等次意见。")
		case domain.MeetingLecture:
			b.WriteString("支部书记讲授党课，党员交流学习体会。")
		default:
			b.WriteString("会议围绕主题开展学习和讨论，党员交流发言。")
		}
	}
	decisions := ""
	switch m.Kind {
	case domain.MeetingAssembly:
		decisions = "经表决，同意会议议题事项。"
	case domain.MeetingLifeMeeting:
		decisions = "形成班子和个人整改清单，限期整改。"
	}
	if m.CoOrgID != 0 {
		b.WriteString("与共建单位党组织共同开展，社区党员一同参加。")
	}
	return b.String(), decisions
}
