package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The organization trees, one per side of the mechanism: the origin view
// (county → township → village), the mobile view (the county with the
// mobile organizations it set up, their branches and groups) and the host
// view (host organizations, each with the mobile organizations that its
// in-force agreements cover). The lists come from the service in path
// order, already cut to what the actor may see; this file only arranges
// them into a tree.

// treeNode is one organization in a tree. Link is false for a node shown
// only as a heading (the county above the mobile organizations when the
// actor may not open it).
type treeNode struct {
	Org      domain.Org
	Link     bool
	Children []*treeNode
	Covered  []*treeNode // host view: the mobile organizations covered now
}

// treeView carries the page's localizer into the recursive tree template,
// whose dot is a subtree.
type treeView struct {
	L     Localizer
	Nodes []*treeNode
}

// Nest is the view of a subtree, for the template's recursion.
func (v treeView) Nest(nodes []*treeNode) treeView { return treeView{L: v.L, Nodes: nodes} }

// nodeView is one node with the localizer, for the node's own template.
type nodeView struct {
	L Localizer
	N *treeNode
}

// Node is the view of one node.
func (v treeView) Node(n *treeNode) nodeView { return nodeView{L: v.L, N: n} }

type orgsData struct {
	Side        domain.Side
	Sides       []domain.Side
	Name        string
	Nodes       []*treeNode
	Count       int
	ExportURL   string
	CanRegister bool // may register a host-side organization
	Register    *Form
	Kinds       []domain.OrgKind
	Industries  []string
	Ended       []agreementRow // agreements that ended lately, for the host view's notice
}

// Fields is the registration form's detail fields, for the shared partial.
func (d orgsData) Fields(f *Form, prefix string, l Localizer) fieldsView {
	return fieldsView{F: f, P: prefix, L: l, Industries: d.Industries, Kinds: d.Kinds}
}

// Tree is the whole forest, for the template.
func (d orgsData) Tree(l Localizer) treeView { return treeView{L: l, Nodes: d.Nodes} }

// defaultSide is the side of the actor's first own grant, so that each
// account lands on its own view.
func defaultSide(a *authz.Actor) domain.Side {
	for _, r := range a.Reach {
		if r.Agreement == 0 && r.Side.Valid() {
			return r.Side
		}
	}
	return domain.SideOrigin
}

func (h *Handler) orgs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	side := domain.Side(q.Get("side"))
	if !side.Valid() {
		side = defaultSide(h.principal(r).Actor)
	}
	h.showOrgs(w, r, http.StatusOK, side, strings.TrimSpace(q.Get("name")), nil)
}

func (h *Handler) showOrgs(w http.ResponseWriter, r *http.Request, status int, side domain.Side, name string, reg *Form) {
	a := h.principal(r).Actor
	if !canSomewhere(a, authz.OrgRead) && !canSomewhere(a, authz.OrgRegisterHost) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	nodes, n, err := h.orgTree(r.Context(), a, side, name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	keep := url.Values{"side": {string(side)}}
	if name != "" {
		keep.Set("name", name)
	}
	d := orgsData{Side: side, Sides: []domain.Side{domain.SideOrigin, domain.SideMobile, domain.SideHost}, Name: name,
		Nodes: nodes, Count: n, ExportURL: "/orgs/export.xlsx?" + keep.Encode(),
		CanRegister: side == domain.SideHost && canSomewhere(a, authz.OrgRegisterHost),
		Register:    reg, Kinds: hostRootKinds, Industries: industryCodes()}
	if d.Register == nil {
		d.Register = blankForm()
		d.Register.Values["kind"] = string(domain.KindCommittee)
	}
	if side == domain.SideHost {
		if d.Ended, err = h.recentlyEnded(r.Context(), a); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.renderAt(w, r, "/orgs?"+keep.Encode(), status, "orgs", "web.org.title", d)
}

// hostRootKinds are the kinds a registered host organization may have: a
// street or community committee, a district organization department.
var hostRootKinds = []domain.OrgKind{domain.KindCommittee, domain.KindOffice, domain.KindGeneralBranch, domain.KindBranch}

// industryCodes lists the GB/T 4754 section letters for the selects.
func industryCodes() []string {
	out := make([]string, 0, len(domain.Industries))
	for _, c := range domain.Industries {
		out = append(out, string(c))
	}
	return out
}

// orgTree builds the forest of one side and counts its organizations.
func (h *Handler) orgTree(ctx context.Context, a *authz.Actor, side domain.Side, name string) ([]*treeNode, int, error) {
	list, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: side, Name: name})
	if err != nil {
		return nil, 0, err
	}
	roots := forest(list)
	switch side {
	case domain.SideMobile:
		roots, err = h.underParents(ctx, a, roots)
	case domain.SideHost:
		err = h.coverHosts(ctx, a, roots)
	}
	return roots, len(list), err
}

