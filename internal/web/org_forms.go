package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The forms of an organization's page. Each reads its fields, calls one
// service method and goes back to the page (or to the organization the
// action produced); the rules — which side and kind may stand where, the
// dates, the version — are the service's.

var (
	editFields     = []string{"name", "short_name", "region_code", "industry", "founded_on", "phone", "mailbox", "version"}
	upgradeFields  = []string{"to", "kind", "on", "members", "note", "version"}
	mergeFields    = []string{"into", "on", "members", "note", "version"}
	dissolveFields = []string{"on", "members", "note", "version"}
	officerFields  = []string{"name", "position", "from", "to", "phone"}
)

// createChild founds an organization under the one in the path.
func (h *Handler) createChild(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, orgFields, func(fs *orgForms, f *Form) { fs.Child = f }, "web.org.flash.created",
		func(id domain.OrgID, f *Form) (string, error) {
			in, err := newOrgFrom(f, id)
			if err != nil {
				return "", err
			}
			child, err := h.svc.CreateOrg(r.Context(), h.principal(r).Actor, in)
			return orgURL(child), err
		})
}

func (h *Handler) editOrg(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, editFields, func(fs *orgForms, f *Form) { fs.Edit = f }, "web.org.flash.saved",
		func(id domain.OrgID, f *Form) (string, error) {
			p := &formReader{f: f}
			e := service.OrgEdit{Name: f.Get("name"), ShortName: f.Get("short_name"), RegionCode: strings.TrimSpace(f.Get("region_code")),
				Industry: f.Get("industry"), Phone: f.Get("phone"), Mailbox: f.Get("mailbox"), FoundedOn: p.date("founded_on"),
				Version: p.version("version")}
			if p.err != nil {
				return "", p.err
			}
			return orgURL(id), h.svc.EditOrg(r.Context(), h.principal(r).Actor, id, e)
		})
}

// lifecycle reads the fields every upgrade, merge and dissolution has.
func lifecycle(p *formReader) service.Lifecycle {
	return service.Lifecycle{On: p.date("on"), Members: p.count("members"), Note: strings.TrimSpace(p.f.Get("note")),
		Version: p.version("version")}
}

func (h *Handler) upgradeOrg(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, upgradeFields, func(fs *orgForms, f *Form) { fs.Upgrade = f }, "web.org.flash.upgraded",
		func(id domain.OrgID, f *Form) (string, error) {
			p := &formReader{f: f}
			l := lifecycle(p)
			if p.err != nil {
				return "", p.err
			}
			return orgURL(id), h.svc.UpgradeOrg(r.Context(), h.principal(r).Actor, id, domain.OrgKind(f.Get("to")), l)
		})
}

func (h *Handler) mergeOrg(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, mergeFields, func(fs *orgForms, f *Form) { fs.Merge = f }, "web.org.flash.merged",
		func(id domain.OrgID, f *Form) (string, error) {
			p := &formReader{f: f}
			l := lifecycle(p)
			if p.err != nil {
				return "", p.err
			}
			into, err := h.resolveOrg(r.Context(), h.principal(r).Actor, f.Get("into"))
			if err != nil {
				return "", err
			}
			return orgURL(into), h.svc.MergeOrg(r.Context(), h.principal(r).Actor, id, into, l)
		})
}

// resolveOrg finds the organization a person typed: its number, or its
// full or short name among those the actor may see.
func (h *Handler) resolveOrg(ctx context.Context, a *authz.Actor, ref string) (domain.OrgID, error) {
	ref = strings.TrimSpace(ref)
	unknown := domain.Invalid("into", "web.org.target_unknown", map[string]any{"Ref": ref})
	if ref == "" {
		return 0, unknown
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		return domain.OrgID(n), nil
	}
	list, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Name: ref, Status: domain.StatusActive})
	if err != nil {
		return 0, err
	}
	for _, o := range list {
		if o.Name == ref || o.ShortName == ref {
			return o.ID, nil
		}
	}
	return 0, unknown
}

func (h *Handler) dissolveOrg(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, dissolveFields, func(fs *orgForms, f *Form) { fs.Dissolve = f }, "web.org.flash.dissolved",
		func(id domain.OrgID, f *Form) (string, error) {
			p := &formReader{f: f}
			l := lifecycle(p)
			if p.err != nil {
				return "", p.err
			}
			return orgURL(id), h.svc.DissolveOrg(r.Context(), h.principal(r).Actor, id, l)
		})
}

func (h *Handler) appointOfficer(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, officerFields, func(fs *orgForms, f *Form) { fs.Officer = f }, "web.org.flash.appointed",
		func(id domain.OrgID, f *Form) (string, error) {
			p := &formReader{f: f}
			o := domain.Officer{OrgID: id, Name: f.Get("name"), Position: f.Get("position"), From: p.date("from"), To: p.date("to"),
				Phone: strings.TrimSpace(f.Get("phone"))}
			if p.err != nil {
				return "", p.err
			}
			_, err := h.svc.AppointOfficer(r.Context(), h.principal(r).Actor, o)
			return orgURL(id), err
		})
}

// endTerm closes an officer's term on the date given (today when none).
func (h *Handler) endTerm(w http.ResponseWriter, r *http.Request) {
	h.orgAction(w, r, []string{"on"}, func(fs *orgForms, f *Form) { fs.EndTerm = f }, "web.org.flash.term_ended",
		func(id domain.OrgID, f *Form) (string, error) {
			officer, err := pathID(r, "officer")
			if err != nil {
				return "", err
			}
			p := &formReader{f: f}
			on := p.date("on")
			if p.err != nil {
				return "", p.err
			}
			if on.IsZero() {
				on = h.svc.Today()
			}
			return orgURL(id), h.svc.EndOfficer(r.Context(), h.principal(r).Actor, id, officer, on)
		})
}
