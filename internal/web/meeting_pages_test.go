package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/web/assets"
)

func init() { moreSamples = append(moreSamples, meetingSamples) }

// sampleMeetings are a planned joint theme day, a held branch meeting and
// a cancelled lecture.
func sampleMeetings() []domain.Meeting {
	start := time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC)
	theme := domain.Meeting{ID: 7, OrgID: 4, OrgName: "灌南县驻杭州流动党委拱墅支部", Kind: domain.MeetingThemeDay, State: domain.MeetingPlanned,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), HeldOn: domain.NewDate(2026, 11, 29), Place: "拱墅区工地会议室<b>",
		Topic: "学习党的二十届四中全会精神", Organizer: "王书记", CoOrgID: 9, CoOrgName: "拱墅区米市巷街道党工委", CreatedBy: "gongshu",
		CreatedAt: at, Version: 1}
	held := theme
	held.ID, held.Kind, held.State, held.CoOrgID, held.CoOrgName = 8, domain.MeetingAssembly, domain.MeetingHeld, 0, ""
	held.HeldOn, held.Online, held.Minutes, held.Decisions = domain.NewDate(2026, 11, 3), true, "一、学习文件\n二、讨论", "确定下月主题党日"
	cancelled := held
	cancelled.ID, cancelled.Kind, cancelled.State, cancelled.HeldOn = 9, domain.MeetingLecture, domain.MeetingCancelled, domain.NewDate(2026, 11, 17)
	return []domain.Meeting{theme, held, cancelled}
}

func sampleLines() []domain.Attendance {
	t := at
	return []domain.Attendance{
		{MeetingID: 7, PersonID: 1, Name: "单雄信", Expected: true, Status: domain.AttendPresent, Method: domain.MethodQR, CheckedInAt: &t, RecordedBy: "m1", RecordedAt: &t},
		{MeetingID: 7, PersonID: 2, Name: "阿依古丽", Expected: true, Status: domain.AttendUnmarked, LeaveReason: "夜班", LeaveState: domain.LeaveRequested},
		{MeetingID: 7, PersonID: 3, Name: "张伟", IDTail: "123X", Expected: true, Status: domain.AttendLeave, LeaveReason: "住院", LeaveState: domain.LeaveApproved},
		{MeetingID: 7, PersonID: 5, Name: "张伟", IDTail: "4567", Expected: true, Status: domain.AttendAbsent},
		{MeetingID: 7, PersonID: 4, Name: "<script>", Expected: false, Status: domain.AttendPresent, Method: domain.MethodSheet},
	}
}

