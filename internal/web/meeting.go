package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Meetings of organizational life: an organization's calendar (a month
// grid on a desktop, a list on a phone), the list of every meeting the
// visitor may read, planning a meeting, and their exports. One meeting's
// page is meeting_page.go; QR check-in is checkin.go.

func meetingURL(id domain.MeetingID) string { return "/meetings/" + strconv.FormatInt(int64(id), 10) }

// mtg is a meeting as the pages show it.
type mtg struct{ domain.Meeting }

// KindKey is the catalogue key of the meeting's kind.
func (m mtg) KindKey() string { return "meeting.kind." + string(m.Kind) }

// StateKey is the catalogue key of the meeting's state.
func (m mtg) StateKey() string { return "web.meeting.state." + string(m.State) }

// Badge is the badge class of the meeting's state.
func (m mtg) Badge() string {
	switch m.State {
	case domain.MeetingHeld:
		return "badge-ok"
	case domain.MeetingCancelled:
		return "badge-muted"
	}
	return "badge-accent"
}

// URL is the meeting's page.
func (m mtg) URL() string { return meetingURL(m.ID) }

// Hours is the meeting's time of day in Beijing, "19:00–21:00".
func (m mtg) Hours() string {
	s := m.StartsAt.In(shanghai).Format("15:04")
	if !m.EndsAt.IsZero() {
		s += "–" + m.EndsAt.In(shanghai).Format("15:04")
	}
	return s
}

// meetingRow is a meeting in a list, with its head counts.
type meetingRow struct {
	mtg
	Expected, Present int
}

func meetingRows(rows []store.MeetingRow) []meetingRow {
	out := make([]meetingRow, len(rows))
	for i, r := range rows {
		out[i] = meetingRow{mtg{r.Meeting}, r.Expected, r.Present}
	}
	return out
}

// calendarData is an organization's month of meetings.
type calendarData struct {
	Org              domain.Org
	Year, Month      int
	PrevURL, NextURL string
	Weeks            [][]calDay
	Rows             []meetingRow
	CanPlan          bool
	ExportURL        string
}

// calDay is one square of the month grid.
type calDay struct {
	Day      int
	In       bool // in the month shown (the grid starts on Monday)
	Today    bool
	Meetings []meetingRow
}

// Weekdays are the column headings' keys, Monday first.
func (calendarData) Weekdays() []string {
	return []string{"web.meeting.weekday.1", "web.meeting.weekday.2", "web.meeting.weekday.3", "web.meeting.weekday.4",
		"web.meeting.weekday.5", "web.meeting.weekday.6", "web.meeting.weekday.7"}
}

// monthOf reads ?month=YYYY-MM, or the current month; it returns the
// month's first and last days.
func monthOf(q url.Values, today domain.Date) (first, last domain.Date) {
	t, err := time.Parse("2006-01", q.Get("month"))
	if err != nil {
		t = today.Time()
	}
	first = domain.NewDate(t.Year(), t.Month(), 1)
	return first, domain.SpanOf(domain.Monthly, first).Last
}

func monthParam(d domain.Date) string { return d.Time().Format("2006-01") }

// orgMeetings is GET /orgs/{id}/meetings: the month grid and its list.
func (h *Handler) orgMeetings(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.svc.Today()
	first, last := monthOf(r.URL.Query(), today)
	cal, err := h.svc.OrgMeetings(r.Context(), h.principal(r).Actor, service.MeetingFilter{Org: domain.OrgID(id), From: first, To: last})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := "/orgs/" + strconv.FormatInt(id, 10) + "/meetings"
	d := calendarData{Org: cal.Org, Year: first.Time().Year(), Month: int(first.Time().Month()), Rows: meetingRows(cal.Rows),
		CanPlan: cal.CanPlan, PrevURL: base + "?month=" + monthParam(first.AddDays(-1)),
		NextURL: base + "?month=" + monthParam(last.AddDays(1)), ExportURL: base + ".xlsx?month=" + monthParam(first)}
	d.Weeks = monthGrid(first, last, today, d.Rows)
	h.render(w, r, http.StatusOK, "meeting_calendar", cal.Org.Name, d)
}

// monthGrid lays the month out in weeks from Monday to Sunday, with each
// day's meetings.
func monthGrid(first, last, today domain.Date, rows []meetingRow) [][]calDay {
	byDay := map[domain.Date][]meetingRow{}
	for _, m := range rows {
		byDay[m.HeldOn] = append(byDay[m.HeldOn], m)
	}
	start := first.AddDays(-((int(first.Time().Weekday()) + 6) % 7))
	var weeks [][]calDay
	for d := start; !d.After(last); {
		week := make([]calDay, 7)
		for i := range week {
			week[i] = calDay{Day: d.Time().Day(), In: !d.Before(first) && !d.After(last), Today: d == today, Meetings: byDay[d]}
			d = d.AddDays(1)
		}
		weeks = append(weeks, week)
	}
	return weeks
}

// orgMeetingsExport is the month's meetings as an xlsx file.
func (h *Handler) orgMeetingsExport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	first, last := monthOf(r.URL.Query(), h.svc.Today())
	h.exportMeetings(w, r, service.MeetingFilter{Org: domain.OrgID(id), From: first, To: last})
}

// meetingsData is the list of meetings across the organizations the
// visitor may read.
type meetingsData struct {
	Form      *Form
	Kinds     []domain.MeetingKind
	States    []domain.MeetingState
	Rows      []meetingRow
	ExportURL string
	CanPlan   bool
}

