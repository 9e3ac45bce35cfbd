package api

import (
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/service"
)

// The shapes of feedback, evaluations and follow-up tasks. People appear
// by id, name and masked ID number only.

type personRefDTO struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number,omitempty"` // masked
}

type feedbackEventDTO struct {
	Kind          string    `json:"kind"`
	Participation string    `json:"participation,omitempty"`
	Conduct       string    `json:"conduct,omitempty"`
	Remarks       string    `json:"remarks,omitempty"`
	Comment       string    `json:"comment,omitempty"`
	Actor         string    `json:"actor"`
	At            time.Time `json:"at"`
}

type feedbackDTO struct {
	ID            int64              `json:"id"`
	Person        personRefDTO       `json:"person"`
	Quarter       string             `json:"quarter"`
	Writer        orgRefDTO          `json:"writer"`
	WriterSide    string             `json:"writer_side"`
	AgreementID   int64              `json:"agreement_id,omitempty"`
	Home          orgRefDTO          `json:"home"`
	Mobile        orgRefDTO          `json:"mobile"`
	Participation string             `json:"participation"`
	Conduct       string             `json:"conduct"`
	Remarks       string             `json:"remarks"`
	State         string             `json:"state"`
	Comment       string             `json:"comment,omitempty"`
	Author        string             `json:"author,omitempty"`
	SentAt        time.Time          `json:"sent_at"`
	AnsweredBy    string             `json:"answered_by,omitempty"`
	AnsweredAt    *time.Time         `json:"answered_at,omitempty"`
	Revision      int                `json:"revision"`
	Version       int64              `json:"version"`
	Events        []feedbackEventDTO `json:"events,omitempty"`
	CanAnswer     *bool              `json:"can_answer,omitempty"`
	CanRevise     *bool              `json:"can_revise,omitempty"`
}

type feedbackList struct {
	Feedback []feedbackDTO `json:"feedback"`
	Next     int64         `json:"next,omitempty"` // pass as ?before= for the next page
}

type dueDTO struct {
	Person personRefDTO `json:"person"`
	Writer string       `json:"writer"`
}

type dueList struct {
	Period  string   `json:"period"` // the quarter or the year
	Members []dueDTO `json:"members"`
	Next    string   `json:"next,omitempty"` // pass as ?after= for the next page
}

func toPersonRef(id domain.PersonID, name string, masked domain.Masked) personRefDTO {
	return personRefDTO{ID: int64(id), Name: name, IDNumber: string(masked)}
}

func toFeedback(f domain.Feedback) feedbackDTO {
	return feedbackDTO{ID: int64(f.ID), Person: toPersonRef(f.PersonID, f.PersonName, f.IDNumber), Quarter: f.Quarter,
		Writer: orgRefDTO{ID: int64(f.WriterOrgID), Name: f.WriterOrgName}, WriterSide: string(f.WriterSide),
		AgreementID: int64(f.Agreement), Home: orgRefDTO{ID: int64(f.HomeOrgID), Name: f.HomeOrgName},
		Mobile: orgRefDTO{ID: int64(f.MobileOrgID), Name: f.MobileOrgName}, Participation: string(f.Participation),
		Conduct: string(f.Conduct), Remarks: f.Remarks, State: string(f.State), Comment: f.Comment, Author: f.AuthorName,
		SentAt: f.SentAt, AnsweredBy: f.AnsweredBy, AnsweredAt: f.AnsweredAt, Revision: f.Revision, Version: f.Version}
}

func toFeedbackView(v service.FeedbackView) feedbackDTO {
	out := toFeedback(v.Feedback)
	out.CanAnswer, out.CanRevise = &v.CanAnswer, &v.CanRevise
	for _, e := range v.Events {
		out.Events = append(out.Events, feedbackEventDTO{Kind: e.Kind, Participation: string(e.Participation), Conduct: string(e.Conduct),
			Remarks: e.Remarks, Comment: e.Comment, Actor: e.ActorName, At: e.At})
	}
	return out
}

