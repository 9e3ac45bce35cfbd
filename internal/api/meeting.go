package api

import (
	"net/http"
	"strconv"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Meetings and attendance: the list (?org, ?from, ?to, ?kind, ?state),
// one meeting with its sheet and files, planning, recording as held,
// cancelling, the sheet, guests, leave decisions, the current check-in
// code; a member's own meetings, leave requests and QR check-in. Sheets
// name people by id and name only. Files are uploaded and read through
// the web pages.

// registerMeetings adds the meeting routes.
func (h *Handler) registerMeetings(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/meetings", h.meetings)
	mux.HandleFunc("POST "+Prefix+"/meetings", h.planMeeting)
	mux.HandleFunc("GET "+Prefix+"/meetings/{id}", h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		h.respondMeeting(w, r, c, domain.MeetingID(id), http.StatusOK)
	}))
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/held", h.holdMeeting)
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/cancel", h.cancelMeeting)
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/attendance", h.markAttendance)
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/guests", h.addGuest)
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/hosts", h.addHostAttendee)
	mux.HandleFunc("DELETE "+Prefix+"/meetings/{id}/hosts/{line}", h.removeHostAttendee)
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/leave/{person}", h.decideLeave)
	mux.HandleFunc("GET "+Prefix+"/meetings/{id}/checkin-code", h.checkinCode)
	mux.HandleFunc("POST "+Prefix+"/meetings/{id}/checkin", h.checkIn)
	mux.HandleFunc("POST "+Prefix+"/checkin", h.checkIn)
	mux.HandleFunc("GET "+Prefix+"/me/meetings", h.ownMeetings)
	mux.HandleFunc("POST "+Prefix+"/me/meetings/{id}/leave", h.askLeave)
}

type meetingDTO struct {
	ID        int64      `json:"id"`
	OrgID     int64      `json:"org_id"`
	OrgName   string     `json:"org_name"`
	Kind      string     `json:"kind"`
	State     string     `json:"state"`
	StartsAt  time.Time  `json:"starts_at"`
	EndsAt    *time.Time `json:"ends_at,omitempty"`
	HeldOn    string     `json:"held_on"`
	Place     string     `json:"place"`
	Online    bool       `json:"online"`
	Topic     string     `json:"topic"`
	Organizer string     `json:"organizer"`
	CoOrgID   int64      `json:"co_org_id,omitempty"`
	CoOrgName string     `json:"co_org_name,omitempty"`
	Minutes   string     `json:"minutes,omitempty"`
	Decisions string     `json:"decisions,omitempty"`
	Version   int64      `json:"version"`
	Expected  *int       `json:"expected,omitempty"`
	Present   *int       `json:"present,omitempty"`
}

func toMeeting(m domain.Meeting) meetingDTO {
	d := meetingDTO{ID: int64(m.ID), OrgID: int64(m.OrgID), OrgName: m.OrgName, Kind: string(m.Kind), State: string(m.State),
		StartsAt: m.StartsAt.UTC(), HeldOn: m.HeldOn.String(), Place: m.Place, Online: m.Online, Topic: m.Topic, Organizer: m.Organizer,
		CoOrgID: int64(m.CoOrgID), CoOrgName: m.CoOrgName, Minutes: m.Minutes, Decisions: m.Decisions, Version: m.Version}
	if !m.EndsAt.IsZero() {
		t := m.EndsAt.UTC()
		d.EndsAt = &t
	}
	return d
}

func toMeetingRows(rows []store.MeetingRow) []meetingDTO {
	out := make([]meetingDTO, len(rows))
	for i, r := range rows {
		out[i] = toMeeting(r.Meeting)
		out[i].Expected, out[i].Present = &rows[i].Expected, &rows[i].Present
	}
	return out
}

// lineDTO is one line of a sheet: who (id and name, nothing else) and how.
type lineDTO struct {
	PersonID    int64      `json:"person_id"`
	Name        string     `json:"name"`
	Expected    bool       `json:"expected"`
	Status      string     `json:"status"`
	LeaveReason string     `json:"leave_reason,omitempty"`
	LeaveState  string     `json:"leave_state,omitempty"`
	Method      string     `json:"method,omitempty"`
	CheckedInAt *time.Time `json:"checked_in_at,omitempty"`
	RecordedBy  string     `json:"recorded_by,omitempty"`
}

func toLine(l domain.Attendance) lineDTO {
	return lineDTO{PersonID: int64(l.PersonID), Name: l.Name, Expected: l.Expected, Status: string(l.Status), LeaveReason: l.LeaveReason,
		LeaveState: string(l.LeaveState), Method: string(l.Method), CheckedInAt: l.CheckedInAt, RecordedBy: l.RecordedBy}
}

