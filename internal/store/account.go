package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongjian/internal/domain"
)

// AccountRow is an account with its credential columns, which only the
// service's authentication code reads.
type AccountRow struct {
	domain.Account
	PasswordHash string
	TOTPSecret   string // sealed; empty when not enrolled
	TOTPPending  string // sealed; a new secret waiting for its first code
	TOTPLastStep int64
}

const accountCols = `id, name, display_name, password_hash, password_changed_at, must_change_password,
	totp_secret, totp_pending, totp_enabled, totp_last_step, totp_required, locale, disabled_at, created_at, version, person_id`

func scanAccount(row interface{ Scan(...any) error }, extra ...any) (AccountRow, error) {
	var a AccountRow
	var disabled sql.NullTime
	var person sql.NullInt64
	err := row.Scan(append([]any{&a.ID, &a.Name, &a.DisplayName, &a.PasswordHash, &a.PasswordChangedAt, &a.MustChangePassword,
		&a.TOTPSecret, &a.TOTPPending, &a.TOTPEnabled, &a.TOTPLastStep, &a.TOTPRequired, &a.Locale, &disabled, &a.CreatedAt, &a.Version,
		&person}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("store: scan account: %w", err)
	}
	if disabled.Valid {
		t := disabled.Time.UTC()
		a.DisabledAt = &t
	}
	a.PersonID = domain.PersonID(person.Int64)
	a.PasswordChangedAt = a.PasswordChangedAt.UTC()
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

// NormalizeAccountName is how account names are compared and stored.
func NormalizeAccountName(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// CreateAccount inserts an account and returns its id. A taken name is a
// conflict on the field "name".
func CreateAccount(ctx context.Context, q Q, a AccountRow, now time.Time) (domain.AccountID, error) {
	var id domain.AccountID
	err := q.QueryRowContext(ctx, `INSERT INTO accounts (name, display_name, password_hash, password_changed_at,
		must_change_password, totp_secret, totp_enabled, locale, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		NormalizeAccountName(a.Name), a.DisplayName, a.PasswordHash, ts(now), a.MustChangePassword,
		a.TOTPSecret, a.TOTPEnabled, a.Locale, ts(now)).Scan(&id)
	if isUnique(err) {
		return 0, domain.Conflict("name", "account.name_taken", map[string]any{"Name": a.Name})
	}
	if err != nil {
		return 0, fmt.Errorf("store: create account: %w", err)
	}
	return id, nil
}

// AccountByName finds an account by its login name.
func AccountByName(ctx context.Context, q Q, name string) (AccountRow, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE name = $1`, NormalizeAccountName(name)))
}

// AccountByNameAt finds an account by its login name and reads the access
// epoch in the same statement: what the sign-in files its actor under
// (decision 0007), the grants and reach being read after it.
func AccountByNameAt(ctx context.Context, q Q, name string) (AccountRow, int64, error) {
	var epoch int64
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+`, (SELECT n FROM access_epoch WHERE id = 1)
		FROM accounts WHERE name = $1`, NormalizeAccountName(name)), &epoch)
	return a, epoch, err
}

// AccountByID finds an account by id.
func AccountByID(ctx context.Context, q Q, id domain.AccountID) (AccountRow, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = $1`, id))
}

// ListAccounts returns accounts ordered by name, after the name `after`
// (keyset pagination), at most limit.
func ListAccounts(ctx context.Context, q Q, after string, limit int) ([]domain.Account, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE name > $1 ORDER BY name LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list accounts: %w", err)
	}
	defer rows.Close()
	var out []domain.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a.Account)
	}
	return out, rows.Err()
}

// CountAccounts returns how many accounts exist.
func CountAccounts(ctx context.Context, q Q) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n)
	return n, err
}

// exec1 runs an UPDATE that must touch exactly one row; zero rows means the
// record is gone or its version moved on.
func exec1(ctx context.Context, q Q, what string, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return domain.ErrStale
	}
	return nil
}

// SetPassword stores a new password hash, keeps the old one in the
// history and clears the must-change flag.
func SetPassword(ctx context.Context, q Q, id domain.AccountID, hash string, mustChange bool, now time.Time) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO password_history (account_id, hash, created_at)
		SELECT id, password_hash, $2 FROM accounts WHERE id = $1`, id, ts(now)); err != nil {
		return fmt.Errorf("store: keep password history: %w", err)
	}
	return exec1(ctx, q, "set password", `UPDATE accounts SET password_hash = $2, password_changed_at = $3,
		must_change_password = $4, version = version + 1 WHERE id = $1`, id, hash, ts(now), mustChange)
}

