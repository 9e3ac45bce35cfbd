package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// A member's own meetings on a phone: those ahead, where leave may be
// asked for with a reason, and the record of attendance. The member's own
// page (me.html) shows the latest few through the me_meetings partial.

// ownMeeting is one meeting on the member's phone.
type ownMeeting struct {
	mtg
	Line        lineRow
	CanAskLeave bool
}

func ownMeetings(list []service.OwnMeeting) []ownMeeting {
	out := make([]ownMeeting, len(list))
	for i, o := range list {
		out[i] = ownMeeting{mtg{o.Meeting}, lineRow{Attendance: o.Line}, o.CanAskLeave}
	}
	return out
}

// Start is the meeting's day and hours, Beijing time.
func (o ownMeeting) Start() string { return o.HeldOn.String() + " " + o.Hours() }

// ownMeetingsData is the member's meetings page, and the partial's data.
type ownMeetingsData struct {
	Meetings []ownMeeting
	Linked   bool // the account is linked to its member record
	Form     *Form
	FormFor  domain.MeetingID // the meeting whose leave form failed
}

// myMeetings loads the member's meetings; an account not linked to a
// record has none, and the page says so.
func (h *Handler) myMeetings(r *http.Request, limit int) (ownMeetingsData, error) {
	list, err := h.svc.OwnMeetings(r.Context(), h.principal(r).Actor, limit)
	if err != nil && domain.AsError(err).MsgID == "meeting.account_not_linked" {
		return ownMeetingsData{Form: blankForm()}, nil
	}
	return ownMeetingsData{Meetings: ownMeetings(list), Linked: true, Form: blankForm()}, err
}

func (h *Handler) meMeetings(w http.ResponseWriter, r *http.Request) {
	h.showMeMeetings(w, r, http.StatusOK, nil, 0)
}

func (h *Handler) showMeMeetings(w http.ResponseWriter, r *http.Request, status int, f *Form, id domain.MeetingID) {
	d, err := h.myMeetings(r, 100)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f != nil {
		d.Form, d.FormFor = f, id
	}
	h.renderAt(w, r, "/me/meetings", status, "me_meetings", "web.me_meetings.title", d)
}

// askLeave is a member's request for leave from one meeting.
func (h *Handler) askLeave(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, "reason")
	if err := h.svc.RequestLeave(r.Context(), v.Principal.Actor, domain.MeetingID(id), f.Get("reason")); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "reason")
		h.showMeMeetings(w, r, StatusOf(domain.CodeOf(err)), f, domain.MeetingID(id))
		return
	}
	h.flash(w, "web.me_meetings.flash.leave_asked")
	redirect(w, r, "/me/meetings#m-"+strconv.FormatInt(id, 10))
}
