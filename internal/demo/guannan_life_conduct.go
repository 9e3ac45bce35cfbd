package demo

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// Quarterly feedback from the host side and the yearly democratic
// evaluation, drawn from the members' attendance.

// hostOfficers sign the feedback of host organizations without a demo
// account (invented names).
var hostOfficers = map[string]string{
	orgXiaoDept: "钱志文", orgLiangzhu: "方晓燕", orgWuzhong: "叶建华", orgMHDept: "汪德胜", orgXWDept: "严丽君",
	orgJinqiaowa: "邵国栋", orgHDDept: "孔繁荣", orgKSDept: "蔡文杰",
}

// hostAuthor is who writes for a host organization: its demo account when
// it has one.
func (g *life) hostAuthor(host string) (domain.AccountID, string) {
	for _, a := range guannanAccounts() {
		if a.Org == host {
			return g.accounts[a.Name], g.names[a.Name]
		}
	}
	return 0, hostOfficers[host]
}

// homeAnswerer is who answers for a home organization: its secretary's
// account (Dongyuan), else the county's organization department.
func (g *life) homeAnswerer(home domain.OrgID) (domain.AccountID, string) {
	if home == g.dongyuan {
		return g.accounts["dongyuan"], g.names["dongyuan"]
	}
	return g.accounts["county"], g.names["county"]
}

// rate is a member's present share over the month offsets [from, to]
// (-1 when expected nowhere).
func (g *life) rate(i, from, to int) float64 {
	p, e := 0, 0
	for k := max(from, 0); k <= min(to, LifeMonths-1); k++ {
		p, e = p+int(g.present[i][k]), e+int(g.expected[i][k])
	}
	if e == 0 {
		return -1
	}
	return float64(p) / float64(e)
}

// covers reports whether agreement a covers the member placed in org id.
func (g *life) covers(a domain.Agreement, id domain.OrgID) bool {
	o, ok := g.byID[id]
	if !ok {
		return false
	}
	return slices.ContainsFunc(a.Mobile, func(r domain.OrgRef) bool {
		m, ok := g.byID[r.ID]
		return ok && strings.HasPrefix(o.Path, m.Path)
	})
}

// lastDay is the last day an agreement was in force (zero for a draft).
func lastDay(a domain.Agreement) domain.Date {
	switch {
	case a.State == domain.AgreementDraft:
		return domain.Date{}
	case a.State == domain.AgreementTerminated && !a.TerminatedOn.IsZero() && a.TerminatedOn.Before(a.ValidTo):
		return a.TerminatedOn
	}
	return a.ValidTo
}

func feedbackGrant(a domain.Agreement) bool {
	return slices.Contains(a.Capabilities, domain.CapFeedback)
}

var remarksBy = map[domain.Conduct][]string{
	domain.ConductExemplary: {"积极参加社区志愿服务，带动工友参与共建活动", "在工地安全生产中发挥党员先锋作用，获项目部表扬"},
	domain.ConductGood:      {"按时参加社区组织的共建活动，遵守社区管理规定", "工作踏实，与居住地党组织保持联系", "能够参加联合主题党日"},
	domain.ConductFair:      {"本季度参加活动较少，工作较忙", "参加活动不够主动，需加强联系"},
	domain.ConductPoor:      {"本季度未参加任何活动，社区多次联系未果", "已离开原工作单位，去向不明"},
}

// conduct generates the feedback and the evaluations.
func (g *life) conduct() {
	g.feedback()
	g.evaluations()
}

func (g *life) feedback() {
	for _, a := range g.agrees {
		end := lastDay(a)
		if !feedbackGrant(a) || end.IsZero() || len(a.Host) == 0 {
			continue
		}
		host := a.Host[0]
		author, authorName := g.hostAuthor(host.Name)
		for _, sp := range domain.Spans(domain.Quarterly, g.first, g.today) {
			sent := sp.Last.AddDays(5 + draw(15, nameKey(a.Title), dayKey(sp.First)))
			if sp.Last.Before(a.ValidFrom) || sent.After(end) || sent.After(g.today) {
				continue
			}
			key := quarterKey(sp)
			from, to := g.offset(sp.First), g.offset(sp.Last)
			for _, mo := range a.Mobile {
				o, ok := g.byID[mo.ID]
				if !ok {
					continue
				}
				for _, i := range o.under {
					mb := g.members[i]
					if !mb.JoinedOn.IsZero() && mb.JoinedOn.After(sp.Last) {
						continue
					}
					g.oneFeedback(a, host, author, authorName, key, sp, sent, mb, g.rate(i, from, to))
				}
			}
		}
	}
}

