package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The inbox of every signed-in account (/inbox): notices newest first,
// each rendered in the reader's language from its message ID and
// arguments, with a "more" link by keyset. Following a notice marks it
// read and goes to its link; one button marks them all read.

const inboxPageSize = 20

type noticeRow struct {
	store.Notification
	Args map[string]any // the arguments, decoded
}

type inboxData struct {
	Rows    []noticeRow
	MoreURL string
	Unread  int
}

func noticeRows(ns []store.Notification) []noticeRow {
	out := make([]noticeRow, 0, len(ns))
	for _, n := range ns {
		row := noticeRow{Notification: n}
		_ = json.Unmarshal([]byte(n.Args), &row.Args) // a garbled argument list shows the message without them
		out = append(out, row)
	}
	return out
}

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	a := h.principal(r).Actor
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	page, err := h.svc.Inbox(r.Context(), a, before, inboxPageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unread, err := h.svc.UnreadFor(r.Context(), h.principal(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := inboxData{Rows: noticeRows(page.Notices), Unread: unread}
	if page.Next != 0 {
		d.MoreURL = "/inbox?before=" + strconv.FormatInt(page.Next, 10)
	}
	h.render(w, r, http.StatusOK, "inbox", "web.inbox.title", d)
}

// openNotice marks a notice read and follows its link.
func (h *Handler) openNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.svc.OpenNotice(r.Context(), h.principal(r).Actor, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	to := n.Link
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\") {
		to = "/inbox"
	}
	redirect(w, r, to)
}

func (h *Handler) readAll(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.MarkRead(r.Context(), h.principal(r).Actor, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(w, "web.inbox.all_read")
	redirect(w, r, "/inbox")
}

// unreadFor is the count beside the inbox in the navigation; a failure to
// count shows none rather than failing the page.
func (h *Handler) unreadFor(r *http.Request, p *service.Principal) int {
	n, err := h.svc.UnreadFor(r.Context(), p)
	if err != nil {
		h.log.Warn("web: unread count", "err", err)
		return 0
	}
	return n
}
