package api

import (
	"encoding/json"
	"slices"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The API's own shapes. Instants are RFC 3339 in UTC.

type grantDTO struct {
	ID        int64     `json:"id"`
	Role      string    `json:"role"`
	OrgID     int64     `json:"org_id,omitempty"`
	OrgName   string    `json:"org_name,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type accountDTO struct {
	ID                 int64      `json:"id"`
	Name               string     `json:"name"`
	DisplayName        string     `json:"display_name"`
	Locale             string     `json:"locale,omitempty"`
	TOTPEnabled        bool       `json:"totp_enabled"`
	MustChangePassword bool       `json:"must_change_password"`
	Disabled           bool       `json:"disabled"`
	DisabledAt         *time.Time `json:"disabled_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	Grants             []grantDTO `json:"grants"`
}

type meDTO struct {
	accountDTO
	Permissions []string `json:"permissions"`
	Own         *ownDTO  `json:"own,omitempty"` // a member's own record, masked, and certificate
}

type auditDTO struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id,omitempty"`
	ActorName  string          `json:"actor_name"`
	Address    string          `json:"address"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Outcome    string          `json:"outcome"`
	Detail     json.RawMessage `json:"detail"`
}

type tokenDTO struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Token     string     `json:"token"` // the clear token, shown this once
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func grantsDTO(gs []domain.Grant) []grantDTO {
	out := make([]grantDTO, 0, len(gs))
	for _, g := range gs {
		out = append(out, grantDTO{ID: g.ID, Role: g.Role, OrgID: int64(g.OrgID), OrgName: g.OrgName, CreatedAt: g.CreatedAt.UTC()})
	}
	return out
}

func toAccount(v service.AccountView) accountDTO {
	d := accountDTO{
		ID: int64(v.ID), Name: v.Name, DisplayName: v.DisplayName, Locale: v.Locale,
		TOTPEnabled: v.TOTPEnabled, MustChangePassword: v.MustChangePassword,
		Disabled: v.Disabled(), CreatedAt: v.CreatedAt.UTC(), Grants: grantsDTO(v.Grants),
	}
	if v.DisabledAt != nil {
		t := v.DisabledAt.UTC()
		d.DisabledAt = &t
	}
	return d
}

// permissions lists what the actor's roles allow, sorted, for clients
// that show or hide features.
func permissions(a *authz.Actor) []string {
	out := []string{string(authz.SelfManage)}
	for _, g := range a.Grants {
		if r, ok := authz.Role(g.Role); ok {
			for _, p := range r.Perms {
				if !slices.Contains(out, string(p)) {
					out = append(out, string(p))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func toAudit(e store.AuditEntry) auditDTO {
	d := auditDTO{Seq: e.Seq, At: e.At.UTC(), ActorID: e.ActorID, ActorName: e.ActorName, Address: e.Address,
		Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Outcome: e.Outcome, Detail: json.RawMessage(e.Detail)}
	if !json.Valid(d.Detail) {
		// The detail is JSON by construction; should an old row hold
		// anything else, it goes out as a string, not as broken JSON.
		b, _ := json.Marshal(e.Detail)
		d.Detail = b
	}
	return d
}