// forest arranges organizations given in path order (parents before their
// children) into trees; one whose parent is not in the list is a root.
func forest(list []domain.Org) []*treeNode {
	byID := make(map[domain.OrgID]*treeNode, len(list))
	var roots []*treeNode
	for _, o := range list {
		n := &treeNode{Org: o, Link: true}
		byID[o.ID] = n
		if p, ok := byID[o.ParentID]; ok && o.ParentID != 0 {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

// underParents puts the mobile roots under the origin organizations that
// set them up, so the view reads county → mobile organizations. The
// county is a link only when the actor may open it; otherwise its name
// stands as a heading (the mobile organization's own page names it too).
func (h *Handler) underParents(ctx context.Context, a *authz.Actor, roots []*treeNode) ([]*treeNode, error) {
	var out []*treeNode
	heads := map[domain.OrgID]*treeNode{}
	for _, n := range roots {
		pid := n.Org.ParentID
		if pid == 0 {
			out = append(out, n)
			continue
		}
		head, ok := heads[pid]
		if !ok {
			head = &treeNode{Org: domain.Org{ID: pid, Name: n.Org.ParentName}}
			// ListOrgs answers not found for a subtree the actor may
			// not see, which is the visibility test wanted here.
			found, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Under: pid, Name: n.Org.ParentName})
			if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
				return nil, err
			}
			if i := slices.IndexFunc(found, func(o domain.Org) bool { return o.ID == pid }); i >= 0 {
				head.Org, head.Link = found[i], true
			}
			heads[pid] = head
			out = append(out, head)
		}
		head.Children = append(head.Children, n)
	}
	return out, nil
}

// coverHosts hangs under every host organization the mobile organizations
// that its in-force agreements cover: one agreement list for the whole
// tree rather than one per organization.
func (h *Handler) coverHosts(ctx context.Context, a *authz.Actor, roots []*treeNode) error {
	if len(roots) == 0 || !canSomewhere(a, authz.AgreementRead) {
		return nil
	}
	live, err := h.svc.ListAgreements(ctx, a, service.AgreementFilter{State: domain.AgreementInForce})
	if err != nil {
		return err
	}
	covered := map[domain.OrgID][]domain.OrgRef{}
	for _, ag := range live {
		for _, host := range ag.Host {
			for _, m := range ag.Mobile {
				if !slices.Contains(covered[host.ID], m) {
					covered[host.ID] = append(covered[host.ID], m)
				}
			}
		}
	}
	if len(covered) == 0 {
		return nil
	}
	mobile, err := h.svc.ListOrgs(ctx, a, service.OrgFilter{Side: domain.SideMobile})
	if err != nil {
		return err
	}
	seen := map[domain.OrgID]domain.Org{}
	for _, o := range mobile {
		seen[o.ID] = o
	}
	var walk func([]*treeNode)
	walk = func(ns []*treeNode) {
		for _, n := range ns {
			for _, ref := range covered[n.Org.ID] {
				o, ok := seen[ref.ID]
				if !ok {
					o = domain.Org{ID: ref.ID, Name: ref.Name}
				}
				n.Covered = append(n.Covered, &treeNode{Org: o, Link: ok})
			}
			walk(n.Children)
		}
	}
	walk(roots)
	return nil
}

// orgFields are the fields of the forms that found an organization.
var orgFields = []string{"name", "short_name", "kind", "side", "region_code", "industry", "founded_on", "phone", "mailbox", "members", "note"}

// newOrgFrom reads a founding form.
func newOrgFrom(f *Form, parent domain.OrgID) (service.NewOrg, error) {
	p := &formReader{f: f}
	in := service.NewOrg{ParentID: parent, Name: f.Get("name"), ShortName: f.Get("short_name"), Side: domain.Side(f.Get("side")),
		Kind: domain.OrgKind(f.Get("kind")), RegionCode: strings.TrimSpace(f.Get("region_code")), Industry: f.Get("industry"),
		FoundedOn: p.date("founded_on"), Phone: f.Get("phone"), Mailbox: f.Get("mailbox"), Members: p.count("members"),
		Note: strings.TrimSpace(f.Get("note"))}
	return in, p.err
}

// registerHost registers a host-side organization, a root of the host
// tree: the counterparty of agreements to come.
func (h *Handler) registerHost(w http.ResponseWriter, r *http.Request) {
	v := h.visit(r)
	f := newForm(r, orgFields...)
	f.Values["side"] = string(domain.SideHost)
	in, err := newOrgFrom(f, 0)
	var id domain.OrgID
	if err == nil {
		id, err = h.svc.CreateOrg(r.Context(), v.Principal.Actor, in)
	}
	if err != nil {
		if !formError(err) {
			h.fail(w, r, err)
			return
		}
		f.Fail(v.L, err, orgFields...)
		h.showOrgs(w, r, StatusOf(domain.CodeOf(err)), domain.SideHost, "", f)
		return
	}
	h.flash(w, "web.org.flash.created")
	redirect(w, r, orgURL(id))
}
