// Package demo loads demonstration scenarios into an empty database, so
// `gongjian demo` shows a working county to a visitor at once. A Scenario
// is a list of steps; later issues extend the Guannan scenario by appending
// steps (people, agreements, meetings, cases …) rather than by writing a
// second loader.
//
// Loading is idempotent in two ways. A database that already holds accounts
// or organizations of its own is never touched: the demo must not mix into
// real data. And every step looks before it creates, with a marker setting
// that says "loading" until the last step is done, so a load cut short by a
// crash or a kill resumes where it stopped on the next run instead of
// leaving half a scenario behind.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// Step is one idempotent part of a scenario.
type Step struct {
	Name string
	Run  func(ctx context.Context, l *Loader) error
}

// Account is a demo login, printed for visitors: the passwords and TOTP
// secrets are public on purpose.
type Account struct {
	Name        string // login name
	DisplayName string
	Role        string
	Org         string // full organization name; empty for system-wide roles
	Password    string
	TOTPSecret  string // base32; empty when the role needs no second factor
}

// Scenario is a named list of steps and the accounts they create.
type Scenario struct {
	Name     string
	Steps    []Step
	Accounts []Account
	// People is how many people the scenario registers (0: none), the
	// scale knob of `gongjian demo --people`. A load resumed with another
	// number continues up to that one.
	People int
	// Progress, when not nil, hears how many people are stored.
	Progress func(done, total int)
}

// Loader is what steps work with.
type Loader struct {
	Service  *service.Service
	DB       *store.DB
	People   int
	Progress func(done, total int)
}

// Result says what Load did.
type Result struct {
	Loaded  bool // this run loaded (or finished loading) the scenario
	Present bool // the scenario is in the database, loaded now or before
}

// marker is the setting that records a scenario's progress.
type marker struct {
	Name  string `json:"name"`
	State string `json:"state"` // "loading" or "done"
}

func (s Scenario) markerKey() string { return "demo." + s.Name }

// Load runs the scenario's steps when the database is empty or holds an
// unfinished load of this scenario, and does nothing otherwise.
func (s Scenario) Load(ctx context.Context, svc *service.Service) (Result, error) {
	l := &Loader{Service: svc, DB: svc.DB(), People: s.People, Progress: s.Progress}
	state, err := s.state(ctx, l.DB)
	if err != nil {
		return Result{}, err
	}
	switch state {
	case "done":
		return Result{Present: true}, nil
	case "":
		empty, err := isEmpty(ctx, l.DB)
		if err != nil || !empty {
			return Result{}, err
		}
		if err := s.mark(ctx, l, "loading"); err != nil {
			return Result{}, err
		}
	}
	for _, step := range s.Steps {
		if err := step.Run(ctx, l); err != nil {
			return Result{}, fmt.Errorf("demo: %s: step %s: %w", s.Name, step.Name, err)
		}
	}
	if err := s.mark(ctx, l, "done"); err != nil {
		return Result{}, err
	}
	return Result{Loaded: true, Present: true}, nil
}

func (s Scenario) state(ctx context.Context, db *store.DB) (string, error) {
	v, err := store.Setting(ctx, db.Read(), s.markerKey())
	if domain.CodeOf(err) == domain.CodeNotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var m marker
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return "", fmt.Errorf("demo: setting %s: %w", s.markerKey(), err)
	}
	return m.State, nil
}

func (s Scenario) mark(ctx context.Context, l *Loader, state string) error {
	b, _ := json.Marshal(marker{Name: s.Name, State: state})
	return l.DB.Tx(ctx, func(tx store.Tx) error {
		return store.PutSetting(ctx, tx, s.markerKey(), string(b), l.Service.Now())
	})
}

func isEmpty(ctx context.Context, db *store.DB) (bool, error) {
	accounts, err := store.CountAccounts(ctx, db.Read())
	if err != nil {
		return false, fmt.Errorf("demo: count accounts: %w", err)
	}
	orgs, err := store.CountOrgs(ctx, db.Read())
	if err != nil {
		return false, fmt.Errorf("demo: count orgs: %w", err)
	}
	return accounts == 0 && orgs == 0, nil
}