func meetingSamples() map[string][]any {
	ms := sampleMeetings()
	var rows []meetingRow
	for _, m := range ms {
		rows = append(rows, meetingRow{mtg{m}, 40, 31})
	}
	today := domain.NewDate(2026, 11, 29)
	first := domain.NewDate(2026, 11, 1)
	org := domain.Org{ID: 4, Name: "灌南县驻杭州流动党委拱墅支部", ShortName: "拱墅支部", Side: domain.SideMobile, Kind: domain.KindBranch}
	lines := sampleLines()
	view := service.MeetingView{Meeting: ms[0], Lines: lines, CanWrite: true, CanRecord: true, CheckinOpen: true,
		Count: service.AttendanceCount{Expected: 3, Present: 1, Leave: 1, Unmarked: 1, Guests: 1, QR: 1, Requests: 1},
		Files: []domain.MeetingFile{{ID: 1, MeetingID: 7, Name: "合影.jpg", ContentType: "image/jpeg", UploadedBy: "m1", UploadedAt: at},
			{ID: 2, MeetingID: 7, Name: "纪要.pdf", ContentType: "application/pdf", UploadedBy: "m1", UploadedAt: at}}}
	yes, no := true, false
	view.Hosts = []domain.HostAttendee{
		{ID: 1, MeetingID: 7, Name: "钱志文", Post: "拱墅区米市巷街道党工委 组织委员", PartyMember: &yes, Headcount: 1, AddedBy: "host"},
		{ID: 2, MeetingID: 7, Name: "<i>方晓燕</i>", PartyMember: &no, Headcount: 1, AddedBy: "host"},
		{ID: 3, MeetingID: 7, Name: "叶建华", Headcount: 1, AddedBy: "host"},
		{ID: 4, MeetingID: 7, Post: "辖区党员和居民", Headcount: 12, AddedBy: "host"},
	}
	view.HostCount = domain.CountHosts(view.Hosts)
	panel := &checkinPanel{MeetingID: 7, Token: "AAAA", URL: "http://example.test/checkin/AAAA", QR: "data:image/png;base64,AAAA",
		Count: view.Count, Latest: lineRows(lines[:1]), Open: true, Refresh: checkinRefresh}
	page := func(v service.MeetingView, forms meetingForms, p *checkinPanel) meetingPageData {
		d := meetingPageData{View: v, M: mtg{v.Meeting}, Lines: lineRows(v.Lines), Hosts: hostRows(v.Hosts), Forms: forms, Checkin: p,
			Statuses: domain.AttendanceStatuses(), Started: true, MaxMB: 20}
		for _, f := range []**Form{&d.Forms.Hold, &d.Forms.Cancel, &d.Forms.Attach, &d.Forms.Sheet, &d.Forms.Guest, &d.Forms.Host} {
			if *f == nil {
				*f = form(nil, nil, "")
			}
		}
		return d
	}
	held := view
	held.Meeting, held.CanWrite, held.CanRecord, held.CheckinOpen = ms[1], false, false, false
	cancelled := view
	cancelled.Meeting, cancelled.Lines, cancelled.Files = ms[2], nil, nil
	guest := page(view, meetingForms{Sheet: form(sheetValues(lines), nil, "王五 在 2026-11-29 不是本支部党员")}, nil)
	guest.GuestQuery, guest.Matches = "wang", []domain.Person{{ID: 5, Name: "王五", OriginOrgName: "新安镇党委"}}
	guest.Refused, guest.Started = "会议已取消。", false
	own := []ownMeeting{{mtg{ms[0]}, lineRow{Attendance: lines[1]}, true}, {mtg{ms[1]}, lineRow{Attendance: lines[0]}, false}}
	return map[string][]any{
		"meeting_calendar": {
			calendarData{Org: org, Year: 2026, Month: 11, Rows: rows, CanPlan: true, PrevURL: "/orgs/4/meetings?month=2026-10",
				NextURL: "/orgs/4/meetings?month=2026-12", ExportURL: "/orgs/4/meetings.xlsx?month=2026-11",
				Weeks: monthGrid(first, domain.NewDate(2026, 11, 30), today, rows)},
			calendarData{Org: org, Year: 2026, Month: 12, Weeks: monthGrid(domain.NewDate(2026, 12, 1), domain.NewDate(2026, 12, 31), today, nil)},
		},
		"meetings": {
			meetingsData{Form: form(map[string]string{"from": "2026-10-30", "to": "2027-02-27", "kind": "theme_day"}, nil, ""),
				Kinds: domain.MeetingKinds(), States: []domain.MeetingState{domain.MeetingPlanned, domain.MeetingHeld}, Rows: rows,
				ExportURL: "/meetings/export.xlsx?", CanPlan: true},
			meetingsData{Form: form(nil, nil, ""), Kinds: domain.MeetingKinds()},
		},
		"meeting_new": {
			meetingNewData{Form: form(map[string]string{"org": "4", "kind": "theme_day", "day": "2026-12-06", "start": "19:00",
				"online": "1", "co_org": "9"}, map[string]string{"co_org": "没有生效的协议", "start": "格式不对"}, "请检查"),
				Orgs: []domain.Org{org}, Hosts: []domain.Org{{ID: 9, Name: "拱墅区米市巷街道党工委", Side: domain.SideHost}}, Kinds: domain.MeetingKinds()},
		},
		"meeting": {
			page(view, meetingForms{}, panel),
			page(view, meetingForms{}, &checkinPanel{MeetingID: 7, Refresh: checkinRefresh}),
			page(held, meetingForms{}, nil),
			page(cancelled, meetingForms{}, nil),
			page(view, meetingForms{Hold: form(nil, map[string]string{"minutes": "请填写"}, "会议尚未召开"),
				Cancel: form(nil, map[string]string{"reason": "请填写"}, ""), Attach: form(nil, nil, "文件太大")}, nil),
			page(view, meetingForms{Host: form(map[string]string{"name": "钱某 330102", "party": "yes", "headcount": "3"},
				map[string]string{"headcount": "填写了姓名的一行只记一人", "name": "不登记号码"}, "请检查")}, nil),
			guest,
		},
		"checkin": {
			checkinData{Token: "AAAA", M: mtg{ms[0]}, Line: lineRow{Attendance: lines[1]}},
			checkinData{Token: "AAAA", M: mtg{ms[0]}, Refusal: "您已于 19:02 签到，无需重复签到。"},
			checkinData{Refusal: "签到码已过期"},
		},
		"me_meetings": {
			ownMeetingsData{Meetings: own, Linked: true, Form: form(map[string]string{"reason": ""}, map[string]string{"reason": "请填写"}, "x"), FormFor: 7},
			ownMeetingsData{Linked: true, Form: form(nil, nil, "")},
			ownMeetingsData{Form: form(nil, nil, "")},
		},
	}
}

