package api

import (
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/i18n"
	"gongjian/internal/service"
	"gongjian/internal/store"
)

// The shapes of organizations and agreements. Dates are "YYYY-MM-DD"
// strings (absent when unknown), enumerations their codes (kinds, sides,
// states, capabilities), so that clients translate them themselves; the
// advisor's notes also carry the message in the caller's language.

type orgRefDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type orgDTO struct {
	ID         int64  `json:"id"`
	ParentID   int64  `json:"parent_id,omitempty"`
	ParentName string `json:"parent_name,omitempty"`
	Name       string `json:"name"`
	ShortName  string `json:"short_name"`
	Side       string `json:"side"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	RegionCode string `json:"region_code"`
	Industry   string `json:"industry"`
	FoundedOn  string `json:"founded_on,omitempty"`
	Phone      string `json:"phone"`
	Mailbox    string `json:"mailbox"`
	Version    int64  `json:"version"`
}

type officerDTO struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position string `json:"position"`
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Phone    string `json:"phone,omitempty"` // masked
}

type orgEventDTO struct {
	Kind       string    `json:"kind"`
	On         string    `json:"on"`
	FromKind   string    `json:"from_kind,omitempty"`
	ToKind     string    `json:"to_kind,omitempty"`
	OtherID    int64     `json:"other_id,omitempty"`
	OtherName  string    `json:"other_name,omitempty"`
	Members    int       `json:"members,omitempty"`
	Note       string    `json:"note,omitempty"`
	ActorName  string    `json:"actor_name,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

type adviceDTO struct {
	Rule    string         `json:"rule"`
	Args    map[string]any `json:"args"`
	Message string         `json:"message"`
}

type countsDTO struct {
	Full         int `json:"full"`
	Probationary int `json:"probationary"`
	Children     int `json:"children"`
}

type orgDetailDTO struct {
	orgDTO
	Ancestors  []orgRefDTO    `json:"ancestors"`
	Children   []orgDTO       `json:"children"`
	Officers   []officerDTO   `json:"officers"`
	History    []orgEventDTO  `json:"history"`
	Agreements []agreementDTO `json:"agreements"`
	Counts     countsDTO      `json:"counts"`
	Advice     []adviceDTO    `json:"advice"`
	CanWrite   bool           `json:"can_write"`
}

type agreementDTO struct {
	ID           int64       `json:"id"`
	Title        string      `json:"title"`
	Origin       orgRefDTO   `json:"origin"`
	Mobile       []orgRefDTO `json:"mobile"`
	Host         []orgRefDTO `json:"host"`
	Capabilities []string    `json:"capabilities"`
	ValidFrom    string      `json:"valid_from"`
	ValidTo      string      `json:"valid_to"`
	State        string      `json:"state"` // as of today: draft, pending, in_force, expired, terminated
	RenewalDue   bool        `json:"renewal_due"`
	SignedOn     string      `json:"signed_on,omitempty"`
	Folded       bool        `json:"folded"`
	SitsIn       bool        `json:"sits_in"`
	DocumentName string      `json:"document_name,omitempty"`
	RenewedFrom  int64       `json:"renewed_from,omitempty"`
	TerminatedOn string      `json:"terminated_on,omitempty"`
	Reason       string      `json:"reason,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	Version      int64       `json:"version"`
}

type agreementEventDTO struct {
	Kind       string    `json:"kind"`
	Note       string    `json:"note,omitempty"`
	ActorName  string    `json:"actor_name,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

type agreementDetailDTO struct {
	agreementDTO
	Events   []agreementEventDTO `json:"events"`
	CanWrite bool                `json:"can_write"`
}

func toOrg(o domain.Org) orgDTO {
	return orgDTO{ID: int64(o.ID), ParentID: int64(o.ParentID), ParentName: o.ParentName, Name: o.Name, ShortName: o.ShortName,
		Side: string(o.Side), Kind: string(o.Kind), Status: string(o.Status), RegionCode: o.RegionCode, Industry: o.Industry,
		FoundedOn: o.FoundedOn.String(), Phone: o.Phone, Mailbox: o.Mailbox, Version: o.Version}
}

func toOrgs(os []domain.Org) []orgDTO {
	out := make([]orgDTO, 0, len(os))
	for _, o := range os {
		out = append(out, toOrg(o))
	}
	return out
}

func refs(rs []domain.OrgRef) []orgRefDTO {
	out := make([]orgRefDTO, 0, len(rs))
	for _, r := range rs {
		out = append(out, orgRefDTO{ID: int64(r.ID), Name: r.Name})
	}
	return out
}

func toOfficer(o domain.Officer) officerDTO {
	return officerDTO{ID: o.ID, Name: o.Name, Position: o.Position, From: o.From.String(), To: o.To.String(), Phone: domain.MaskPhone(o.Phone)}
}

func toOrgDetail(v service.OrgView, today domain.Date, l *i18n.Localizer) orgDetailDTO {
	d := orgDetailDTO{orgDTO: toOrg(v.Org), Ancestors: []orgRefDTO{}, Children: toOrgs(v.Children), Officers: []officerDTO{},
		History: []orgEventDTO{}, Agreements: toAgreements(v.Agreements, today), Advice: []adviceDTO{}, CanWrite: v.CanWrite,
		Counts: countsDTO{Full: v.Counts.Full, Probationary: v.Counts.Probationary, Children: v.Counts.Children}}
	for _, a := range v.Ancestors {
		d.Ancestors = append(d.Ancestors, orgRefDTO{ID: int64(a.ID), Name: a.Name})
	}
	for _, o := range v.Officers {
		d.Officers = append(d.Officers, toOfficer(o))
	}
	for _, e := range v.History {
		d.History = append(d.History, orgEventDTO{Kind: string(e.Kind), On: e.On.String(), FromKind: string(e.FromKind),
			ToKind: string(e.ToKind), OtherID: int64(e.OtherID), OtherName: e.OtherName, Members: e.Members, Note: e.Note,
			ActorName: e.ActorName, RecordedAt: e.RecordedAt.UTC()})
	}
	for _, a := range v.Advice {
		d.Advice = append(d.Advice, adviceDTO{Rule: a.Rule, Args: a.Args, Message: l.T(a.Rule, a.Args)})
	}
	return d
}

func toAgreement(a domain.Agreement, today domain.Date) agreementDTO {
	d := agreementDTO{ID: int64(a.ID), Title: a.Title, Origin: orgRefDTO{ID: int64(a.OriginID), Name: a.OriginName},
		Mobile: refs(a.Mobile), Host: refs(a.Host), Capabilities: make([]string, 0, len(a.Capabilities)),
		ValidFrom: a.ValidFrom.String(), ValidTo: a.ValidTo.String(), State: string(a.StateOn(today)), RenewalDue: a.RenewalDue(today),
		SignedOn: a.SignedOn.String(), Folded: a.Folded, SitsIn: a.SitsIn, DocumentName: a.DocumentName,
		RenewedFrom: int64(a.RenewedFrom), TerminatedOn: a.TerminatedOn.String(), Reason: a.Reason, CreatedAt: a.CreatedAt.UTC(),
		Version: a.Version}
	for _, c := range a.Capabilities {
		d.Capabilities = append(d.Capabilities, string(c))
	}
	return d
}

func toAgreements(as []domain.Agreement, today domain.Date) []agreementDTO {
	out := make([]agreementDTO, 0, len(as))
	for _, a := range as {
		out = append(out, toAgreement(a, today))
	}
	return out
}

func toAgreementDetail(v service.AgreementView, today domain.Date) agreementDetailDTO {
	d := agreementDetailDTO{agreementDTO: toAgreement(v.Agreement, today), Events: []agreementEventDTO{}, CanWrite: v.CanWrite}
	for _, e := range v.Events {
		d.Events = append(d.Events, eventDTO(e))
	}
	return d
}

func eventDTO(e store.AgreementEvent) agreementEventDTO {
	return agreementEventDTO{Kind: e.Kind, Note: e.Note, ActorName: e.ActorName, RecordedAt: e.RecordedAt.UTC()}
}

// apiDate reads a "YYYY-MM-DD" field; empty is the zero date.
func apiDate(field, s string) (domain.Date, error) {
	if s == "" {
		return domain.Date{}, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return d, domain.Invalid(field, "web.orgapi.bad_date", map[string]any{"Field": field})
	}
	return d, nil
}
