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
}

// Loader is what steps work with.
type Loader struct {
	Service *service.Service
	DB      *store.DB
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
	l := &Loader{Service: svc, DB: svc.DB()}
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

// Org is an organization of a scenario; Parent names an earlier one.
type Org struct {
	Name, ShortName, Parent string
	Side                    domain.Side
}

// EnsureOrgs creates the organizations that do not exist yet, parents
// first (the slice must list a parent before its children).
func (l *Loader) EnsureOrgs(ctx context.Context, orgs []Org) error {
	return l.DB.Tx(ctx, func(tx store.Tx) error {
		for _, o := range orgs {
			if _, err := store.FindOrg(ctx, tx, o.Name); err == nil {
				continue
			} else if domain.CodeOf(err) != domain.CodeNotFound {
				return err
			}
			var parent domain.OrgID
			if o.Parent != "" {
				p, err := store.FindOrg(ctx, tx, o.Parent)
				if err != nil {
					return fmt.Errorf("parent %q of %q: %w", o.Parent, o.Name, err)
				}
				parent = p.ID
			}
			org := domain.Org{ParentID: parent, Name: o.Name, ShortName: o.ShortName, Side: o.Side}
			if _, err := store.CreateOrg(ctx, tx, org, l.Service.Now()); err != nil {
				return err
			}
		}
		return nil
	})
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