// The member's own page with its meetings partial, and the panel as the
// fragment htmx fetches: executed in both languages, checked like every
// page.
func TestMeetingPartialsExecute(t *testing.T) {
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(assets.Templates())
	if err != nil {
		t.Fatal(err)
	}
	static, err := assets.NewStatic(assets.StaticFiles())
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{pages: pages, log: discardLog()}
	ms := sampleMeetings()
	lines := sampleLines()
	me := meData{Name: "单雄信", Grants: grants, Member: true, Meetings: ownMeetingsData{Linked: true,
		Meetings: []ownMeeting{{mtg{ms[0]}, lineRow{Attendance: lines[0]}, false}, {mtg{ms[1]}, lineRow{Attendance: lines[2]}, false}}}}
	for _, lang := range i18n.Languages() {
		l := &recorder{Localizer: bundle.For(lang)}
		w := httptest.NewRecorder()
		h.execute(w, 200, "me", Page{L: l, Title: "web.me.title", Account: &account, CSRF: "tok", Static: static, Path: "/me", Data: me,
			Nav: navFor(&authz.Actor{AccountID: 7, Grants: grants}, "/me")})
		out := w.Body.String()
		checkOutput(t, out, lang)
		if !strings.Contains(out, `href="/me/meetings"`) || !strings.Contains(out, ms[0].Topic) {
			t.Errorf("%s: the own page lacks its meetings", lang)
		}
		w = httptest.NewRecorder()
		h.fragment(w, "meeting", "checkin_panel", Page{L: l, Data: meetingPageData{Checkin: &checkinPanel{MeetingID: 7, Token: "TOKEN",
			URL: "http://x/checkin/TOKEN", QR: "data:image/png;base64,AAAA", Open: true, Refresh: checkinRefresh, Latest: lineRows(lines[:1])}}})
		out = w.Body.String()
		checkOutput(t, out, lang)
		for _, want := range []string{`hx-get="/meetings/7/checkin-panel"`, `hx-trigger="every 25s"`, `data-token="TOKEN"`, "单雄信"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the panel lacks %s:\n%s", lang, want, out)
			}
		}
		if len(l.missing) > 0 {
			t.Errorf("keys missing from the %s catalogue: %v", lang, l.missing)
		}
	}
}

// The month grid starts on Monday and places each meeting on its day.
func TestMonthGrid(t *testing.T) {
	rows := []meetingRow{{mtg: mtg{domain.Meeting{ID: 1, HeldOn: domain.NewDate(2026, 11, 29)}}}}
	weeks := monthGrid(domain.NewDate(2026, 11, 1), domain.NewDate(2026, 11, 30), domain.NewDate(2026, 11, 29), rows)
	// 1 November 2026 is a Sunday: the first row starts on 26 October.
	if len(weeks) != 6 || weeks[0][0].Day != 26 || weeks[0][0].In || weeks[0][6].Day != 1 || !weeks[0][6].In {
		t.Fatalf("first week %+v", weeks[0])
	}
	last := weeks[4][6]
	if last.Day != 29 || !last.Today || len(last.Meetings) != 1 || weeks[5][0].Day != 30 {
		t.Fatalf("29th %+v, last row %+v", last, weeks[5])
	}
}

// Two lines of one name show the ends of their masked ID numbers (or the
// record's number when none is on file); a name of its own does not.
func TestSheetTwins(t *testing.T) {
	rows := lineRows([]domain.Attendance{{Name: "张伟", IDTail: "123X"}, {Name: "单雄信", IDTail: "0021"}, {Name: "张伟", IDTail: "4567"},
		{Name: "王芳", PersonID: 8}, {Name: "王芳", PersonID: 9, IDTail: "0042"}, {Name: "李四"}})
	var got []string
	for _, r := range rows {
		got = append(got, r.Who())
	}
	if want := "张伟 …123X,单雄信,张伟 …4567,王芳 #8,王芳 …0042,李四"; strings.Join(got, ",") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ","), want)
	}
}