type fileDTO struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

type meetingDetailDTO struct {
	meetingDTO
	Count       service.AttendanceCount `json:"count"`
	Lines       []lineDTO               `json:"attendance"`
	Hosts       []hostDTO               `json:"host_attendees,omitempty"`
	HostCount   *domain.HostCount       `json:"host_count,omitempty"`
	Files       []fileDTO               `json:"files"`
	CanWrite    bool                    `json:"can_write"`
	CanRecord   bool                    `json:"can_record"`
	CheckinOpen bool                    `json:"checkin_open"`
}

func (h *Handler) respondMeeting(w http.ResponseWriter, r *http.Request, c *Caller, id domain.MeetingID, status int) {
	v, err := h.svc.Meeting(r.Context(), c.Principal.Actor, id)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	d := meetingDetailDTO{meetingDTO: toMeeting(v.Meeting), Count: v.Count, Lines: []lineDTO{}, Files: []fileDTO{},
		CanWrite: v.CanWrite, CanRecord: v.CanRecord, CheckinOpen: v.CheckinOpen}
	for _, l := range v.Lines {
		d.Lines = append(d.Lines, toLine(l))
	}
	if v.Meeting.CoOrgID != 0 {
		d.Hosts, d.HostCount = toHosts(v.Hosts), &v.HostCount
	}
	for _, f := range v.Files {
		d.Files = append(d.Files, fileDTO{ID: f.ID, Name: f.Name, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256,
			UploadedAt: f.UploadedAt})
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(v.Meeting.Version, 10)))
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/meetings/"+strconv.FormatInt(int64(id), 10))
	}
	writeJSON(w, status, d)
}