func toFeedbacks(fs []domain.Feedback) []feedbackDTO {
	out := make([]feedbackDTO, len(fs))
	for i, f := range fs {
		out[i] = toFeedback(f)
	}
	return out
}

func toDue(p service.DuePage) dueList {
	out := dueList{Period: p.Period, Members: make([]dueDTO, len(p.Members)), Next: encodeCursor(p.Next)}
	for i, m := range p.Members {
		out.Members[i] = dueDTO{Person: toPersonRef(m.Person.ID, m.Person.Name, m.Person.IDNumber), Writer: m.WriterOrg}
	}
	return out
}

type hostOpinionDTO struct {
	Org    orgRefDTO  `json:"org"`
	Rating string     `json:"rating"`
	Note   string     `json:"note,omitempty"`
	By     string     `json:"by,omitempty"`
	At     *time.Time `json:"at,omitempty"`
}

type evaluationDTO struct {
	ID           int64           `json:"id"`
	Person       personRefDTO    `json:"person"`
	Year         int             `json:"year"`
	Org          orgRefDTO       `json:"org"`
	Home         orgRefDTO       `json:"home"`
	State        string          `json:"state"`
	Proposed     string          `json:"proposed,omitempty"`
	ProposalNote string          `json:"proposal_note,omitempty"`
	ProposedBy   string          `json:"proposed_by,omitempty"`
	ProposedAt   time.Time       `json:"proposed_at"`
	Host         *hostOpinionDTO `json:"host,omitempty"`
	Rating       string          `json:"rating,omitempty"`
	ChangeReason string          `json:"change_reason,omitempty"`
	ConfirmedBy  string          `json:"confirmed_by,omitempty"`
	ConfirmedAt  *time.Time      `json:"confirmed_at,omitempty"`
	Version      int64           `json:"version"`
	FollowUps    []followUpDTO   `json:"followups,omitempty"`
	Warning      *errorDTO       `json:"warning,omitempty"` // a proposal over the excellent share
}

func toEvaluation(e domain.Evaluation) evaluationDTO {
	out := evaluationDTO{ID: int64(e.ID), Person: toPersonRef(e.PersonID, e.PersonName, e.IDNumber), Year: e.Year,
		Org: orgRefDTO{ID: int64(e.OrgID), Name: e.OrgName}, Home: orgRefDTO{ID: int64(e.HomeOrgID), Name: e.HomeOrgName},
		State: string(e.State), Proposed: string(e.Proposed), ProposalNote: e.ProposalNote, ProposedBy: e.ProposedBy,
		ProposedAt: e.ProposedAt, Rating: string(e.Rating), ChangeReason: e.ChangeReason, ConfirmedBy: e.ConfirmedBy,
		ConfirmedAt: e.ConfirmedAt, Version: e.Version}
	if e.HostRating != "" {
		out.Host = &hostOpinionDTO{Org: orgRefDTO{ID: int64(e.HostOrgID), Name: e.HostOrgName}, Rating: string(e.HostRating),
			Note: e.HostNote, By: e.HostBy, At: e.HostAt}
	}
	return out
}

func toEvaluations(es []domain.Evaluation) []evaluationDTO {
	out := make([]evaluationDTO, len(es))
	for i, e := range es {
		out[i] = toEvaluation(e)
	}
	return out
}

type evaluationList struct {
	Evaluations []evaluationDTO `json:"evaluations"`
	Next        int64           `json:"next,omitempty"`
}

