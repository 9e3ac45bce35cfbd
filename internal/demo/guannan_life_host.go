package demo

import (
	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// The host side of a joint theme day: two to four named officers of the
// co-organizing host organization (its secretary or deputy, committee
// members, a community worker) and a headcount of its community's Party
// members and residents who came. Invented names, drawn like the rest of
// the life from the meeting's organization and day.

var (
	hostSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭", "何", "高", "林", "沈"}
	hostGiven    = []string{"建国", "丽华", "志强", "海燕", "卫东", "晓梅", "国平", "秀英", "伟", "静", "明", "婷婷", "斌", "红梅", "晓东", "慧敏"}
	// hostPosts are the officers who come, first the one who always does.
	hostPosts = []struct {
		post  string
		party bool
	}{
		{"党组织副书记", true}, {"组织委员", true}, {"宣传委员", true}, {"党群服务中心主任", true}, {"社区网格员", false},
	}
)

// hostSide is the host side of o's joint meeting m co-organized by host.
func hostSide(o *lifeOrg, m domain.Meeting, host string) []domain.HostAttendee {
	day := dayKey(m.HeldOn)
	short := shortHost(host)
	added := m.EndsAt
	n := 2 + draw(3, o.key, day, 31)
	out := make([]domain.HostAttendee, 0, n+1)
	used := map[string]bool{}
	for i := 0; i < n; i++ {
		p := hostPosts[0]
		if i > 0 {
			p = hostPosts[1+draw(len(hostPosts)-1, o.key, day, 32, int64(i))]
		}
		name := hostSurnames[draw(len(hostSurnames), o.key, day, 33, int64(i))] + hostGiven[draw(len(hostGiven), o.key, day, 34, int64(i))]
		if used[name] || used[p.post] {
			continue
		}
		used[name], used[p.post] = true, true
		party := p.party
		out = append(out, domain.HostAttendee{Name: name, Post: short + " " + p.post, PartyMember: &party, Headcount: 1,
			AddedBy: authz.System.Name, AddedAt: added})
	}
	out = append(out, domain.HostAttendee{Post: short + " 辖区党员和居民", Headcount: 6 + draw(20, o.key, day, 35),
		AddedBy: authz.System.Name, AddedAt: added})
	return out
}