func (h *Handler) meetings(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	org, err := positive(q, "org", 0)
	f := service.MeetingFilter{Org: domain.OrgID(org), Kind: domain.MeetingKind(q.Get("kind")), State: domain.MeetingState(q.Get("state")),
		Limit: 500}
	if err == nil {
		f.From, err = apiDate("from", q.Get("from"))
	}
	if err == nil {
		f.To, err = apiDate("to", q.Get("to"))
	}
	if err == nil && f.Kind != "" && !f.Kind.Valid() {
		err = domain.Invalid("kind", "meeting.kind_invalid", nil)
	}
	if err == nil && f.State != "" && f.State != domain.MeetingPlanned && f.State != domain.MeetingHeld && f.State != domain.MeetingCancelled {
		err = domain.Invalid("state", "web.orgapi.bad_state", nil)
	}
	var rows []store.MeetingRow
	if err == nil {
		rows, err = h.svc.ListMeetings(r.Context(), c.Principal.Actor, f)
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": toMeetingRows(rows)})
}

type meetingIn struct {
	OrgID     int64      `json:"org_id"`
	Kind      string     `json:"kind"`
	StartsAt  time.Time  `json:"starts_at"`
	EndsAt    *time.Time `json:"ends_at"`
	Place     string     `json:"place"`
	Online    bool       `json:"online"`
	Topic     string     `json:"topic"`
	Organizer string     `json:"organizer"`
	CoOrgID   int64      `json:"co_org_id"`
}

func (h *Handler) planMeeting(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in meetingIn
	if !h.decode(w, r, &in) {
		return
	}
	nm := service.NewMeeting{OrgID: domain.OrgID(in.OrgID), Kind: domain.MeetingKind(in.Kind), StartsAt: in.StartsAt, Place: in.Place,
		Online: in.Online, Topic: in.Topic, Organizer: in.Organizer, CoOrgID: domain.OrgID(in.CoOrgID)}
	if in.EndsAt != nil {
		nm.EndsAt = *in.EndsAt
	}
	id, err := h.svc.PlanMeeting(r.Context(), c.Principal.Actor, nm)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondMeeting(w, r, c, id, http.StatusCreated)
}

// meetingStep decodes in, runs do on the meeting in the path and answers
// with the meeting as it then is.
func meetingStep[T any](h *Handler, w http.ResponseWriter, r *http.Request, do func(c *Caller, id domain.MeetingID, in T) error) {
	idStep(h, w, r, do, func(c *Caller, id domain.MeetingID) { h.respondMeeting(w, r, c, id, http.StatusOK) })
}

type heldIn struct {
	Minutes   string `json:"minutes"`
	Decisions string `json:"decisions"`
	Version   int64  `json:"version"`
}

func (h *Handler) holdMeeting(w http.ResponseWriter, r *http.Request) {
	meetingStep(h, w, r, func(c *Caller, id domain.MeetingID, in heldIn) error {
		return h.svc.RecordHeld(r.Context(), c.Principal.Actor, id, agreementVersion(r, in.Version), in.Minutes, in.Decisions)
	})
}

type cancelIn struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

func (h *Handler) cancelMeeting(w http.ResponseWriter, r *http.Request) {
	meetingStep(h, w, r, func(c *Caller, id domain.MeetingID, in cancelIn) error {
		return h.svc.CancelMeeting(r.Context(), c.Principal.Actor, id, agreementVersion(r, in.Version), in.Reason)
	})
}

type markIn struct {
	PersonID int64  `json:"person_id"`
	Status   string `json:"status"`
	Reason   string `json:"reason"`
}

type sheetIn struct {
	Marks []markIn `json:"marks"`
}

func (h *Handler) markAttendance(w http.ResponseWriter, r *http.Request) {
	meetingStep(h, w, r, func(c *Caller, id domain.MeetingID, in sheetIn) error {
		marks := make([]service.Mark, len(in.Marks))
		for i, m := range in.Marks {
			marks[i] = service.Mark{Person: domain.PersonID(m.PersonID), Status: domain.AttendanceStatus(m.Status), Reason: m.Reason}
		}
		return h.svc.MarkAttendance(r.Context(), c.Principal.Actor, id, marks)
	})
}

type guestIn struct {
	PersonID int64 `json:"person_id"`
}

func (h *Handler) addGuest(w http.ResponseWriter, r *http.Request) {
	meetingStep(h, w, r, func(c *Caller, id domain.MeetingID, in guestIn) error {
		return h.svc.AddGuest(r.Context(), c.Principal.Actor, id, domain.PersonID(in.PersonID))
	})
}

type decideIn struct {
	Approve bool `json:"approve"`
}

func (h *Handler) decideLeave(w http.ResponseWriter, r *http.Request) {
	meetingStep(h, w, r, func(c *Caller, id domain.MeetingID, in decideIn) error {
		person, err := pathID(r, "person")
		if err != nil {
			return err
		}
		return h.svc.DecideLeave(r.Context(), c.Principal.Actor, id, domain.PersonID(person), in.Approve)
	})
}

type checkinCodeDTO struct {
	Token string                  `json:"token"`
	Path  string                  `json:"path"`
	Until time.Time               `json:"until"`
	Count service.AttendanceCount `json:"count"`
}

// checkinCode is the current code of a meeting open for check-in, for a
// screen of the secretary's own.
func (h *Handler) checkinCode(w http.ResponseWriter, r *http.Request) {
	h.byID(func(w http.ResponseWriter, r *http.Request, c *Caller, id int64) {
		code, err := h.svc.CheckinCode(r.Context(), c.Principal.Actor, domain.MeetingID(id))
		if err != nil {
			h.Fail(w, r, c.L, err)
			return
		}
		writeJSON(w, http.StatusOK, checkinCodeDTO{Token: code.Token, Path: "/checkin/" + code.Token, Until: code.Until, Count: code.Count})
	})(w, r)
}

type checkinIn struct {
	Token string `json:"token"`
}

// checkIn checks the caller's member record in with a scanned token; under
// /meetings/{id}/ the token must be that meeting's.
func (h *Handler) checkIn(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var want int64
	if r.PathValue("id") != "" {
		var err error
		if want, err = pathID(r, "id"); err != nil {
			h.Fail(w, r, c.L, err)
			return
		}
	}
	var in checkinIn
	if !h.decode(w, r, &in) {
		return
	}
	m, err := h.svc.CheckIn(r.Context(), c.Principal.Actor, domain.MeetingID(want), in.Token, "")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"meeting": toMeeting(m), "status": domain.AttendPresent})
}

type ownMeetingDTO struct {
	Meeting     meetingDTO `json:"meeting"`
	Line        lineDTO    `json:"attendance"`
	CanAskLeave bool       `json:"can_ask_leave"`
}

func (h *Handler) ownMeetings(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	list, err := h.svc.OwnMeetings(r.Context(), c.Principal.Actor, 100)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := make([]ownMeetingDTO, len(list))
	for i, o := range list {
		m := toMeeting(o.Meeting)
		m.Minutes, m.Decisions = "", ""
		out[i] = ownMeetingDTO{Meeting: m, Line: toLine(o.Line), CanAskLeave: o.CanAskLeave}
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": out})
}

type leaveIn struct {
	Reason string `json:"reason"`
}

func (h *Handler) askLeave(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	var in leaveIn
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.RequestLeave(r.Context(), c.Principal.Actor, domain.MeetingID(id), in.Reason); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