// Org is an organization of a scenario; Parent names an earlier one. Kind
// is the kind it was founded as; Upgrades take it to its present kind, and
// its history shows that path.
type Org struct {
	Name, ShortName, Parent string
	Side                    domain.Side
	Kind                    domain.OrgKind
	RegionCode              string
	Industry                string // GB/T 4754 section, empty when none stands out
	FoundedOn               domain.Date
	Members                 int    // stated at founding, 0 unknown
	Note                    string // the founding decision
	Mailbox                 string
	Upgrades                []Upgrade
	Officers                []Officer
}

// Upgrade is a recorded change of an organization's kind.
type Upgrade struct {
	To      domain.OrgKind
	On      domain.Date
	Members int
	Note    string
}

// Officer is a position held in a scenario organization; To zero: in
// office.
type Officer struct {
	Name, Position string
	From, To       domain.Date
}

// EnsureOrg founds the organization unless it exists, then records the
// upgrades and appoints the officers that are missing, each through the
// service so that every organization has its history and audit trail.
// Each part is its own transaction and looks before it acts, so a load cut
// short between them resumes without duplicates.
func (l *Loader) EnsureOrg(ctx context.Context, o Org) error {
	org, err := store.FindOrg(ctx, l.DB.Read(), o.Name)
	if domain.CodeOf(err) == domain.CodeNotFound {
		var parent domain.OrgID
		if o.Parent != "" {
			p, err := store.FindOrg(ctx, l.DB.Read(), o.Parent)
			if err != nil {
				return fmt.Errorf("parent %q of %q: %w", o.Parent, o.Name, err)
			}
			parent = p.ID
		}
		id, err := l.Service.BootstrapOrg(ctx, service.NewOrg{ParentID: parent, Name: o.Name, ShortName: o.ShortName,
			Side: o.Side, Kind: o.Kind, RegionCode: o.RegionCode, Industry: o.Industry, FoundedOn: o.FoundedOn,
			Mailbox: o.Mailbox, Members: o.Members, Note: o.Note})
		if err != nil {
			return fmt.Errorf("org %s: %w", o.Name, err)
		}
		org, err = store.OrgByID(ctx, l.DB.Read(), id)
		if err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if len(o.Upgrades) > 0 {
		events, err := store.OrgEvents(ctx, l.DB.Read(), org.ID)
		if err != nil {
			return err
		}
		for _, u := range o.Upgrades {
			if slices.ContainsFunc(events, func(e domain.OrgEvent) bool { return e.Kind == domain.EventUpgraded && e.ToKind == u.To }) {
				continue
			}
			if err := l.Service.UpgradeOrg(ctx, authz.System, org.ID, u.To,
				service.Lifecycle{On: u.On, Members: u.Members, Note: u.Note, Version: org.Version}); err != nil {
				return fmt.Errorf("upgrade %s to %s: %w", o.Name, u.To, err)
			}
			if org, err = store.OrgByID(ctx, l.DB.Read(), org.ID); err != nil {
				return err
			}
		}
	}
	if len(o.Officers) > 0 {
		held, err := store.Officers(ctx, l.DB.Read(), org.ID)
		if err != nil {
			return err
		}
		for _, f := range o.Officers {
			// Name and position identify a term: the dates of current
			// terms follow the clock, so a resumed load on another day
			// must still recognise them.
			if slices.ContainsFunc(held, func(h domain.Officer) bool { return h.Name == f.Name && h.Position == f.Position }) {
				continue
			}
			if _, err := l.Service.AppointOfficer(ctx, authz.System, domain.Officer{OrgID: org.ID, Name: f.Name,
				Position: f.Position, From: f.From, To: f.To}); err != nil {
				return fmt.Errorf("officer %s of %s: %w", f.Name, o.Name, err)
			}
		}
	}
	return nil
}

// Agreement is a co-management agreement of a scenario, with the parties
// by full name and how far its life has gone: a zero SignedOn leaves it a
// draft; a Reason terminates it on TerminatedOn.
type Agreement struct {
	Title        string
	Origin       string
	Mobile, Host []string
	Capabilities []domain.Capability
	From, To     domain.Date
	Folded       bool
	SitsIn       bool
	SignedOn     domain.Date
	TerminatedOn domain.Date
	Reason       string
}

// everything is a scope that admits every organization: the loader looks
// up what it has already created.
var everything = authz.OrgFilter{Prefixes: []string{"/"}}

// EnsureAgreement drafts the agreement unless one with its title exists,
// then signs and terminates it as its spec says, each step only when the
// stored state has not reached it yet.
func (l *Loader) EnsureAgreement(ctx context.Context, a Agreement) error {
	all, err := store.ListAgreements(ctx, l.DB.Read(), store.AgreementQuery{Scope: everything})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(x domain.Agreement) bool { return x.Title == a.Title })
	var ag domain.Agreement
	if i >= 0 {
		ag = all[i]
	} else {
		ids := func(names []string) ([]domain.OrgID, error) {
			out := make([]domain.OrgID, len(names))
			for i, n := range names {
				o, err := store.FindOrg(ctx, l.DB.Read(), n)
				if err != nil {
					return nil, fmt.Errorf("party %q of %q: %w", n, a.Title, err)
				}
				out[i] = o.ID
			}
			return out, nil
		}
		origin, err := ids([]string{a.Origin})
		if err != nil {
			return err
		}
		mobile, err := ids(a.Mobile)
		if err != nil {
			return err
		}
		host, err := ids(a.Host)
		if err != nil {
			return err
		}
		id, err := l.Service.BootstrapAgreement(ctx, service.NewAgreement{Title: a.Title, OriginID: origin[0], MobileIDs: mobile,
			HostIDs: host, Capabilities: a.Capabilities, ValidFrom: a.From, ValidTo: a.To, Folded: a.Folded, SitsIn: a.SitsIn})
		if err != nil {
			return fmt.Errorf("agreement %s: %w", a.Title, err)
		}
		if ag, err = store.AgreementByID(ctx, l.DB.Read(), id); err != nil {
			return err
		}
	}
	if !a.SignedOn.IsZero() && ag.State == domain.AgreementDraft {
		if err := l.Service.SignAgreement(ctx, authz.System, ag.ID, ag.Version, a.SignedOn); err != nil {
			return fmt.Errorf("sign %s: %w", a.Title, err)
		}
		if ag, err = store.AgreementByID(ctx, l.DB.Read(), ag.ID); err != nil {
			return err
		}
	}
	if a.Reason != "" && ag.State == domain.AgreementInForce {
		if err := l.Service.TerminateAgreement(ctx, authz.System, ag.ID, ag.Version, a.TerminatedOn, a.Reason); err != nil {
			return fmt.Errorf("terminate %s: %w", a.Title, err)
		}
	}
	return nil
}

