package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

// Small readers shared by the organization and agreement pages. They turn
// the text of a form into the service's types; a malformed value becomes
// an invalid-input error naming its field, so it lands beside that field
// exactly like the service's own refusals.

// blankForm is a form with nothing typed yet.
func blankForm() *Form { return &Form{Values: map[string]string{}, Errors: map[string]string{}} }

// pathID reads a positive numeric path value; anything else is simply not
// found, like an id out of reach.
func pathID(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.ErrNotFound
	}
	return n, nil
}

// formReader collects the first parse error of a form, so a handler reads all
// fields and checks once.
type formReader struct {
	f   *Form
	err error
}

func (p *formReader) fail(field, msg string) {
	if p.err == nil {
		p.err = domain.Invalid(field, msg, nil)
	}
}

// date reads a YYYY-MM-DD field (what <input type="date"> sends); empty is
// the zero date, which the service refuses where a date is required.
func (p *formReader) date(k string) domain.Date {
	s := strings.TrimSpace(p.f.Get(k))
	if s == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		p.fail(k, "web.org.bad_date")
	}
	return d
}

// count reads a non-negative whole number; empty is zero (unknown).
func (p *formReader) count(k string) int {
	s := strings.TrimSpace(p.f.Get(k))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		p.fail(k, "web.org.bad_number")
	}
	return n
}

// version reads the hidden version field; a missing or garbled one is
// treated as stale, which is what it is.
func (p *formReader) version(k string) int64 {
	n, err := strconv.ParseInt(p.f.Get(k), 10, 64)
	if err != nil || n <= 0 {
		if p.err == nil {
			p.err = domain.ErrStale
		}
	}
	return n
}

// checkedIDs reads the checked values of a multi-valued field (checkboxes).
func checkedIDs(r *http.Request, k string) ([]domain.OrgID, bool) {
	var out []domain.OrgID
	for _, v := range r.PostForm[k] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, false
		}
		out = append(out, domain.OrgID(n))
	}
	return out, true
}

// orgTarget is the policy's view of an organization, for decisions that only
// choose what to show (a link, a form); the service decides again on every
// action.
func orgTarget(o domain.Org) authz.Target { return authz.Target{ID: o.ID, Path: o.Path, Side: o.Side} }

// canSomewhere reports whether any of the actor's grants carries p: the
// navigation and the lists show their entries by it.
func canSomewhere(a *authz.Actor, p authz.Perm) bool { return !a.Filter(p).Empty() }
