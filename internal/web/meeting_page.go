package web

import (
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// One meeting's page: its record, the rotating QR code while it is open
// for check-in, the attendance sheet with leave requests and guests, the
// minutes, cancellation and files. Each form posts to /meetings/{id}/…
// and comes back here with its errors.

// meetingForms are the page's forms; nil ones get defaults. failed is the
// form a refusal belongs to, refused its message for when the page does
// not show that form.
type meetingForms struct {
	Hold, Cancel, Attach, Sheet, Guest, Host *Form

	failed  *Form
	refused string
}

type meetingPageData struct {
	View     service.MeetingView
	M        mtg
	Lines    []lineRow
	Hosts    []hostRow // the host side of a joint meeting
	Forms    meetingForms
	Refused  string
	Checkin  *checkinPanel // while open, for those who keep attendance
	Statuses []domain.AttendanceStatus
	Started  bool // presence and absence may be marked
	MaxMB    int64
	// GuestQuery and Matches are the guest search's question and answers.
	GuestQuery string
	Matches    []domain.Person
}

// lineRow is one line of the sheet. Twin says that another line has the
// same name: the line then shows the end of the masked ID number.
type lineRow struct {
	domain.Attendance
	Twin bool
}

// Who is the line's name, with the end of the ID number for a twin (the
// record's number when no ID number is on file).
func (l lineRow) Who() string {
	switch {
	case !l.Twin:
		return l.Name
	case l.IDTail != "":
		return l.Name + " …" + l.IDTail
	default:
		return l.Name + " #" + strconv.FormatInt(int64(l.PersonID), 10)
	}
}

// Field names the line's form field, "status_12".
func (l lineRow) Field(name string) string {
	return name + "_" + strconv.FormatInt(int64(l.PersonID), 10)
}

// StatusKey, LeaveKey and MethodKey are catalogue keys of the line's codes.
func (l lineRow) StatusKey() string { return "web.meeting.status." + string(l.Status) }
func (l lineRow) LeaveKey() string  { return "web.meeting.leave." + string(l.LeaveState) }
func (l lineRow) MethodKey() string { return "web.meeting.method." + string(l.Method) }

// CheckedIn is the check-in's time of day in Beijing.
func (l lineRow) CheckedIn() string {
	if l.CheckedInAt == nil {
		return ""
	}
	return l.CheckedInAt.In(shanghai).Format("15:04:05")
}

// Requested reports a request for leave waiting for a decision.
func (l lineRow) Requested() bool { return l.LeaveState == domain.LeaveRequested }

func lineRows(ls []domain.Attendance) []lineRow {
	names := map[string]int{}
	for _, l := range ls {
		names[l.Name]++
	}
	out := make([]lineRow, len(ls))
	for i, l := range ls {
		out[i] = lineRow{l, names[l.Name] > 1}
	}
	return out
}

// Shows reports whether the page shows form f (so a refusal is shown on
// it rather than above the page).
func (d meetingPageData) shows(f *Form) bool {
	v := d.View
	switch f {
	case d.Forms.Sheet, d.Forms.Guest:
		return v.CanRecord && v.Meeting.State != domain.MeetingCancelled
	case d.Forms.Host:
		return d.HostsEditable()
	case d.Forms.Hold, d.Forms.Attach:
		return v.CanWrite && v.Meeting.State != domain.MeetingCancelled
	case d.Forms.Cancel:
		return v.CanWrite && v.Meeting.State == domain.MeetingPlanned
	}
	return false
}

func (h *Handler) meeting(w http.ResponseWriter, r *http.Request) {
	h.showMeeting(w, r, http.StatusOK, meetingForms{})
}

func (h *Handler) showMeeting(w http.ResponseWriter, r *http.Request, status int, forms meetingForms) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := h.principal(r).Actor
	v, err := h.svc.Meeting(r.Context(), a, domain.MeetingID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := v.Meeting
	d := meetingPageData{View: v, M: mtg{m}, Lines: lineRows(v.Lines), Hosts: hostRows(v.Hosts), Forms: forms, Statuses: domain.AttendanceStatuses(),
		Started: !m.StartsAt.After(h.svc.Now()), MaxMB: (h.svc.MeetingFileLimit() + 1<<20 - 1) >> 20}
	version := strconv.FormatInt(m.Version, 10)
	defaults := []struct {
		p      **Form
		values map[string]string
	}{
		{&d.Forms.Hold, map[string]string{"minutes": m.Minutes, "decisions": m.Decisions, "version": version}},
		{&d.Forms.Cancel, map[string]string{"version": version}},
		{&d.Forms.Attach, nil},
		{&d.Forms.Sheet, sheetValues(v.Lines)},
		{&d.Forms.Guest, nil},
		{&d.Forms.Host, nil},
	}
	for _, f := range defaults {
		if *f.p == nil {
			*f.p = blankForm()
			for k, val := range f.values {
				(*f.p).Values[k] = val
			}
		}
	}
	if forms.failed != nil && !d.shows(forms.failed) {
		d.Refused = forms.refused
	}
	if v.CheckinOpen && v.CanRecord {
		if d.Checkin, err = h.checkinPanelFor(r, m.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if q := strings.TrimSpace(r.URL.Query().Get("guest")); q != "" && d.shows(d.Forms.Guest) {
		d.GuestQuery = q
		member := true
		page, err := h.svc.SearchPersons(r.Context(), a, service.PersonSearch{Text: q, Members: &member, Limit: 10})
		if err != nil && !formError(err) {
			h.fail(w, r, err)
			return
		}
		for _, p := range page.People {
			if !slices.ContainsFunc(v.Lines, func(l domain.Attendance) bool { return l.PersonID == p.ID }) {
				d.Matches = append(d.Matches, p)
			}
		}
	}
	h.renderAt(w, r, meetingURL(m.ID), status, "meeting", m.Topic, d)
}

// HostsEditable reports whether the page offers to add and remove the
// host side's people: a joint meeting (or sitting-in) that has begun, not
// cancelled, for whoever keeps its attendance.
func (d meetingPageData) HostsEditable() bool {
	v := d.View
	return v.CanRecord && v.Meeting.CoOrgID != 0 && v.Meeting.State != domain.MeetingCancelled && d.Started
}

// sheetValues fills the sheet form with the lines as they stand.
func sheetValues(ls []domain.Attendance) map[string]string {
	out := map[string]string{}
	for _, l := range lineRows(ls) {
		out[l.Field("status")] = string(l.Status)
		out[l.Field("reason")] = l.LeaveReason
	}
	return out
}

// meetingAction runs one change of the meeting in the path: refused for a
// reason that belongs on the form, the page comes back with that form (put
// in place by slot); otherwise the browser goes back to the page, with
// flash.
func (h *Handler) meetingAction(w http.ResponseWriter, r *http.Request, fields []string, slot func(*meetingForms, *Form), flash string,
	do func(id domain.MeetingID, f *Form) error) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, fields...)
	if err := do(domain.MeetingID(id), f); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, fields...)
		forms := meetingForms{failed: f, refused: v.L.Err(err)}
		slot(&forms, f)
		h.showMeeting(w, r, StatusOf(domain.CodeOf(err)), forms)
		return
	}
	h.flash(w, flash)
	redirect(w, r, meetingURL(domain.MeetingID(id)))
}

