package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Contacts on the person page (a list and a small form, in
// partials/person_contacts.html), the lost-contact list of the members at
// risk and lost in the visitor's scope with its xlsx export, and the
// thresholds' settings page.

// contactsView is the person page's contact section.
type contactsView struct {
	List     []store.Contact
	Form     *Form // the form, kept with its errors after a refused post
	CanWrite bool  // the visitor may record contacts for this person
	Channels []string
	Today    string // the date field's default and upper bound
}

// ChannelKey is the catalogue key of a channel.
func (c contactsView) ChannelKey(ch string) string { return channelKey(ch) }

// channelKey is the catalogue key of a channel; "other" is a word the
// catalogue reserves, so its key is other_channel.
func channelKey(ch string) string {
	if ch == "other" {
		ch = "other_channel"
	}
	return "web.contact.channels." + ch
}

// contactFields are the contact form's fields.
var contactFields = []string{"on", "channel", "reached", "note"}

// contactsFor fills the contact section of a person's page.
func (h *Handler) contactsFor(ctx context.Context, a *authz.Actor, id domain.PersonID, f *Form) (contactsView, error) {
	c := contactsView{Form: f, Channels: store.ContactChannels, Today: h.svc.Today().String()}
	if c.Form == nil {
		c.Form = blankForm()
		c.Form.Values["on"], c.Form.Values["channel"], c.Form.Values["reached"] = c.Today, "phone", "1"
	}
	var err error
	if c.List, err = h.svc.Contacts(ctx, a, id); err != nil {
		return c, err
	}
	c.CanWrite = h.svc.CanWritePerson(ctx, a, id)
	return c, nil
}

// recordContact takes the contact form of a person's page.
func (h *Handler) recordContact(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.visit(r)
	f := newForm(r, contactFields...)
	p := &formReader{f: f}
	in := service.ContactInput{On: p.date("on"), Channel: f.Get("channel"), Reached: f.Get("reached") == "1", Note: f.Get("note")}
	if err = p.err; err == nil {
		_, err = h.svc.RecordContact(r.Context(), v.Principal.Actor, domain.PersonID(id), in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "on", "channel", "note")
		h.showPerson(w, r, StatusOf(domain.CodeOf(err)), personPageData{ContactForm: f})
		return
	}
	h.flash(w, "web.contact.flash.recorded")
	redirect(w, r, personURL(domain.PersonID(id))+"#contacts")
}

// contactListData is the lost-contact list page.
type contactListData struct {
	Form        *Form
	Page        service.WarningPage
	Orgs        []orgOption
	Thresholds  domain.ContactThresholds
	CanSettings bool
	PrevURL     string
	NextURL     string
	ExportURL   string
}

// StateKey is the catalogue key of a contact state.
func (d contactListData) StateKey(s domain.ContactState) string { return stateKey(s) }

// StatusKey is the catalogue key of a membership status.
func (d contactListData) StatusKey(s domain.MemberStatus) string { return statusKeyOf(s) }

// ChannelKey is the catalogue key of a channel.
func (d contactListData) ChannelKey(ch string) string { return channelKey(ch) }

// Days is the number of days since the last contact.
func (d contactListData) Days(w store.ContactWarning) int {
	return w.LastContactOn.DaysUntil(d.Page.Today)
}

func stateKey(s domain.ContactState) string { return "web.contact.states." + string(s) }

// warningFilter reads the list's filter (state, org, page) from a query.
func warningFilter(q url.Values) (*Form, service.WarningSearch) {
	f := blankForm()
	var s service.WarningSearch
	if st := domain.ContactState(q.Get("state")); st.Flagged() {
		s.State, f.Values["state"] = st, string(st)
	}
	if n, err := strconv.ParseInt(q.Get("org"), 10, 64); err == nil && n > 0 {
		s.Org, f.Values["org"] = domain.OrgID(n), q.Get("org")
	}
	s.Page, _ = strconv.Atoi(q.Get("page"))
	return f, s
}

// warningURL is the list's address for a filter and page.
func warningURL(path string, s service.WarningSearch, page int) string {
	q := url.Values{}
	if s.State != "" {
		q.Set("state", string(s.State))
	}
	if s.Org != 0 {
		q.Set("org", strconv.FormatInt(int64(s.Org), 10))
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func (h *Handler) contactList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	if !canSomewhere(a, authz.PersonRead) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	f, s := warningFilter(r.URL.Query())
	d := contactListData{Form: f}
	var err error
	if d.Page, err = h.svc.ContactWarnings(ctx, a, s); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Orgs, err = h.orgOptions(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Thresholds, err = h.svc.ContactThresholds(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.CanSettings, err = h.svc.CanSetContactThresholds(ctx, a); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Page.Page > 1 {
		d.PrevURL = warningURL("/people/contact", s, d.Page.Page-1)
	}
	if d.Page.Page < d.Page.Pages {
		d.NextURL = warningURL("/people/contact", s, d.Page.Page+1)
	}
	d.ExportURL = warningURL("/people/contact/export.xlsx", s, 0)
	h.render(w, r, http.StatusOK, "contact_list", "web.contact.title", d)
}

// contactXLSX exports the whole filtered list (masked: the list holds no
// ID numbers or phones), every cell defused by the xlsx writer.
func (h *Handler) contactXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	_, s := warningFilter(r.URL.Query())
	page, err := h.svc.ExportContactWarnings(ctx, a, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.visit(r).L
	var header []string
	for _, k := range []string{"web.person.name", "web.person.status", "web.person.home_org", "web.person.mobile_org",
		"web.contact.state", "web.contact.state_on", "web.contact.last_contact", "web.contact.last_channel", "web.contact.days",
		"web.contact.attempts", "web.contact.attempt_on", "web.contact.attempt_with", "web.contact.note"} {
		header = append(header, l.T(k))
	}
	d := contactListData{Page: page}
	rows := make([][]string, 0, len(page.Rows))
	for _, c := range page.Rows {
		channel, attempt := "", ""
		if c.LastChannel != "" {
			channel = l.T(channelKey(c.LastChannel))
		}
		if c.AttemptWith != "" {
			attempt = l.T(channelKey(c.AttemptWith))
		}
		rows = append(rows, []string{c.Name, l.T(statusKeyOf(c.Status)), c.HomeOrgName, c.MobileOrgName, l.T(stateKey(c.State)),
			c.StateOn.String(), c.LastContactOn.String(), channel, strconv.Itoa(d.Days(c)), strconv.Itoa(c.Attempts),
			c.AttemptOn.String(), attempt, c.AttemptNote})
	}
	stamp := h.svc.Now().In(shanghai).Format("20060102-1504")
	h.sendXLSX(w, r, l.T("web.contact.export_sheet"), "lost-contact-"+stamp+".xlsx",
		l.T("web.contact.export_filename", "Stamp", stamp)+".xlsx", header, rows)
}

// contactSettingsData is the thresholds' page.
type contactSettingsData struct {
	Form *Form
}

func (h *Handler) contactSettings(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), h.principal(r).Actor
	th, err := h.svc.ContactThresholds(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ok, err := h.svc.CanSetContactThresholds(ctx, a); err != nil || !ok {
		h.fail(w, r, orForbidden(err))
		return
	}
	f := blankForm()
	f.Values["at_risk_months"], f.Values["lost_months"] = strconv.Itoa(th.AtRiskMonths), strconv.Itoa(th.LostMonths)
	h.render(w, r, http.StatusOK, "contact_settings", "web.contact.settings_title", contactSettingsData{Form: f})
}

func (h *Handler) saveContactSettings(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "at_risk_months", "lost_months")
	var t domain.ContactThresholds
	var err error
	for _, x := range []struct {
		k   string
		out *int
	}{{"at_risk_months", &t.AtRiskMonths}, {"lost_months", &t.LostMonths}} {
		n, perr := strconv.Atoi(strings.TrimSpace(f.Get(x.k)))
		if perr != nil && err == nil {
			err = domain.Invalid(x.k, "contact.threshold_range", map[string]any{"Max": domain.MaxContactMonths})
		}
		*x.out = n
	}
	if err == nil {
		err = h.svc.SetContactThresholds(r.Context(), v.Principal.Actor, t)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "at_risk_months", "lost_months")
		h.renderAt(w, r, "/people/contact/settings", StatusOf(domain.CodeOf(err)), "contact_settings", "web.contact.settings_title",
			contactSettingsData{Form: f})
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, "/people/contact")
}

// orForbidden is err, or forbidden when there is none.
func orForbidden(err error) error {
	if err != nil {
		return err
	}
	return domain.ErrForbidden
}
