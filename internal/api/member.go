package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// A member's own record and certificate (in GET /me), the move report,
// the public check of a certificate's token, and every account's inbox.

// certificateDTO is a member's activity certificate; the token is what
// its QR code carries (no personal data), checked at VerifyPath.
type certificateDTO struct {
	Number     string `json:"number"`
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidTo    string `json:"valid_to"`
	Token      string `json:"token"`
	VerifyPath string `json:"verify_path"`
}

// ownDTO is /me's own record, when the account is linked to one.
type ownDTO struct {
	Person      personDTO       `json:"person"`
	Certificate *certificateDTO `json:"certificate,omitempty"` // absent: none issued
}

// own adds the member's own record to /me; an account without one (not
// a member, or not linked) has none, which is no error.
func (h *Handler) own(r *http.Request, c *Caller) (*ownDTO, error) {
	cert, err := h.svc.OwnCertificate(r.Context(), c.Principal.Actor)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &ownDTO{Person: toPerson(cert.Person)}
	if m := cert.Person.Membership; m != nil && cert.Token != "" {
		out.Certificate = &certificateDTO{Number: m.CertificateNo, ValidFrom: m.CertificateFrom.String(), ValidTo: m.CertificateTo.String(),
			Token: cert.Token, VerifyPath: "/verify/c/" + cert.Token}
	}
	return out, nil
}

// verifyDTO is the verdict on a certificate's token. For a forged one
// only the state is given.
type verifyDTO struct {
	State     string `json:"state"` // valid, expired, replaced, forged
	Number    string `json:"number,omitempty"`
	ValidFrom string `json:"valid_from,omitempty"`
	ValidTo   string `json:"valid_to,omitempty"`
	Name      string `json:"name,omitempty"`      // masked
	IDNumber  string `json:"id_number,omitempty"` // masked
	HomeOrg   string `json:"home_org,omitempty"`
	MobileOrg string `json:"mobile_org,omitempty"`
}

// IsPublic reports whether a request may reach the API without
// credentials: the check of a certificate's token, which whoever holds
// the paper makes.
func IsPublic(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, Prefix+"/verify/")
}

func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.VerifyCertificate(r.Context(), r.PathValue("token"))
	if err != nil {
		h.Fail(w, r, h.localizer(r), err)
		return
	}
	out := verifyDTO{State: string(c.State), Number: c.Number, ValidFrom: c.ValidFrom.String(), ValidTo: c.ValidTo.String(),
		Name: c.Name, IDNumber: string(c.IDNumber), HomeOrg: c.HomeOrg, MobileOrg: c.MobileOrg}
	writeJSON(w, http.StatusOK, out)
}

type moveIn struct {
	CityCode     string `json:"city_code"`
	DistrictCode string `json:"district_code"`
	Employer     string `json:"employer"`
	EmployerUSCC string `json:"employer_uscc"`
	MovedOn      string `json:"moved_on"` // YYYY-MM-DD
}

type suggestionDTO struct {
	Org     orgRefDTO `json:"org"`
	Score   int       `json:"score"`
	Members int       `json:"members"`
	Reasons []string  `json:"reasons"` // in the caller's language
}

type moveDTO struct {
	Person      personDTO       `json:"person"`
	Suggestions []suggestionDTO `json:"suggestions"`
}

// reportMove records the member's own move and answers with the record
// as it is now and the placements it would get.
func (h *Handler) reportMove(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in moveIn
	if !h.decode(w, r, &in) {
		return
	}
	on, err := domain.ParseDate(in.MovedOn)
	if err != nil && in.MovedOn != "" {
		h.Fail(w, r, c.L, domain.Invalid("moved_on", "web.org.bad_date", nil))
		return
	}
	a := c.Principal.Actor
	if err := h.svc.ReportMove(r.Context(), a, service.MoveReport{CityCode: in.CityCode, DistrictCode: in.DistrictCode,
		Employer: in.Employer, EmployerUSCC: in.EmployerUSCC, On: on}); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	p, err := h.svc.OwnPerson(r.Context(), a)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	sg, err := h.svc.OwnSuggestions(r.Context(), a)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := moveDTO{Person: toPerson(p), Suggestions: []suggestionDTO{}}
	for _, s := range sg {
		d := suggestionDTO{Org: orgRefDTO{ID: int64(s.Org.ID), Name: s.Org.Name}, Score: s.Score, Members: s.Members}
		for _, reason := range s.Reasons {
			d.Reasons = append(d.Reasons, c.L.T(reason.Rule, reason.Args))
		}
		out.Suggestions = append(out.Suggestions, d)
	}
	writeJSON(w, http.StatusOK, out)
}

type noticeDTO struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Text      string     `json:"text"` // in the caller's language
	Link      string     `json:"link,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

type noticeList struct {
	Notices []noticeDTO `json:"notices"`
	Unread  int         `json:"unread"`
	Next    string      `json:"next,omitempty"` // pass as ?before= for the next page; absent on the last
}

// notifications lists the caller's notices, newest first.
func (h *Handler) notifications(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	a := c.Principal.Actor
	page, err := h.svc.Inbox(r.Context(), a, before, limit)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	unread, err := h.svc.UnreadCount(r.Context(), a)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := noticeList{Notices: make([]noticeDTO, 0, len(page.Notices)), Unread: unread}
	for _, n := range page.Notices {
		out.Notices = append(out.Notices, toNotice(c, n))
	}
	if page.Next != 0 {
		out.Next = strconv.FormatInt(page.Next, 10)
	}
	writeJSON(w, http.StatusOK, out)
}

func toNotice(c *Caller, n store.Notification) noticeDTO {
	args := map[string]any{}
	_ = json.Unmarshal([]byte(n.Args), &args) // garbled arguments: the message without them
	return noticeDTO{ID: n.ID, Kind: n.Kind, Text: c.L.T(n.MsgID, args), Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

type readIn struct {
	UpTo int64 `json:"up_to"` // mark notices up to this id; 0 or absent: all
}

// readNotifications marks the caller's notices read.
func (h *Handler) readNotifications(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var in readIn
	if !h.decode(w, r, &in) {
		return
	}
	if err := h.svc.MarkRead(r.Context(), c.Principal.Actor, in.UpTo); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