// meetingFilter reads the list's filter (from, to, kind, state); bad or
// unknown values fall back to the defaults: thirty days back to ninety
// ahead, every kind and state.
func meetingFilter(q url.Values, today domain.Date) (service.MeetingFilter, *Form) {
	f := service.MeetingFilter{From: today.AddDays(-30), To: today.AddDays(90)}
	if d, err := domain.ParseDate(q.Get("from")); err == nil {
		f.From = d
	}
	if d, err := domain.ParseDate(q.Get("to")); err == nil {
		f.To = d
	}
	if k := domain.MeetingKind(q.Get("kind")); k.Valid() {
		f.Kind = k
	}
	switch s := domain.MeetingState(q.Get("state")); s {
	case domain.MeetingPlanned, domain.MeetingHeld, domain.MeetingCancelled:
		f.State = s
	}
	form := blankForm()
	form.Values["from"], form.Values["to"] = f.From.String(), f.To.String()
	form.Values["kind"], form.Values["state"] = string(f.Kind), string(f.State)
	return f, form
}

func (h *Handler) meetings(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.MeetingRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	f, form := meetingFilter(r.URL.Query(), h.svc.Today())
	rows, err := h.svc.ListMeetings(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := meetingsData{Form: form, Kinds: domain.MeetingKinds(), States: []domain.MeetingState{domain.MeetingPlanned,
		domain.MeetingHeld, domain.MeetingCancelled}, Rows: meetingRows(rows), CanPlan: canSomewhere(a, authz.OrgWrite),
		ExportURL: "/meetings/export.xlsx?" + r.URL.RawQuery}
	h.render(w, r, http.StatusOK, "meetings", "web.meeting.title", d)
}

func (h *Handler) meetingsExport(w http.ResponseWriter, r *http.Request) {
	f, _ := meetingFilter(r.URL.Query(), h.svc.Today())
	h.exportMeetings(w, r, f)
}

// exportMeetings writes the meetings f selects as an xlsx file, one row
// per meeting with its head counts.
func (h *Handler) exportMeetings(w http.ResponseWriter, r *http.Request, f service.MeetingFilter) {
	l := h.visit(r).L
	rows, err := h.svc.ExportMeetings(r.Context(), h.principal(r).Actor, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.meeting.day"), l.T("web.meeting.hours"), l.T("web.meeting.kind"), l.T("web.meeting.topic"),
		l.T("web.meeting.org"), l.T("web.meeting.co_org"), l.T("web.meeting.place"), l.T("web.meeting.organizer"),
		l.T("web.meeting.state_label"), l.T("web.meeting.expected"), l.T("web.meeting.present")}
	out := make([][]string, 0, len(rows))
	for _, m := range meetingRows(rows) {
		place := m.Place
		if m.Online {
			place = strings.TrimSpace(l.T("web.meeting.online") + " " + place)
		}
		out = append(out, []string{m.HeldOn.String(), m.Hours(), l.T(m.KindKey()), m.Topic, m.OrgName, m.CoOrgName, place,
			m.Organizer, l.T(m.StateKey()), strconv.Itoa(m.Expected), strconv.Itoa(m.Present)})
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.meeting.export_sheet"), "meetings-"+stamp+".xlsx",
		l.T("web.meeting.export_filename", "Stamp", stamp)+".xlsx", header, out)
}

// registerMeetings adds the routes of meetings, attendance and check-in.
func (h *Handler) registerMeetings(mux *http.ServeMux) {
	mux.HandleFunc("GET /meetings", h.meetings)
	mux.HandleFunc("POST /meetings", h.planMeeting)
	mux.HandleFunc("GET /meetings/export.xlsx", h.meetingsExport)
	mux.HandleFunc("GET /meetings/new", h.meetingNew)
	mux.HandleFunc("GET /meetings/{id}", h.meeting)
	mux.HandleFunc("GET /meetings/{id}/checkin-panel", h.checkinPanelFragment)
	mux.HandleFunc("GET /meetings/{id}/attendance.xlsx", h.attendanceExport)
	mux.HandleFunc("POST /meetings/{id}/attendance", h.markAttendance)
	mux.HandleFunc("POST /meetings/{id}/guests", h.addGuest)
	mux.HandleFunc("POST /meetings/{id}/hosts", h.addHostAttendee)
	mux.HandleFunc("POST /meetings/{id}/hosts/{line}/delete", h.removeHostAttendee)
	mux.HandleFunc("POST /meetings/{id}/leave/{person}/approve", h.decideLeave(true))
	mux.HandleFunc("POST /meetings/{id}/leave/{person}/refuse", h.decideLeave(false))
	mux.HandleFunc("POST /meetings/{id}/held", h.holdMeeting)
	mux.HandleFunc("POST /meetings/{id}/cancel", h.cancelMeeting)
	mux.HandleFunc("POST /meetings/{id}/files", h.attachMeetingFile)
	mux.HandleFunc("GET /meetings/{id}/files/{file}", h.meetingFile)
	mux.HandleFunc("GET /orgs/{id}/meetings", h.orgMeetings)
	mux.HandleFunc("GET /orgs/{id}/meetings.xlsx", h.orgMeetingsExport)
	mux.HandleFunc("GET /checkin/{token}", h.checkin)
	mux.HandleFunc("POST /checkin/{token}", h.checkinPost)
	mux.HandleFunc("GET /me/meetings", h.meMeetings)
	mux.HandleFunc("POST /me/meetings/{id}/leave", h.askLeave)
}