func (h *Handler) holdMeeting(w http.ResponseWriter, r *http.Request) {
	h.meetingAction(w, r, []string{"minutes", "decisions", "version"}, func(fs *meetingForms, f *Form) { fs.Hold = f },
		"web.meeting.flash.held", func(id domain.MeetingID, f *Form) error {
			p := &formReader{f: f}
			version := p.version("version")
			if p.err != nil {
				return p.err
			}
			return h.svc.RecordHeld(r.Context(), h.principal(r).Actor, id, version, f.Get("minutes"), f.Get("decisions"))
		})
}

func (h *Handler) cancelMeeting(w http.ResponseWriter, r *http.Request) {
	h.meetingAction(w, r, []string{"reason", "version"}, func(fs *meetingForms, f *Form) { fs.Cancel = f },
		"web.meeting.flash.cancelled", func(id domain.MeetingID, f *Form) error {
			p := &formReader{f: f}
			version := p.version("version")
			if p.err != nil {
				return p.err
			}
			return h.svc.CancelMeeting(r.Context(), h.principal(r).Actor, id, version, f.Get("reason"))
		})
}

// markAttendance applies the sheet: a status_{person} (and reason_{person})
// field per line.
func (h *Handler) markAttendance(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, domain.Invalid("sheet", "web.meeting.bad_sheet", nil))
		return
	}
	var fields []string
	var marks []service.Mark
	for k := range r.PostForm {
		id, ok := strings.CutPrefix(k, "status_")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			continue
		}
		fields = append(fields, k, "reason_"+id)
		marks = append(marks, service.Mark{Person: domain.PersonID(n), Status: domain.AttendanceStatus(r.PostFormValue(k)),
			Reason: r.PostFormValue("reason_" + id)})
	}
	slices.SortFunc(marks, func(a, b service.Mark) int { return int(a.Person - b.Person) })
	h.meetingAction(w, r, fields, func(fs *meetingForms, f *Form) { fs.Sheet = f }, "web.meeting.flash.attendance",
		func(id domain.MeetingID, _ *Form) error {
			return h.svc.MarkAttendance(r.Context(), h.principal(r).Actor, id, marks)
		})
}

