package service

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// NewOrg is the input for founding an organization.
type NewOrg struct {
	ParentID   domain.OrgID
	Name       string
	ShortName  string
	Side       domain.Side
	Kind       domain.OrgKind
	RegionCode string
	Industry   string
	FoundedOn  domain.Date
	Phone      string
	Mailbox    string
	Members    int    // members at founding, for the history (e.g. 13)
	Note       string // the decision that founded it
}

var regionCodeRE = regexp.MustCompile(`^\d{6}(\d{3}(\d{3})?)?$`)

// validateOrg checks the fields every organization must have right.
func (s *Service) validateOrg(o domain.Org) error {
	switch {
	case strings.TrimSpace(o.Name) == "":
		return domain.Invalid("name", "org.name_required", nil)
	case len([]rune(o.Name)) > 100 || len([]rune(o.ShortName)) > 50:
		return domain.Invalid("name", "org.name_too_long", nil)
	case !o.Side.Valid():
		return domain.Invalid("side", "org.side_invalid", nil)
	case !o.Kind.Valid():
		return domain.Invalid("kind", "org.kind_invalid", nil)
	case !domain.ValidIndustry(o.Industry):
		return domain.Invalid("industry", "org.industry_invalid", map[string]any{"Value": o.Industry})
	case o.RegionCode != "" && !regionCodeRE.MatchString(o.RegionCode):
		return domain.Invalid("region_code", "org.region_invalid", map[string]any{"Value": o.RegionCode})
	case o.RegionCode != "" && s.cfg.Regions != nil && !s.cfg.Regions(o.RegionCode):
		return domain.Invalid("region_code", "org.region_unknown", map[string]any{"Value": o.RegionCode})
	}
	return nil
}

// checkPlacement enforces where a child may stand: on its parent's side
// (a mobile organization may also stand under the origin county that
// founded it), under a parent of a kind that may contain it, and under a
// parent that is still active.
func checkPlacement(parent domain.Org, child domain.Org) error {
	if parent.Status != domain.StatusActive {
		return domain.Rule("org.parent_inactive", map[string]any{"Parent": parent.Name})
	}
	if child.Side != parent.Side && !(child.Side == domain.SideMobile && parent.Side == domain.SideOrigin) {
		return &domain.Error{Code: domain.CodeRule, Field: "parent", MsgID: "org.wrong_side",
			Args: map[string]any{"Parent": parent.Name, "Side": string(parent.Side), "ChildSide": string(child.Side)}}
	}
	if !parent.Kind.CanContain(child.Kind) {
		return &domain.Error{Code: domain.CodeRule, Field: "kind", MsgID: "org.wrong_kind",
			Args: map[string]any{"Parent": parent.Name, "ParentKind": string(parent.Kind), "Kind": string(child.Kind)}}
	}
	return nil
}

// CreateOrg founds an organization. Under a parent it needs org:write
// there; a root is a host-side counterparty (org:register_host), or any
// root for the command line and the demo (BootstrapOrg).
func (s *Service) CreateOrg(ctx context.Context, a *authz.Actor, in NewOrg) (domain.OrgID, error) {
	return s.createOrg(ctx, a, in, false)
}

// BootstrapOrg founds an organization as the system: the county's root and
// the demo.
func (s *Service) BootstrapOrg(ctx context.Context, in NewOrg) (domain.OrgID, error) {
	return s.createOrg(ctx, authz.System, in, true)
}

func (s *Service) createOrg(ctx context.Context, a *authz.Actor, in NewOrg, system bool) (domain.OrgID, error) {
	o := domain.Org{ParentID: in.ParentID, Name: strings.TrimSpace(in.Name), ShortName: strings.TrimSpace(in.ShortName),
		Side: in.Side, Kind: in.Kind, RegionCode: in.RegionCode, Industry: strings.ToUpper(in.Industry),
		FoundedOn: in.FoundedOn, Phone: strings.TrimSpace(in.Phone), Mailbox: strings.TrimSpace(in.Mailbox)}
	if o.FoundedOn.IsZero() {
		o.FoundedOn = s.Today()
	}
	if err := s.validateOrg(o); err != nil {
		return 0, err
	}
	var id domain.OrgID
	err := s.db.Tx(ctx, func(tx store.Tx) error {
		if err := s.mayFound(ctx, tx, a, o, system); err != nil {
			return err
		}
		var err error
		if id, err = store.CreateOrg(ctx, tx, o, s.Now()); err != nil {
			return err
		}
		if err := store.AddOrgEvent(ctx, tx, domain.OrgEvent{OrgID: id, Kind: domain.EventFounded, On: o.FoundedOn,
			ToKind: o.Kind, Members: in.Members, Note: in.Note, ActorName: a.Name}, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, "org.create", "org", fmt.Sprint(id), "ok", change{After: o})
	})
	return id, err
}

func (s *Service) mayFound(ctx context.Context, tx store.Tx, a *authz.Actor, o domain.Org, system bool) error {
	if o.ParentID == 0 {
		if system || (o.Side == domain.SideHost && canAnywhere(a, authz.OrgRegisterHost)) {
			return nil
		}
		return domain.Rule("org.root_not_allowed", nil)
	}
	parent, err := store.OrgByID(ctx, tx, o.ParentID)
	if err != nil {
		return domain.Invalid("parent", "org.parent_not_found", nil)
	}
	if !system && !a.CanAt(authz.OrgWrite, target(parent)).Allowed {
		if !a.CanAt(authz.OrgRead, target(parent)).Allowed {
			return domain.Invalid("parent", "org.parent_not_found", nil)
		}
		return domain.ErrForbidden
	}
	return checkPlacement(parent, o)
}

// canAnywhere reports whether any of the actor's grants carries p.
func canAnywhere(a *authz.Actor, p authz.Perm) bool { return !a.Filter(p).Empty() }