func quarterKey(sp domain.Span) string {
	t := sp.First.Time()
	return strconv.Itoa(t.Year()) + "-Q" + strconv.Itoa((int(t.Month())-1)/3+1)
}

func (g *life) oneFeedback(a domain.Agreement, host domain.OrgRef, author domain.AccountID, authorName, key string, sp domain.Span,
	sent domain.Date, mb store.LifeMember, rate float64) {
	p := int64(mb.Person)
	part := domain.ParticipationMostly
	switch {
	case rate >= 0.9:
		part = domain.ParticipationAlways
	case rate >= 0 && rate < 0.4:
		part = domain.ParticipationRarely
	case rate >= 0 && rate < 0.7:
		part = domain.ParticipationSometimes
	}
	conduct := domain.ConductGood
	// A member out of contact by the day it is sent was not seen by the
	// host either, and the feedback says so: at the bottom of both
	// scales, which is no contact (feedback counts as one otherwise).
	unseen := mb.ContactState != domain.ContactOK && mb.LastContactOn.Before(sent)
	switch x := draw(100, p, dayKey(sp.First), 5); {
	case unseen:
		part, conduct = domain.ParticipationRarely, domain.ConductPoor
	case part == domain.ParticipationRarely || x >= 94:
		conduct = domain.ConductFair
	case x < 15:
		conduct = domain.ConductExemplary
	}
	sentAt := at(sent, 10, draw(50, p, 6))
	f := store.FeedbackRecord{Feedback: domain.Feedback{PersonID: mb.Person, Quarter: key, WriterOrgID: host.ID,
		WriterSide: domain.SideHost, Agreement: a.ID, HomeOrgID: mb.HomeOrgID, MobileOrgID: mb.MobileOrgID, Participation: part,
		Conduct: conduct, State: domain.FeedbackSent, AuthorID: author, AuthorName: authorName, SentAt: sentAt, Revision: 1}}
	list := remarksBy[conduct]
	f.Remarks = list[draw(len(list), p, dayKey(sp.First), 7)]
	f.Events = []domain.FeedbackEvent{{Kind: "sent", Participation: part, Conduct: conduct, Remarks: f.Remarks, ActorName: authorName,
		At: sentAt}}
	// The last quarter's are partly still waiting for the home side.
	answered := sent.AddDays(3 + draw(10, p, dayKey(sp.First), 8))
	latest := !sp.Last.AddDays(92).Before(g.today)
	if !answered.After(g.today) && (!latest || draw(10, p, 9) >= 3) {
		id, name := g.homeAnswerer(mb.HomeOrgID)
		when := at(answered, 15, draw(50, p, 10))
		f.State, f.AnswererID, f.AnsweredBy, f.AnsweredAt = domain.FeedbackAcknowledged, id, name, &when
		if conduct == domain.ConductPoor || draw(100, p, dayKey(sp.First), 11) < 3 {
			f.State, f.Comment = domain.FeedbackReturned, "请补充说明该同志本季度未参加活动的具体情况和联系记录"
		}
		f.Events = append(f.Events, domain.FeedbackEvent{Kind: string(f.State), Comment: f.Comment, ActorName: name, At: when})
	}
	g.out.Feedback = append(g.out.Feedback, f)
}

// evaluations rates the full members of every branch that held its
// democratic evaluation, by their attendance that year.
func (g *life) evaluations() {
	var held []int
	for i, m := range g.out.Meetings {
		if m.Meeting.Kind == domain.MeetingEvaluation {
			held = append(held, i)
		}
	}
	type share struct {
		org  domain.OrgID
		year int
	}
	total, excellent := map[share]int{}, map[share]int{}
	first := len(g.out.Evaluations)
	for _, hi := range held {
		m := g.out.Meetings[hi].Meeting
		o := g.byID[m.OrgID]
		y := m.HeldOn.Time().Year()
		from, to := g.offset(domain.NewDate(y, time.January, 1)), g.offset(domain.NewDate(y, time.December, 1))
		if from < 0 {
			from = 0
		}
		proposer, proposerName := g.proposer(o)
		for _, i := range o.under {
			mb := g.members[i]
			if mb.Status != domain.StatusFull || mb.FullOn.IsZero() || mb.FullOn.After(m.HeldOn) {
				continue
			}
			e := g.evaluation(mb, y, m.HeldOn, g.rate(i, from, to), proposer, proposerName)
			k := share{e.OrgID, y}
			total[k]++
			if e.Proposed == domain.RatingExcellent {
				excellent[k]++
			}
			g.out.Evaluations = append(g.out.Evaluations, e)
		}
	}
	// At most a third excellent in an organization and year: the last
	// proposals over the share become qualified.
	for i := len(g.out.Evaluations) - 1; i >= first; i-- {
		e := &g.out.Evaluations[i]
		k := share{e.OrgID, e.Year}
		if e.Proposed == domain.RatingExcellent && excellent[k]*3 > total[k] {
			excellent[k]--
			e.Proposed = domain.RatingQualified
			if e.HostRating == domain.RatingExcellent {
				e.HostRating = domain.RatingQualified
			}
			if e.Rating == domain.RatingExcellent {
				e.Rating = domain.RatingQualified
			}
		}
	}
}

