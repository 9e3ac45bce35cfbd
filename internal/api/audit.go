package api

import (
	"net/http"
	"strconv"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
)

type auditList struct {
	Entries []auditDTO `json:"entries"`
	// Next is the "before" value of the following page; null on the last.
	Next *string `json:"next"`
}

// beijing is China Standard Time, for filters given as plain dates.
var beijing = time.FixedZone("CST", 8*60*60)

// audit lists the log newest first, with the page's filters; ?before=SEQ
// continues from a previous page's next.
func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id")}
	var err error
	if f.From, _, err = parseTime("from", q.Get("from")); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	to, step, err := parseTime("to", q.Get("to"))
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	if !to.IsZero() {
		f.To = to.Add(step)
	}
	if f.BeforeSeq, err = positive(q, "before", 0); err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	limit, err := positive(q, "limit", 100)
	if err != nil || limit > 500 {
		h.Fail(w, r, c.L, domain.Invalid("limit", "web.api.bad_limit", map[string]any{"Max": 500}))
		return
	}
	f.Limit = int(limit) + 1
	entries, err := h.svc.ListAudit(r.Context(), c.Principal.Actor, f)
	if err != nil {
		h.Fail(w, r, c.L, err)
		return
	}
	out := auditList{Entries: make([]auditDTO, 0, len(entries))}
	if len(entries) > int(limit) {
		entries = entries[:limit]
		next := strconv.FormatInt(entries[len(entries)-1].Seq, 10)
		out.Next = &next
	}
	for _, e := range entries {
		out.Entries = append(out.Entries, toAudit(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// parseTime reads an RFC 3339 instant or a Beijing date; step is the
// length of the period, so that "to" includes a whole day.
func parseTime(field, s string) (time.Time, time.Duration, error) {
	if s == "" {
		return time.Time{}, 0, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), 0, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, beijing); err == nil {
		return t.UTC(), 24 * time.Hour, nil
	}
	return time.Time{}, 0, domain.Invalid(field, "web.api.bad_time", map[string]any{"Field": field})
}

// positive reads a positive integer query value, def when absent.
func positive(q map[string][]string, name string, def int64) (int64, error) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(vs[0], 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.Invalid(name, "web.api.bad_number", map[string]any{"Field": name})
	}
	return n, nil
}