// EnsureAccount creates the account, its grant and its TOTP secret, each
// only when missing.
func (l *Loader) EnsureAccount(ctx context.Context, a Account) error {
	row, err := store.AccountByName(ctx, l.DB.Read(), a.Name)
	if domain.CodeOf(err) == domain.CodeNotFound {
		_, err = l.Service.BootstrapAccount(ctx, service.NewAccount{Name: a.Name, DisplayName: a.DisplayName, Password: a.Password})
		if err == nil {
			row, err = store.AccountByName(ctx, l.DB.Read(), a.Name)
		}
	}
	if err != nil {
		return fmt.Errorf("account %s: %w", a.Name, err)
	}
	grants, err := store.Grants(ctx, l.DB.Read(), row.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(grants, func(g domain.Grant) bool { return g.Role == a.Role }) {
		if err := l.Service.BootstrapGrant(ctx, row.ID, a.Role, a.Org); err != nil {
			return fmt.Errorf("grant %s to %s: %w", a.Role, a.Name, err)
		}
	}
	if a.TOTPSecret != "" && !row.TOTPEnabled {
		if err := l.Service.EnrolTOTPWithSecret(ctx, row.ID, a.TOTPSecret); err != nil {
			return fmt.Errorf("TOTP of %s: %w", a.Name, err)
		}
	}
	return nil
}
