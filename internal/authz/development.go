package authz

import "gongjian/internal/domain"

// DevReach is how an actor reaches a development case
// (docs/decisions/0014-member-development.md): as the host side — the
// branch where the person takes part, that is a host organization through
// an agreement granting cultivation, or a mobile-side role holding
// cultivation:write at the case's mobile organization — and as the home
// side — an origin-side role holding development:approve at the case's
// home organization (home secretary, county). NoCapability says the actor
// reaches the mobile organization through an agreement that does not
// grant cultivation: it may see that the case exists (a 403 that names
// why) but not act on it.
type DevReach struct {
	Host         bool
	Home         bool
	Agreement    domain.AgreementID // the agreement of a host-side reach (0: a mobile role)
	NoCapability bool
}

// Reads reports whether the actor may read the case: either side.
func (d DevReach) Reads() bool { return d.Host || d.Home }

// Development resolves the actor's reach to a case whose home and mobile
// organizations are home and mobile.
func (a *Actor) Development(home, mobile Target) DevReach {
	var d DevReach
	if a == nil || a.AccountID == 0 {
		return d
	}
	if len(a.Via(DevelopmentApprove, home)) > 0 {
		d.Home = true
	}
	for _, r := range a.Via(CultivationWrite, mobile) {
		if r.Agreement != 0 {
			d.Host, d.Agreement = true, r.Agreement
			break
		}
		if r.Side == domain.SideMobile {
			d.Host = true
			break
		}
	}
	if !d.Host {
		for _, r := range a.Via(OrgRead, mobile) {
			if r.Agreement != 0 {
				d.NoCapability = true
			}
		}
	}
	return d
}

// DevelopmentFilter is the scope of development cases as a query needs
// it: the home organizations the actor approves for, and the mobile
// organizations it cultivates in (through an agreement granting
// cultivation or a mobile-side role).
func (a *Actor) DevelopmentFilter() (home, mobile OrgFilter) {
	if a == nil {
		return
	}
	home = a.Filter(DevelopmentApprove)
	for _, r := range a.Reach {
		probe := Target{Path: r.Path, Side: r.Side}
		if ok, _ := reachAllows(r, CultivationWrite, probe); ok && (r.Agreement != 0 || r.Side == domain.SideMobile) {
			mobile.Prefixes = append(mobile.Prefixes, r.Path)
		}
	}
	return home, mobile
}
