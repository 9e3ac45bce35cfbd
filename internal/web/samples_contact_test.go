package web

import (
	"gongjian/internal/domain"
	"gongjian/internal/idcheck"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The person page's variants with contacts are added to those of
// person_pages_test.go: this file's name sorts after it, so its init (and
// its samples) come later and keep them.
func init() { moreSamples = append(moreSamples, contactSamples) }

func contactSamples() map[string][]any {
	rows := samplePeople()
	lost := rows[0]
	m := *lost.Membership
	m.ContactState, m.ContactStateOn, m.LastContactOn = domain.ContactLost, domain.NewDate(2026, 11, 29), domain.NewDate(2026, 3, 2)
	lost.Membership = &m
	contacts := contactsView{CanWrite: true, Channels: store.ContactChannels, Today: "2026-11-29",
		Form: form(map[string]string{"on": "2026-12-01", "channel": "other", "reached": "0", "note": "<b>"},
			map[string]string{"on": "联系日期不能晚于今天。"}, ""),
		List: []store.Contact{{ID: 2, On: domain.NewDate(2026, 11, 20), Channel: "visit", Note: "家中无人<b>", ActorName: "county"},
			{ID: 1, On: domain.NewDate(2026, 3, 2), Channel: "other", Reached: true, ActorName: "system"}}}
	warnings := []store.ContactWarning{
		{PersonID: 1, Name: "单雄信", Status: domain.StatusFull, HomeOrgName: "新安镇党委", MobileOrgName: "驻杭州第三支部",
			State: domain.ContactLost, StateOn: domain.NewDate(2026, 9, 2), LastContactOn: domain.NewDate(2026, 3, 2), LastChannel: "phone",
			Attempts: 2, AttemptOn: domain.NewDate(2026, 11, 20), AttemptWith: "other", AttemptNote: "电话停机<script>"},
		{PersonID: 2, Name: "阿依古丽·买买提", Status: domain.StatusProbationary, HomeOrgName: "新安镇党委", State: domain.ContactAtRisk,
			StateOn: domain.NewDate(2026, 11, 1), LastContactOn: domain.NewDate(2026, 8, 1)},
	}
	orgs := []orgOption{{ID: 1, Label: "灌南县委", Side: domain.SideOrigin, Group: true, Closes: true}}
	page := service.WarningPage{Rows: warnings, AtRisk: 1, Lost: 1, Total: 2, Page: 2, Pages: 3, Today: domain.NewDate(2026, 11, 29)}
	editBad := form(map[string]string{"name": "李4", "version": "3", "city_code": "330100", "phone": "12"},
		map[string]string{"name": "姓名中不能有数字", "phone": "手机号不对"}, "记录已被他人修改")
	mBad := form(map[string]string{"status": "full", "home_org": "3", "version": "2"}, map[string]string{"reason": "请填写变更原因"}, "")
	homes := []domain.Org{{ID: 5, Name: "百禄镇党委"}}
	return map[string][]any{
		"contact_list": {
			contactListData{Form: form(map[string]string{"state": "lost", "org": "1"}, nil, ""), Page: page, Orgs: orgs,
				Thresholds: domain.DefaultContactThresholds(), CanSettings: true, PrevURL: "/people/contact?page=1",
				NextURL: "/people/contact?page=3", ExportURL: "/people/contact/export.xlsx?state=lost"},
			contactListData{Form: blankForm(), Page: service.WarningPage{Page: 1, Pages: 1}, ExportURL: "/people/contact/export.xlsx"},
		},
		"contact_settings": {
			contactSettingsData{Form: form(map[string]string{"at_risk_months": "6", "lost_months": "3"},
				map[string]string{"lost_months": "失联的月数须多于预警的月数。"}, "")},
		},
		"person_edit": {
			personEditData{P: rows[0], Form: personEditForm(rows[0].Person), MForm: membershipForm(rows[0].Person), Ethnic: idcheck.EthnicGroups(),
				Statuses: domain.MemberStatuses(), Industries: industryCodes(), Homes: homes, CanID: true},
			personEditData{P: rows[2], Form: editBad, MForm: mBad, Statuses: domain.MemberStatuses()},
			personEditData{P: rows[1], Form: personEditForm(rows[1].Person), MForm: mBad, Statuses: domain.MemberStatuses(), Homes: homes},
		},
		"person": append(personSamples()["person"],
			personPageData{P: lost, CanEdit: true, Contacts: contacts,
				History: []store.PersonEvent{{Kind: "contact_state", On: domain.NewDate(2026, 9, 2), ActorName: "system"},
					{Kind: "moved"}, {Kind: "edited"}, {Kind: "status_changed"}, {Kind: "transferred"}, {Kind: "membership_edited"}}},
			personPageData{P: rows[2], Contacts: contactsView{Form: blankForm()}}),
	}
}
