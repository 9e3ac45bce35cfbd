package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

type policyData struct {
	Form *Form
}

// policyNumbers are the numeric fields of auth.Policy, by their JSON
// names, which are also the form's field names and the Field of the
// service's validation errors.
var policyNumbers = []string{"min_length", "min_classes", "max_length", "max_age_days", "history_count"}

func (h *Handler) policyForm(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.PolicyManage) {
		return
	}
	p, err := h.svc.PasswordPolicy(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := &Form{Values: map[string]string{
		"min_length": strconv.Itoa(p.MinLength), "min_classes": strconv.Itoa(p.MinClasses),
		"max_length": strconv.Itoa(p.MaxLength), "max_age_days": strconv.Itoa(p.MaxAgeDays),
		"history_count":       strconv.Itoa(p.HistoryCount),
		"forbid_account_name": checked(p.ForbidAccountName), "check_common": checked(p.CheckCommon),
	}, Errors: map[string]string{}}
	h.render(w, r, http.StatusOK, "policy", "web.policy.title", policyData{Form: f})
}

func checked(b bool) string {
	if b {
		return "on"
	}
	return ""
}

func (h *Handler) setPolicy(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, append(policyNumbers, "forbid_account_name", "check_common")...)
	nums := map[string]int{}
	for _, k := range policyNumbers {
		n, err := strconv.Atoi(f.Get(k))
		if err != nil {
			f.Errors[k] = v.L.T("web.policy.not_a_number")
		}
		nums[k] = n
	}
	if !f.Invalid() {
		p := auth.Policy{
			MinLength: nums["min_length"], MinClasses: nums["min_classes"], MaxLength: nums["max_length"],
			MaxAgeDays: nums["max_age_days"], HistoryCount: nums["history_count"],
			ForbidAccountName: f.Get("forbid_account_name") != "", CheckCommon: f.Get("check_common") != "",
		}
		err := h.svc.SetPasswordPolicy(r.Context(), v.Principal.Actor, p)
		if err == nil {
			h.flash(w, "flash.saved")
			redirect(w, r, "/admin/policy")
			return
		}
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, policyNumbers...)
		h.renderAt(w, r, "/admin/policy", StatusOf(domain.CodeOf(err)), "policy", "web.policy.title", policyData{Form: f})
		return
	}
	h.renderAt(w, r, "/admin/policy", http.StatusUnprocessableEntity, "policy", "web.policy.title", policyData{Form: f})
}
