package api

import (
	"net/http"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The host side of a joint meeting: its lines in the meeting's detail
// (host_attendees, host_count, apart from the members' count), added with
// POST …/hosts and removed with DELETE …/hosts/{line}.

// hostDTO is one line of the host side: a named person or a headcount.
type hostDTO struct {
	ID          int64  `json:"id"`
	Name        string `json:"name,omitempty"`
	Post        string `json:"post,omitempty"`
	PartyMember *bool  `json:"party_member,omitempty"`
	Headcount   int    `json:"headcount"`
	AddedBy     string `json:"added_by"`
}

func toHosts(hs []domain.HostAttendee) []hostDTO {
	out := make([]hostDTO, len(hs))
	for i, h := range hs {
		out[i] = hostDTO{ID: h.ID, Name: h.Name, Post: h.Post, PartyMember: h.PartyMember, Headcount: h.Headcount, AddedBy: h.AddedBy}
	}
	return out
}

type hostIn struct {
	Name        string `json:"name"`
	Post        string `json:"post"`
	PartyMember *bool  `json:"party_member"`
	Headcount   int    `json:"headcount"`
}

func (h *Handler) addHostAttendee(w http.ResponseWriter, r *http.Request) {
	meetingStep(h, w, r, func(c *Caller, id domain.MeetingID, in hostIn) error {
		_, err := h.svc.AddHostAttendee(r.Context(), c.Principal.Actor, id, service.HostAttendeeInput{Name: in.Name, Post: in.Post,
			PartyMember: in.PartyMember, Headcount: in.Headcount})
		return err
	})
}

func (h *Handler) removeHostAttendee(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err == nil {
		var line int64
		if line, err = pathID(r, "line"); err == nil {
			err = h.svc.RemoveHostAttendee(r.Context(), c.Principal.Actor, domain.MeetingID(id), line)
		}
	}
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	h.respondMeeting(w, r, c, domain.MeetingID(id), http.StatusOK)
}
