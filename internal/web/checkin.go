package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// QR check-in. The meeting page shows the code in a panel that htmx
// fetches again every 25 seconds (/meetings/{id}/checkin-panel), with the
// count of check-ins and the latest names. The code holds the address
// /checkin/{token}: a member who scans it signed in sees the meeting and
// confirms; one not signed in is sent to sign in and back, carrying in a
// cookie of this browser the stamp that the code was fresh when scanned
// (service.SeeCheckin), so a slow sign-in still checks in.

// seenCookie holds the stamp of a fresh scan for the sign-in that follows.
const seenCookie = "gj_checkin"

// checkinRefresh is how often the panel fetches a new code, in seconds:
// within the 30-second window, so a shown code is always the current one
// or the one before (still good).
const checkinRefresh = 25

// checkinPanel is the rotating code with the check-ins so far.
type checkinPanel struct {
	MeetingID domain.MeetingID
	Token     string
	URL       string
	QR        template.URL
	Count     service.AttendanceCount
	Latest    []lineRow
	Open      bool // still open for check-in: the panel keeps refreshing
	Refresh   int
}

func (h *Handler) checkinPanelFor(r *http.Request, id domain.MeetingID) (*checkinPanel, error) {
	p := &checkinPanel{MeetingID: id, Refresh: checkinRefresh}
	c, err := h.svc.CheckinCode(r.Context(), h.principal(r).Actor, id)
	if domain.CodeOf(err) == domain.CodeRule {
		return p, nil // closed since the page was shown
	}
	if err != nil {
		return nil, err
	}
	p.Open, p.Token, p.Count, p.Latest = true, c.Token, c.Count, lineRows(c.Latest)
	p.URL = h.absoluteURL(r, "/checkin/"+c.Token)
	if p.QR, err = qrImage(p.URL); err != nil {
		return nil, err
	}
	return p, nil
}

// checkinPanelFragment answers the panel's refresh with the panel alone.
func (h *Handler) checkinPanelFragment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.checkinPanelFor(r, domain.MeetingID(id))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.fragment(w, "meeting", "checkin_panel", Page{L: h.visit(r).L, Data: meetingPageData{Checkin: p}})
}

// fragment executes one block of a page's template set, for htmx.
func (h *Handler) fragment(w http.ResponseWriter, page, block string, data any) {
	var buf bytes.Buffer
	pt, ok := h.pages[page]
	if !ok {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	if err := pt.t.ExecuteTemplate(&buf, block, data); err != nil {
		h.log.Error("web: render fragment", "page", page, "block", block, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// checkinData is the member's check-in page.
type checkinData struct {
	Token   string
	M       mtg
	Line    lineRow
	Refusal string // why this scan cannot check in, when it cannot
}

func (h *Handler) setSeen(w http.ResponseWriter, stamp string) {
	if stamp == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: seenCookie, Value: stamp, Path: "/checkin/", MaxAge: int(service.SeenValid.Seconds()),
		HttpOnly: true, Secure: h.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

func seenStamp(r *http.Request) string {
	if c, err := r.Cookie(seenCookie); err == nil {
		return c.Value
	}
	return ""
}

// checkin is GET /checkin/{token}, the address in the QR code. Not signed
// in: a fresh code leaves its stamp and sends the visitor to sign in and
// back; signed in: the meeting and a button to confirm, or the refusal.
func (h *Handler) checkin(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	p := h.principal(r)
	if p == nil {
		pv, err := h.svc.SeeCheckin(r.Context(), nil, token, seenStamp(r))
		if err != nil {
			h.render(w, r, StatusOf(domain.CodeOf(err)), "checkin", "web.checkin.title", checkinData{Refusal: h.visit(r).L.Err(err)})
			return
		}
		h.setSeen(w, pv.Seen)
		redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
		return
	}
	pv, err := h.svc.SeeCheckin(r.Context(), p.Actor, token, seenStamp(r))
	h.setSeen(w, pv.Seen)
	d := checkinData{Token: token, M: mtg{pv.Meeting}, Line: lineRow{Attendance: pv.Line}}
	status := http.StatusOK
	if err != nil {
		if !formError(err) && domain.CodeOf(err) != domain.CodeNotFound {
			h.fail(w, r, err)
			return
		}
		d.Refusal, status = h.visit(r).L.Err(err), StatusOf(domain.CodeOf(err))
	}
	h.render(w, r, status, "checkin", "web.checkin.title", d)
}

// checkinPost checks the member in and shows their meetings with the news.
func (h *Handler) checkinPost(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	p := h.principal(r)
	if p == nil {
		redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
		return
	}
	m, err := h.svc.CheckIn(r.Context(), p.Actor, 0, token, seenStamp(r))
	if err != nil {
		if !formError(err) && domain.CodeOf(err) != domain.CodeNotFound {
			h.fail(w, r, err)
			return
		}
		h.renderAt(w, r, "/checkin/"+token, StatusOf(domain.CodeOf(err)), "checkin", "web.checkin.title",
			checkinData{Token: token, M: mtg{m}, Refusal: h.visit(r).L.Err(err)})
		return
	}
	// The stamp stays until it expires: a second tap then hears "already
	// checked in" rather than "expired".
	h.flash(w, "web.checkin.flash.done", "Topic", m.Topic)
	redirect(w, r, "/me/meetings")
}
