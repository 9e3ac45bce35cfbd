package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// Planning a meeting: the organization (those the visitor may plan for),
// kind, day and hours in Beijing time, place or online, topic, organizer
// and, for a joint meeting or a sitting-in, the host organization. The
// service checks the rest (the agreement behind a co-organizer).

var meetingFields = []string{"org", "kind", "day", "start", "end", "place", "online", "topic", "organizer", "co_org"}

// meetingFieldNames are the fields a refusal may name on the form (the
// service's starts_at and ends_at are the form's start and end).
var meetingFieldNames = []string{"org", "kind", "day", "start", "end", "place", "topic", "co_org"}

type meetingNewData struct {
	Form  *Form
	Orgs  []domain.Org
	Hosts []domain.Org
	Kinds []domain.MeetingKind
}

func (h *Handler) meetingNew(w http.ResponseWriter, r *http.Request) {
	f := blankForm()
	f.Values["org"] = r.URL.Query().Get("org")
	f.Values["kind"] = string(domain.MeetingThemeDay)
	f.Values["day"] = h.svc.Today().AddDays(7).String()
	f.Values["start"], f.Values["end"] = "19:00", "21:00"
	h.showMeetingNew(w, r, http.StatusOK, f)
}

func (h *Handler) showMeetingNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	d, err := h.meetingChoices(r.Context(), h.principal(r).Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(d.Orgs) == 0 {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	d.Form = f
	h.renderAt(w, r, "/meetings/new", status, "meeting_new", "web.meeting.new_title", d)
}

// meetingChoices are the organizations the actor may plan meetings for and
// the host organizations that may co-organize: those it sees, and the
// host parties of the agreements in force it reads (a mobile secretary
// does not see the host side's organizations, only its agreements).
func (h *Handler) meetingChoices(ctx context.Context, a *authz.Actor) (meetingNewData, error) {
	d := meetingNewData{Kinds: domain.MeetingKinds()}
	orgs, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Status: domain.StatusActive})
	if err != nil {
		return d, err
	}
	seen := map[domain.OrgID]bool{}
	for _, o := range orgs {
		switch {
		case o.Side == domain.SideHost:
			d.Hosts, seen[o.ID] = append(d.Hosts, o), true
		case service.CanHoldMeetings(o) && a.CanAt(authz.OrgWrite, orgTarget(o)).Allowed:
			d.Orgs = append(d.Orgs, o)
		}
	}
	if len(d.Orgs) == 0 {
		return d, nil
	}
	agreements, err := h.svc.ListAgreements(ctx, a, service.AgreementFilter{State: domain.AgreementInForce})
	for _, ag := range agreements {
		for _, r := range ag.Host {
			if !seen[r.ID] {
				d.Hosts, seen[r.ID] = append(d.Hosts, domain.Org{ID: r.ID, Name: r.Name, Side: domain.SideHost}), true
			}
		}
	}
	return d, err
}

// beijingTime reads a day and an hh:mm as an instant in Beijing time; an
// empty hh:mm is the zero time.
func beijingTime(p *formReader, day domain.Date, field string) time.Time {
	s := strings.TrimSpace(p.f.Get(field))
	if s == "" || day.IsZero() {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+s, shanghai)
	if err != nil {
		p.fail(field, "web.meeting.bad_time")
	}
	return t
}

func (h *Handler) planMeeting(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, meetingFields...)
	p := &formReader{f: f}
	day := p.date("day")
	in := service.NewMeeting{Kind: domain.MeetingKind(f.Get("kind")), StartsAt: beijingTime(p, day, "start"),
		EndsAt: beijingTime(p, day, "end"), Place: f.Get("place"), Online: f.Get("online") != "", Topic: f.Get("topic"),
		Organizer: f.Get("organizer")}
	if day.IsZero() {
		p.fail("day", "web.meeting.day_required")
	}
	org, _ := strconv.ParseInt(f.Get("org"), 10, 64)
	co, _ := strconv.ParseInt(f.Get("co_org"), 10, 64)
	in.OrgID, in.CoOrgID = domain.OrgID(org), domain.OrgID(co)
	err := p.err
	var id domain.MeetingID
	if err == nil {
		id, err = h.svc.PlanMeeting(r.Context(), v.Principal.Actor, in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		if e := domain.AsError(err); e.Field == "starts_at" || e.Field == "ends_at" {
			e.Field = map[string]string{"starts_at": "start", "ends_at": "end"}[e.Field]
		}
		f.Fail(v.L, err, meetingFieldNames...)
		h.showMeetingNew(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "web.meeting.flash.planned")
	redirect(w, r, meetingURL(id))
}