// proposer is the account of the mobile secretary above o, when the demo
// has one, else o's secretary by name.
func (g *life) proposer(o *lifeOrg) (domain.AccountID, string) {
	for _, a := range guannanAccounts() {
		if a.Role == authz.RoleMobileSecretary {
			if top, ok := g.orgNamed(a.Org); ok && strings.HasPrefix(o.Path, top.Path) {
				return g.accounts[a.Name], g.names[a.Name]
			}
		}
	}
	return 0, o.secretary
}

func (g *life) orgNamed(name string) (*lifeOrg, bool) {
	for _, o := range g.orgs {
		if o.Name == name {
			return o, true
		}
	}
	return nil, false
}

func (g *life) evaluation(mb store.LifeMember, y int, d domain.Date, rate float64, proposer domain.AccountID,
	proposerName string) store.EvaluationRecord {
	p := int64(mb.Person)
	rating := domain.RatingQualified
	x := draw(100, p, int64(y), 12)
	switch {
	case rate >= 0 && rate < 0.35:
		rating = domain.RatingUnqualified
	case rate >= 0 && rate < 0.6, x >= 97:
		rating = domain.RatingBasic // or a conduct the branch criticised
	case rate >= 0.85 && x < 30:
		rating = domain.RatingExcellent
	}
	proposedAt := at(d, 17, 30)
	e := store.EvaluationRecord{Evaluation: domain.Evaluation{PersonID: mb.Person, Year: y, OrgID: mb.MobileOrgID,
		HomeOrgID: mb.HomeOrgID, State: domain.EvaluationProposed, Proposed: rating, ProposerID: proposer, ProposedBy: proposerName,
		ProposedAt: proposedAt}}
	if rating == domain.RatingUnqualified {
		e.ProposalNote = "全年无故不参加组织生活，经多次联系未改正"
	}
	for _, a := range g.agrees {
		end := lastDay(a)
		if !feedbackGrant(a) || end.IsZero() || d.Before(a.ValidFrom) || d.After(end) || !g.covers(a, mb.MobileOrgID) {
			continue
		}
		hostAt := at(d.AddDays(5), 10, 0)
		if hostAt.After(g.now) {
			break
		}
		_, name := g.hostAuthor(a.Host[0].Name)
		e.HostOrgID, e.HostRating, e.HostNote, e.HostBy, e.HostAt = a.Host[0].ID, rating, "同意支部评定意见", name, &hostAt
		break
	}
	confirmed := d.AddDays(15 + draw(15, p, int64(y), 13))
	if confirmed.After(g.today) {
		return e
	}
	id, name := g.homeAnswerer(mb.HomeOrgID)
	when := at(confirmed, 11, 0)
	e.State, e.Rating, e.ConfirmerID, e.ConfirmedBy, e.ConfirmedAt = domain.EvaluationConfirmed, rating, id, name, &when
	if rating == domain.RatingBasic && draw(100, p, int64(y), 14) < 10 {
		e.Rating, e.ChangeReason = domain.RatingQualified, "经核实，该同志缺席系因工地封闭管理，已补学相关内容，调整为合格"
	}
	if e.Rating == domain.RatingUnqualified {
		due := confirmed.AddMonths(6)
		f := &domain.FollowUp{Kind: domain.FollowUpCorrect, DueOn: due, Open: true, OpenedBy: name, OpenedAt: when,
			Note: "限期六个月改正：支部书记每月谈心谈话一次，按时参加组织生活、交纳党费"}
		if due.Before(g.today) && mb.ContactState == domain.ContactOK {
			closed := at(due.AddDays(-10), 16, 0)
			f.Open, f.Outcome, f.OutcomeNote, f.ClosedBy, f.ClosedAt = false, domain.OutcomeCorrected, "已按期改正，恢复参加组织生活", name, &closed
		}
		e.FollowUp = f
	}
	return e
}
