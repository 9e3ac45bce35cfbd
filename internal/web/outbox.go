package web

import (
	"net/http"
	"slices"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The outbox page: how many notices wait, went out or failed, the latest
// of them with the reason of each failure, and — for the security officer
// — which kinds of notice go out and by which channel.

type outboxData struct {
	View   service.OutboxView
	Kinds  []string
	States []string
	State  string // the rows' filter
	Form   *Form  // the settings, as stored or as posted with an error
}

// Checked reports whether the settings' form sends kind.
func (d outboxData) Checked(kind string) bool { return d.Form.Get("kind_"+kind) == "1" }

// KindKey is the catalogue key of a kind of notice.
func (d outboxData) KindKey(kind string) string { return "web.outbox.kinds." + kind }

// StateKey is the catalogue key of an outbox state.
func (d outboxData) StateKey(state string) string { return "web.outbox.states." + state }

// ChannelKey is the catalogue key of a channel.
func (d outboxData) ChannelKey(ch string) string { return "web.outbox.channels." + ch }

var outboxStates = []string{store.OutboxPending, store.OutboxSending, store.OutboxSent, store.OutboxFailed}

func (h *Handler) outbox(w http.ResponseWriter, r *http.Request) {
	h.showOutbox(w, r, http.StatusOK, nil)
}

func (h *Handler) showOutbox(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	state := r.URL.Query().Get("state")
	if !slices.Contains(outboxStates, state) {
		state = ""
	}
	v, err := h.svc.Outbox(r.Context(), h.principal(r).Actor, state)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f == nil {
		f = blankForm()
		f.Values["channel"] = v.Settings.Channel
		for _, k := range v.Settings.Kinds {
			f.Values["kind_"+k] = "1"
		}
	}
	h.renderAt(w, r, "/admin/outbox", status, "outbox", "web.outbox.title",
		outboxData{View: v, Kinds: service.NoticeKinds, States: outboxStates, State: state, Form: f})
}

func (h *Handler) saveOutbox(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	fields := []string{"channel"}
	for _, k := range service.NoticeKinds {
		fields = append(fields, "kind_"+k)
	}
	f := newForm(r, fields...)
	in := service.OutboxSettings{Channel: f.Get("channel"), Kinds: []string{}}
	for _, k := range service.NoticeKinds {
		if f.Get("kind_"+k) == "1" {
			in.Kinds = append(in.Kinds, k)
		}
	}
	if err := h.svc.SetOutboxSettings(r.Context(), v.Principal.Actor, in); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "channel")
		h.showOutbox(w, r, StatusOf(domain.CodeOf(err)), f)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, "/admin/outbox")
}