type followUpDTO struct {
	ID           int64        `json:"id"`
	EvaluationID int64        `json:"evaluation_id"`
	Year         int          `json:"year"`
	Person       personRefDTO `json:"person"`
	Home         orgRefDTO    `json:"home"`
	Org          orgRefDTO    `json:"org"`
	Kind         string       `json:"kind"`
	DueOn        string       `json:"due_on"`
	Note         string       `json:"note,omitempty"`
	Open         bool         `json:"open"`
	Overdue      bool         `json:"overdue"`
	Outcome      string       `json:"outcome,omitempty"`
	OutcomeNote  string       `json:"outcome_note,omitempty"`
	OpenedBy     string       `json:"opened_by,omitempty"`
	OpenedAt     time.Time    `json:"opened_at"`
	ClosedBy     string       `json:"closed_by,omitempty"`
	ClosedAt     *time.Time   `json:"closed_at,omitempty"`
	Version      int64        `json:"version"`
}

func toFollowUps(fs []domain.FollowUp, today domain.Date) []followUpDTO {
	out := make([]followUpDTO, len(fs))
	for i, f := range fs {
		out[i] = followUpDTO{ID: int64(f.ID), EvaluationID: int64(f.EvaluationID), Year: f.Year,
			Person: toPersonRef(f.PersonID, f.PersonName, f.IDNumber), Home: orgRefDTO{ID: int64(f.HomeOrgID), Name: f.HomeOrgName},
			Org: orgRefDTO{ID: int64(f.OrgID), Name: f.OrgName}, Kind: string(f.Kind), DueOn: f.DueOn.String(), Note: f.Note,
			Open: f.Open, Overdue: f.Overdue(today), Outcome: string(f.Outcome), OutcomeNote: f.OutcomeNote, OpenedBy: f.OpenedBy,
			OpenedAt: f.OpenedAt, ClosedBy: f.ClosedBy, ClosedAt: f.ClosedAt, Version: f.Version}
	}
	return out
}

type followUpList struct {
	FollowUps []followUpDTO `json:"followups"`
	Next      int64         `json:"next,omitempty"`
}

type ratingCountsDTO struct {
	Org         *orgRefDTO `json:"org,omitempty"` // absent on the total
	Excellent   int        `json:"excellent"`
	Qualified   int        `json:"qualified"`
	Basic       int        `json:"basic"`
	Unqualified int        `json:"unqualified"`
	Pending     int        `json:"pending"`
	Total       int        `json:"total"`
}

type distributionDTO struct {
	Year   int               `json:"year"`
	Share  [2]int            `json:"excellent_share"` // at most [0]/[1] excellent
	Orgs   []ratingCountsDTO `json:"orgs"`
	Totals ratingCountsDTO   `json:"total"`
}

func toCounts(c domain.RatingCounts, org bool) ratingCountsDTO {
	out := ratingCountsDTO{Excellent: c.Count(domain.RatingExcellent), Qualified: c.Count(domain.RatingQualified),
		Basic: c.Count(domain.RatingBasic), Unqualified: c.Count(domain.RatingUnqualified), Pending: c.Pending, Total: c.Total()}
	if org {
		out.Org = &orgRefDTO{ID: int64(c.OrgID), Name: c.OrgName}
	}
	return out
}

func toDistribution(d service.Distribution) distributionDTO {
	out := distributionDTO{Year: d.Year, Share: [2]int{d.Num, d.Den}, Orgs: make([]ratingCountsDTO, len(d.Rows)),
		Totals: toCounts(d.Total, false)}
	for i, r := range d.Rows {
		out.Orgs[i] = toCounts(r, true)
	}
	return out
}

type conductDTO struct {
	Feedback    []feedbackDTO   `json:"feedback"`
	Evaluations []evaluationDTO `json:"evaluations"`
	FollowUps   []followUpDTO   `json:"followups"`
}

func toConduct(r *service.ConductRecord, today domain.Date) conductDTO {
	return conductDTO{Feedback: toFeedbacks(r.Feedback), Evaluations: toEvaluations(r.Evaluations),
		FollowUps: toFollowUps(r.FollowUps, today)}
}

type policyDTO struct {
	RateProbationary bool `json:"rate_probationary"`
	ExcellentNum     int  `json:"excellent_num"`
	ExcellentDen     int  `json:"excellent_den"`
}