func (h *Handler) addGuest(w http.ResponseWriter, r *http.Request) {
	h.meetingAction(w, r, []string{"person"}, func(fs *meetingForms, f *Form) { fs.Guest = f }, "web.meeting.flash.guest",
		func(id domain.MeetingID, f *Form) error {
			n, err := strconv.ParseInt(f.Get("person"), 10, 64)
			if err != nil {
				return domain.Invalid("person", "meeting.guest_unknown", nil)
			}
			return h.svc.AddGuest(r.Context(), h.principal(r).Actor, id, domain.PersonID(n))
		})
}

// decideLeave approves (or refuses) the request for leave of the person in
// the path.
func (h *Handler) decideLeave(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		person, err := pathID(r, "person")
		if err != nil {
			h.fail(w, r, err)
			return
		}
		flash := "web.meeting.flash.leave_refused"
		if approve {
			flash = "web.meeting.flash.leave_approved"
		}
		h.meetingAction(w, r, nil, func(fs *meetingForms, f *Form) { fs.Sheet = f }, flash,
			func(id domain.MeetingID, _ *Form) error {
				return h.svc.DecideLeave(r.Context(), h.principal(r).Actor, id, domain.PersonID(person), approve)
			})
	}
}

// attachMeetingFile keeps an uploaded photo or document with the meeting.
// The server caps the body a little above the file limit.
func (h *Handler) attachMeetingFile(w http.ResponseWriter, r *http.Request) {
	parseErr := r.ParseMultipartForm(maxUploadMemory)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	h.meetingAction(w, r, nil, func(fs *meetingForms, f *Form) { fs.Attach = f }, "web.meeting.flash.attached",
		func(id domain.MeetingID, _ *Form) error {
			var tooBig *http.MaxBytesError
			if errors.As(parseErr, &tooBig) {
				return domain.Invalid("file", "meeting.file_too_big", map[string]any{"MB": (h.svc.MeetingFileLimit() + 1<<20 - 1) >> 20})
			}
			file, hdr, err := r.FormFile("file")
			if err != nil {
				return domain.Invalid("file", "web.meeting.file_required", nil)
			}
			defer file.Close()
			_, err = h.svc.AttachMeetingFile(r.Context(), h.principal(r).Actor, id, hdr.Filename, file)
			return err
		})
}

// meetingFile sends a meeting's file: photos shown in the page, documents
// as downloads under the name they were uploaded with.
func (h *Handler) meetingFile(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	fid, err := pathID(r, "file")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, data, err := h.svc.MeetingFile(r.Context(), h.principal(r).Actor, domain.MeetingID(id), fid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	disposition := "attachment"
	if f.Image() {
		disposition = "inline"
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	ascii := "meeting-file-" + strconv.FormatInt(fid, 10) + strings.ToLower(filepath.Ext(f.Name))
	w.Header().Set("Content-Disposition", strings.Replace(attachment(ascii, f.Name),
		"attachment", disposition, 1))
	w.Write(data)
}

// attendanceExport writes the sheet as an xlsx file.
func (h *Handler) attendanceExport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.visit(r).L
	v, err := h.svc.ExportAttendance(r.Context(), h.principal(r).Actor, domain.MeetingID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := []string{l.T("web.meeting.name"), l.T("web.meeting.line_kind"), l.T("web.meeting.status_label"), l.T("web.meeting.reason"),
		l.T("web.meeting.leave_label"), l.T("web.meeting.method_label"), l.T("web.meeting.checked_in"), l.T("web.meeting.recorded_by")}
	rows := make([][]string, 0, len(v.Lines))
	for _, ln := range lineRows(v.Lines) {
		kind, leave, method := l.T("web.meeting.expected_line"), "", ""
		if !ln.Expected {
			kind = l.T("web.meeting.guest_line")
		}
		if ln.LeaveState != "" {
			leave = l.T(ln.LeaveKey())
		}
		if ln.Method != "" {
			method = l.T(ln.MethodKey())
		}
		rows = append(rows, []string{ln.Who(), kind, l.T(ln.StatusKey()), ln.LeaveReason, leave, method, ln.CheckedIn(), ln.RecordedBy})
	}
	if v.Meeting.CoOrgID != 0 {
		header = append(header, l.T("web.meeting.host.post"), l.T("web.meeting.host.party"), l.T("web.meeting.host.headcount"))
		rows = append(rows, hostExportRows(l, v.Hosts)...)
	}
	m := mtg{v.Meeting}
	h.sendXLSX(w, r, l.T("web.meeting.sheet_title"), "attendance-"+strconv.FormatInt(id, 10)+".xlsx",
		l.T("web.meeting.sheet_filename", "Day", m.HeldOn.String(), "Topic", m.Topic)+".xlsx", header, rows)
}
