package web

import (
	"net/http"
	"strconv"

	"gongjian/internal/auth"
	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// policyData is the security officer's policies page: the password policy
// and the certificate's longest validity, each its own form.
type policyData struct {
	Form *Form
	Cert *Form
}

// policyNumbers are the numeric fields of auth.Policy, by their JSON
// names, which are also the form's field names and the Field of the
// service's validation errors.
var policyNumbers = []string{"min_length", "min_classes", "max_length", "max_age_days", "history_count"}

func (h *Handler) policyForm(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.PolicyManage) {
		return
	}
	pw, err := h.passwordPolicyForm(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cert, err := h.certificateForm(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "policy", "web.policy.title", policyData{Form: pw, Cert: cert})
}

// passwordPolicyForm is the password policy in force as a form.
func (h *Handler) passwordPolicyForm(r *http.Request) (*Form, error) {
	p, err := h.svc.PasswordPolicy(r.Context())
	if err != nil {
		return nil, err
	}
	return &Form{Values: map[string]string{
		"min_length": strconv.Itoa(p.MinLength), "min_classes": strconv.Itoa(p.MinClasses),
		"max_length": strconv.Itoa(p.MaxLength), "max_age_days": strconv.Itoa(p.MaxAgeDays),
		"history_count":       strconv.Itoa(p.HistoryCount),
		"forbid_account_name": checked(p.ForbidAccountName), "check_common": checked(p.CheckCommon),
	}, Errors: map[string]string{}}, nil
}

// certificateForm is the certificate policy in force as a form.
func (h *Handler) certificateForm(r *http.Request) (*Form, error) {
	c, err := h.svc.CertificatePolicy(r.Context())
	if err != nil {
		return nil, err
	}
	return &Form{Values: map[string]string{"max_months": strconv.Itoa(c.MaxMonths)}, Errors: map[string]string{}}, nil
}

// setCertificatePolicy stores the certificate's longest validity.
func (h *Handler) setCertificatePolicy(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, "max_months")
	n, perr := strconv.Atoi(f.Get("max_months"))
	if perr != nil {
		f.Errors["max_months"] = v.L.T("web.policy.not_a_number")
	} else if err := h.svc.SetCertificatePolicy(r.Context(), v.Principal.Actor, service.CertificatePolicy{MaxMonths: n}); err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, "max_months")
	}
	if f.Invalid() {
		h.policyFailed(w, r, v, nil, f, http.StatusUnprocessableEntity)
		return
	}
	h.flash(w, "flash.saved")
	redirect(w, r, "/admin/policy")
}

// policyFailed shows the policies page again with the form that failed
// (the one not nil) as sent and the other as stored.
func (h *Handler) policyFailed(w http.ResponseWriter, r *http.Request, v *Visit, pw, cert *Form, status int) {
	var err error
	if pw == nil {
		pw, err = h.passwordPolicyForm(r)
	} else {
		cert, err = h.certificateForm(r)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAt(w, r, "/admin/policy", status, "policy", "web.policy.title", policyData{Form: pw, Cert: cert})
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
		h.policyFailed(w, r, v, f, nil, StatusOf(domain.CodeOf(err)))
		return
	}
	h.policyFailed(w, r, v, f, nil, http.StatusUnprocessableEntity)
}
