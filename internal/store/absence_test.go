package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// absenceRunsBefore is the absence list's query as it was before its CTEs
// were materialized (the planner was free to inline lines twice): the
// oracle the faster query must agree with.
func absenceRunsBefore(person string) string {
	line := `ma.expected AND m.state = 'held' AND ma.status <> 'unmarked'`
	return `WITH candidates AS (
		SELECT ma.person_id FROM meetings m JOIN meeting_attendance ma ON ma.meeting_id = m.id
		WHERE ` + line + ` AND m.held_on > $1 AND m.held_on <= $2` + person + `
		GROUP BY ma.person_id HAVING MIN(CASE WHEN ma.status = 'absent' THEN 1 ELSE 0 END) = 1),
	lines AS (
		SELECT ma.person_id, m.held_on, ma.status FROM candidates c JOIN meeting_attendance ma ON ma.person_id = c.person_id
		JOIN meetings m ON m.id = ma.meeting_id WHERE ` + line + ` AND m.held_on <= $2),
	answered AS (SELECT person_id, MAX(held_on) AS last_ok FROM lines WHERE status <> 'absent' GROUP BY person_id),
	runs AS (
		SELECT l.person_id, MIN(l.held_on) AS since, MAX(l.held_on) AS last_absent, COUNT(*) AS missed
		FROM lines l LEFT JOIN answered a ON a.person_id = l.person_id
		WHERE l.status = 'absent' AND (a.last_ok IS NULL OR l.held_on > a.last_ok)
		GROUP BY l.person_id HAVING MIN(l.held_on) <= $1 AND MAX(l.held_on) > $1)`
}

