package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
)

func joinCaps(cs []domain.Capability) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func splitCaps(s string) []domain.Capability {
	var out []domain.Capability
	for _, c := range strings.Split(s, ",") {
		if c != "" {
			out = append(out, domain.Capability(c))
		}
	}
	return out
}

// CreateAgreement inserts an agreement (as a draft) with its parties.
func CreateAgreement(ctx context.Context, q Q, a domain.Agreement, now time.Time) (domain.AgreementID, error) {
	var id domain.AgreementID
	err := q.QueryRowContext(ctx, `INSERT INTO agreements (title, origin_id, capabilities, valid_from, valid_to, state, folded,
		sits_in, renewed_from, created_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9) RETURNING id`,
		a.Title, a.OriginID, joinCaps(a.Capabilities), a.ValidFrom, a.ValidTo, a.Folded, a.SitsIn,
		sql.NullInt64{Int64: int64(a.RenewedFrom), Valid: a.RenewedFrom != 0}, ts(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create agreement: %w", err)
	}
	for role, refs := range map[string][]domain.OrgRef{"mobile": a.Mobile, "host": a.Host} {
		for _, r := range refs {
			if _, err := q.ExecContext(ctx, `INSERT INTO agreement_orgs (agreement_id, org_id, role) VALUES ($1, $2, $3)`,
				id, r.ID, role); err != nil {
				return 0, fmt.Errorf("store: agreement party: %w", err)
			}
		}
	}
	return id, nil
}

const agreementCols = `a.id, a.title, a.origin_id, o.name, a.capabilities, a.valid_from, a.valid_to, a.state, a.signed_on,
	a.folded, a.sits_in, a.document, a.document_name, COALESCE(a.renewed_from, 0), a.terminated_on, a.reason, a.created_at, a.version`

const agreementFrom = ` FROM agreements a JOIN orgs o ON o.id = a.origin_id`

func scanAgreement(row interface{ Scan(...any) error }) (domain.Agreement, error) {
	var a domain.Agreement
	var caps, state string
	err := row.Scan(&a.ID, &a.Title, &a.OriginID, &a.OriginName, &caps, &a.ValidFrom, &a.ValidTo, &state, &a.SignedOn,
		&a.Folded, &a.SitsIn, &a.Document, &a.DocumentName, &a.RenewedFrom, &a.TerminatedOn, &a.Reason, &a.CreatedAt, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("store: scan agreement: %w", err)
	}
	a.Capabilities, a.State, a.CreatedAt = splitCaps(caps), domain.AgreementState(state), a.CreatedAt.UTC()
	return a, nil
}

// AgreementByID reads one agreement with its parties.
func AgreementByID(ctx context.Context, q Q, id domain.AgreementID) (domain.Agreement, error) {
	a, err := scanAgreement(q.QueryRowContext(ctx, `SELECT `+agreementCols+agreementFrom+` WHERE a.id = $1`, id))
	if err != nil {
		return a, err
	}
	return a, fillParties(ctx, q, []*domain.Agreement{&a})
}

func fillParties(ctx context.Context, q Q, as []*domain.Agreement) error {
	for _, a := range as {
		rows, err := q.QueryContext(ctx, `SELECT ao.role, o.id, o.name FROM agreement_orgs ao JOIN orgs o ON o.id = ao.org_id
			WHERE ao.agreement_id = $1 ORDER BY o.path`, a.ID)
		if err != nil {
			return fmt.Errorf("store: agreement parties: %w", err)
		}
		for rows.Next() {
			var role string
			var r domain.OrgRef
			if err := rows.Scan(&role, &r.ID, &r.Name); err != nil {
				rows.Close()
				return err
			}
			if role == "host" {
				a.Host = append(a.Host, r)
			} else {
				a.Mobile = append(a.Mobile, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// AgreementQuery selects agreements for a list: those whose origin or one
// of whose parties lies in Scope (the actor's agreement:read filter).
type AgreementQuery struct {
	Scope authz.OrgFilter
	ID    domain.AgreementID // only this agreement (a scoped existence check)
	Org   domain.OrgID       // only agreements this organization is a party to (or the origin of)
	State domain.AgreementState
	Limit int
}

// ListAgreements returns agreements newest first.
func ListAgreements(ctx context.Context, q Q, f AgreementQuery) ([]domain.Agreement, error) {
	var args []any
	origin, args := f.Scope.SQL("o.path", args)
	party, args := f.Scope.SQL("po.path", args)
	where := []string{`(` + origin + ` OR EXISTS (SELECT 1 FROM agreement_orgs ao JOIN orgs po ON po.id = ao.org_id
		WHERE ao.agreement_id = a.id AND ` + party + `))`}
	if f.Org != 0 {
		args = append(args, f.Org)
		n := strconv.Itoa(len(args))
		where = append(where, `(a.origin_id = $`+n+` OR EXISTS (SELECT 1 FROM agreement_orgs ao2 WHERE ao2.agreement_id = a.id AND ao2.org_id = $`+n+`))`)
	}
	if f.ID != 0 {
		args = append(args, f.ID)
		where = append(where, `a.id = $`+strconv.Itoa(len(args)))
	}
	if f.State != "" {
		args = append(args, string(f.State))
		where = append(where, `a.state = $`+strconv.Itoa(len(args)))
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	args = append(args, f.Limit)
	rows, err := q.QueryContext(ctx, `SELECT `+agreementCols+agreementFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list agreements: %w", err)
	}
	var out []domain.Agreement
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ptrs := make([]*domain.Agreement, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, fillParties(ctx, q, ptrs)
}

// UpdateAgreementState moves an agreement's stored state (sign, terminate)
// if its version is still version.
func UpdateAgreementState(ctx context.Context, q Q, a domain.Agreement) error {
	return exec1(ctx, q, "agreement state", `UPDATE agreements SET state = $3, signed_on = $4, terminated_on = $5, reason = $6,
		version = version + 1 WHERE id = $1 AND version = $2`, a.ID, a.Version, string(a.State), a.SignedOn, a.TerminatedOn, a.Reason)
}

// SetAgreementDocument records the signed document's stored and original
// names.
func SetAgreementDocument(ctx context.Context, q Q, id domain.AgreementID, version int64, stored, name string) error {
	return exec1(ctx, q, "agreement document", `UPDATE agreements SET document = $3, document_name = $4, version = version + 1
		WHERE id = $1 AND version = $2`, id, version, stored, name)
}

// AddAgreementEvent records a step in an agreement's life.
func AddAgreementEvent(ctx context.Context, q Q, id domain.AgreementID, kind, note, actor string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO agreement_events (agreement_id, kind, note, actor_name, recorded_at)
		VALUES ($1, $2, $3, $4, $5)`, id, kind, note, actor, ts(now))
	if err != nil {
		return fmt.Errorf("store: agreement event: %w", err)
	}
	return nil
}

// AgreementEvent is a step in an agreement's life.
type AgreementEvent struct {
	Kind, Note, ActorName string
	RecordedAt            time.Time
}

// AgreementEvents lists an agreement's steps, oldest first.
func AgreementEvents(ctx context.Context, q Q, id domain.AgreementID) ([]AgreementEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, note, actor_name, recorded_at FROM agreement_events
		WHERE agreement_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: agreement events: %w", err)
	}
	defer rows.Close()
	var out []AgreementEvent
	for rows.Next() {
		var e AgreementEvent
		if err := rows.Scan(&e.Kind, &e.Note, &e.ActorName, &e.RecordedAt); err != nil {
			return nil, err
		}
		e.RecordedAt = e.RecordedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// OverlappingAgreements lists the live (draft or in force, not ended)
// agreements other than except that cover one of the mobile organizations
// together with one of the host organizations within [from, to].
func OverlappingAgreements(ctx context.Context, q Q, mobile, host []domain.OrgID, from, to domain.Date, except domain.AgreementID) ([]domain.Agreement, error) {
	if len(mobile) == 0 || len(host) == 0 {
		return nil, nil
	}
	args := []any{from, to, except}
	in := func(ids []domain.OrgID) string {
		ph := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			ph[i] = "$" + strconv.Itoa(len(args))
		}
		return strings.Join(ph, ", ")
	}
	query := `SELECT ` + agreementCols + agreementFrom + ` WHERE a.state IN ('draft', 'in_force') AND a.id <> $3
		AND a.valid_from <= $2 AND a.valid_to >= $1
		AND EXISTS (SELECT 1 FROM agreement_orgs m WHERE m.agreement_id = a.id AND m.role = 'mobile' AND m.org_id IN (` + in(mobile) + `))
		AND EXISTS (SELECT 1 FROM agreement_orgs h WHERE h.agreement_id = a.id AND h.role = 'host' AND h.org_id IN (` + in(host) + `))`
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: overlapping agreements: %w", err)
	}
	defer rows.Close()
	var out []domain.Agreement
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