// PasswordHistory returns the account's last n previous password hashes.
func PasswordHistory(ctx context.Context, q Q, id domain.AccountID, n int) ([]string, error) {
	return queryStrings(ctx, q, "password history", `SELECT hash FROM password_history WHERE account_id = $1
		ORDER BY created_at DESC LIMIT $2`, id, n)
}

// queryStrings runs a query of one text column and collects its rows.
func queryStrings(ctx context.Context, q Q, what, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetTOTP stores a confirmed sealed TOTP secret, switches TOTP on and
// clears any pending secret.
func SetTOTP(ctx context.Context, q Q, id domain.AccountID, sealed string) error {
	return exec1(ctx, q, "set totp", `UPDATE accounts SET totp_secret = $2, totp_pending = '', totp_enabled = TRUE,
		totp_last_step = 0, version = version + 1 WHERE id = $1`, id, sealed)
}

// SetTOTPPending stores a new secret that waits for its first code; the
// confirmed secret, if any, stays in force until then.
func SetTOTPPending(ctx context.Context, q Q, id domain.AccountID, sealed string) error {
	return exec1(ctx, q, "set pending totp", `UPDATE accounts SET totp_pending = $2 WHERE id = $1`, id, sealed)
}

// UseTOTPStep records the last accepted TOTP time step so a code cannot be
// replayed; it fails (stale) when a concurrent login used that step first.
func UseTOTPStep(ctx context.Context, q Q, id domain.AccountID, step int64) error {
	return exec1(ctx, q, "use totp step", `UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, id, step)
}

// SetTOTPRequired demands (or stops demanding) a second factor of an
// account whatever its roles.
func SetTOTPRequired(ctx context.Context, q Q, id domain.AccountID, required bool) error {
	return exec1(ctx, q, "require totp", `UPDATE accounts SET totp_required = $2, version = version + 1 WHERE id = $1`, id, required)
}

// SetDisabled disables (at non-nil) or re-enables an account.
func SetDisabled(ctx context.Context, q Q, id domain.AccountID, at *time.Time) error {
	return exec1(ctx, q, "disable account", `UPDATE accounts SET disabled_at = $2, version = version + 1 WHERE id = $1`, id, tsPtr(at))
}

// SetLocale stores the account's language choice.
func SetLocale(ctx context.Context, q Q, id domain.AccountID, locale string) error {
	return exec1(ctx, q, "set locale", `UPDATE accounts SET locale = $2 WHERE id = $1`, id, locale)
}

// SetAccountPerson links an account to the person record that is its own,
// or unlinks it (person zero). A person already linked to another account
// is a conflict on "person".
func SetAccountPerson(ctx context.Context, q Q, id domain.AccountID, person domain.PersonID) error {
	var p any
	if person != 0 {
		p = person
	}
	err := exec1(ctx, q, "set account person", `UPDATE accounts SET person_id = $1, version = version + 1 WHERE id = $2`, p, id)
	if isUnique(err) {
		return domain.Conflict("person", "account.person_linked_elsewhere", nil)
	}
	return err
}

// AccountByPerson finds the account linked to a person.
func AccountByPerson(ctx context.Context, q Q, person domain.PersonID) (AccountRow, error) {
	return scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE person_id = $1`, person))
}