// absenceLife writes three years of monthly meetings of two branches for
// 160 members: some drift away at a month of their own (absent from then
// on), the others answer at random — present, leave, excused, absent,
// unmarked — with planned and cancelled meetings and guest lines among
// them. Each draw is a hash of the member and the month.
func absenceLife(t *testing.T, db *store.DB, today domain.Date) (orgPath string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	err := db.Tx(ctx, func(tx store.Tx) error {
		root, err := store.CreateOrg(ctx, tx, domain.Org{Name: "县委", Side: domain.SideOrigin}, now)
		if err != nil {
			return err
		}
		var branches []domain.OrgID
		for _, name := range []string{"甲支部", "乙支部"} {
			id, err := store.CreateOrg(ctx, tx, domain.Org{Name: name, Side: domain.SideMobile, ParentID: root}, now)
			if err != nil {
				return err
			}
			branches = append(branches, id)
		}
		var people [2][]domain.PersonID
		for i := 0; i < 160; i++ {
			p := store.PersonRow{SortKey: fmt.Sprintf("p%03d", i)}
			p.Name, p.Pinyin, p.OriginOrgID = fmt.Sprintf("党员%03d", i), fmt.Sprintf("dangyuan%03d", i), root
			p.Membership = &domain.Membership{Status: domain.StatusFull, HomeOrgID: root, MobileOrgID: branches[i%2]}
			id, err := store.CreatePerson(ctx, tx, p, now)
			if err != nil {
				return err
			}
			people[i%2] = append(people[i%2], id)
		}
		var ms []domain.Meeting
		var who [][]domain.PersonID
		for k := 0; k < 36; k++ {
			day := today.AddMonths(k - 35)
			for b, org := range branches {
				state := domain.MeetingHeld
				switch hash(int64(k), int64(b)) % 17 {
				case 0:
					state = domain.MeetingCancelled
				case 1:
					state = domain.MeetingPlanned
				}
				start := time.Date(day.Time().Year(), day.Time().Month(), day.Time().Day(), 1, 0, 0, 0, time.UTC)
				ms = append(ms, domain.Meeting{OrgID: org, Kind: domain.MeetingThemeDay, State: state, StartsAt: start, HeldOn: day,
					Topic: "主题党日", CreatedBy: "t"})
				who = append(who, people[b])
			}
		}
		ids, err := store.InsertMeetingRecords(ctx, tx, ms, now)
		if err != nil {
			return err
		}
		statuses := []domain.AttendanceStatus{domain.AttendPresent, domain.AttendPresent, domain.AttendLeave, domain.AttendExcused,
			domain.AttendAbsent, domain.AttendAbsent, domain.AttendUnmarked}
		var lines []domain.Attendance
		for j, id := range ids {
			k := j / 2
			for i, p := range who[j] {
				drift := int(hash(int64(p), 1) % 60) // below 36: drifts away that month
				st := statuses[hash(int64(p), int64(k))%uint64(len(statuses))]
				if drift < 36 && k >= drift {
					st = domain.AttendAbsent
					if hash(int64(p), int64(k), 2)%9 == 0 {
						st = domain.AttendUnmarked // no evidence either way
					}
				}
				lines = append(lines, domain.Attendance{MeetingID: id, PersonID: p, Expected: i%23 != 5, Status: st})
			}
		}
		return store.InsertAttendanceLines(ctx, tx, lines)
	})
	if err != nil {
		t.Fatal(err)
	}
	var path string
	if err := db.Read().QueryRowContext(ctx, `SELECT path FROM orgs WHERE name = '甲支部'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	return path
}

func hash(parts ...int64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, p := range parts {
		h ^= uint64(p) + 0x9e3779b97f4a7c15 + h<<6 + h>>2
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return h
}

// TestAbsenceListAsBefore: the materialized absence query lists the same
// members, runs, order and count as the query before it, for several
// cutoffs, for one member and one branch, on both databases.
func TestAbsenceListAsBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := domain.NewDate(2026, 11, 29)
		branch := absenceLife(t, db, today)
		var someone domain.PersonID
		if err := db.Read().QueryRowContext(ctx, `SELECT MIN(id) FROM persons`).Scan(&someone); err != nil {
			t.Fatal(err)
		}
		flagged := 0
		for _, q := range []store.AbsenceQuery{
			{All: true, Cutoff: today.AddMonths(-6), Today: today, Limit: 5000},
			{All: true, Cutoff: today.AddMonths(-3), Today: today, Limit: 5000},
			{All: true, Cutoff: today.AddMonths(-12), Today: today.AddMonths(-2), Limit: 5000},
			{Scope: authz.OrgFilter{Prefixes: []string{"/"}}, Org: branch, Cutoff: today.AddMonths(-6), Today: today, Limit: 7, Offset: 7},
			{All: true, Person: someone, Cutoff: today.AddMonths(-6), Today: today, Limit: 50},
		} {
			got, err := store.AbsenceFlags(ctx, db.Read(), q)
			if err != nil {
				t.Fatal(err)
			}
			n, err := store.CountAbsenceFlags(ctx, db.Read(), q)
			if err != nil {
				t.Fatal(err)
			}
			want, wantN := absenceBefore(t, db, q)
			if !reflect.DeepEqual(got, want) || n != wantN {
				t.Errorf("cutoff %s, org %q, person %d: %d flagged %v, before %d %v", q.Cutoff, q.Org, q.Person, n, got, wantN, want)
			}
			flagged += n
		}
		if flagged < 10 {
			t.Fatalf("only %d flagged: the generated life tests little", flagged)
		}
	})
}

// absenceBefore runs the query before the change with f's filter.
func absenceBefore(t *testing.T, db *store.DB, f store.AbsenceQuery) ([]store.AbsenceFlag, int) {
	t.Helper()
	ctx := context.Background()
	_, from, args := store.AbsenceQueryParts(f)
	person := ""
	if f.Person != 0 {
		person = " AND ma.person_id = $3"
	}
	cte := absenceRunsBefore(person)
	var n int
	if err := db.Read().QueryRowContext(ctx, cte+` SELECT COUNT(*)`+from, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := db.Read().QueryContext(ctx, cte+` SELECT p.id, p.name, m.status, m.home_org_id, ho.name, COALESCE(m.mobile_org_id, 0),
		COALESCE(mo.name, ''), r.since, r.last_absent, r.missed`+from+` ORDER BY r.since, p.sort_key, p.id
		LIMIT $`+fmt.Sprint(len(args)-1)+` OFFSET $`+fmt.Sprint(len(args)), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []store.AbsenceFlag
	for rows.Next() {
		var a store.AbsenceFlag
		if err := rows.Scan(&a.PersonID, &a.Name, &a.Status, &a.HomeOrgID, &a.HomeOrgName, &a.MobileOrgID, &a.MobileOrgName,
			&a.Since, &a.LastAbsent, &a.Missed); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out, n
}
