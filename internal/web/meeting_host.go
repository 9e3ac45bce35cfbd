package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/i18n"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The host side of a joint meeting on its page: the host organization's
// people who came (named, or a headcount), added and removed by whoever
// keeps the meeting's attendance.

// hostRow is one line of the host side.
type hostRow struct{ domain.HostAttendee }

// PartyKey is the catalogue key of the line's Party membership ("" when
// not said).
func (h hostRow) PartyKey() string {
	switch {
	case h.PartyMember == nil:
		return ""
	case *h.PartyMember:
		return "web.meeting.host.party_yes"
	}
	return "web.meeting.host.party_no"
}

func hostRows(hs []domain.HostAttendee) []hostRow {
	out := make([]hostRow, len(hs))
	for i, h := range hs {
		out[i] = hostRow{h}
	}
	return out
}

// partyChoice reads the Party membership select: "yes", "no" or not said.
func partyChoice(v string) (*bool, error) {
	switch v {
	case "":
		return nil, nil
	case "yes", "no":
		b := v == "yes"
		return &b, nil
	}
	return nil, domain.Invalid("party", "web.meeting.host.bad_party", nil)
}

var hostFields = []string{"name", "post", "party", "headcount"}

func (h *Handler) addHostAttendee(w http.ResponseWriter, r *http.Request) {
	h.meetingAction(w, r, hostFields, func(fs *meetingForms, f *Form) { fs.Host = f }, "web.meeting.flash.host_added",
		func(id domain.MeetingID, f *Form) error {
			p := &formReader{f: f}
			n := p.count("headcount")
			party, err := partyChoice(f.Get("party"))
			if p.err != nil {
				return p.err
			}
			if err != nil {
				return err
			}
			_, err = h.svc.AddHostAttendee(r.Context(), h.principal(r).Actor, id, service.HostAttendeeInput{Name: f.Get("name"),
				Post: f.Get("post"), PartyMember: party, Headcount: n})
			return err
		})
}

func (h *Handler) removeHostAttendee(w http.ResponseWriter, r *http.Request) {
	line, err := pathID(r, "line")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.meetingAction(w, r, nil, func(fs *meetingForms, f *Form) { fs.Host = f }, "web.meeting.flash.host_removed",
		func(id domain.MeetingID, _ *Form) error {
			return h.svc.RemoveHostAttendee(r.Context(), h.principal(r).Actor, id, line)
		})
}

// hostExportRows are the host side's lines of the sheet's export, after
// the members': the sheet's columns, then unit and post, Party membership
// and headcount.
func hostExportRows(l *i18n.Localizer, hs []domain.HostAttendee) [][]string {
	out := make([][]string, 0, len(hs))
	for _, h := range hostRows(hs) {
		name, party := h.Name, ""
		if !h.Named() {
			name = l.T("web.meeting.host.unnamed")
		}
		if k := h.PartyKey(); k != "" {
			party = l.T(k)
		}
		out = append(out, []string{name, l.T("web.meeting.host.line"), l.T("web.meeting.status.present"), "", "", "", "", h.AddedBy,
			h.Post, party, strconv.Itoa(h.Headcount)})
	}
	return out
}
